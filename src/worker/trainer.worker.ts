// The training worker: dispatches the protocol's calls to an Engine and streams frames back.
import * as Comlink from 'comlink';
import { Engine } from '../core/engine';
import { makePoints, type Points } from '../core/datasets';
import type { RunConfig } from '../core/config';
import { resetPartitionTensors } from '../core/losses/barronPartition';
import { tf } from '../core/tf';
import { initBackend, type BackendName } from '../platform/browser';
import type { Frame, StartOptions, TrainerApi, TrainerListener, TrainerStatus } from './protocol';

const FRAME_MS = 100;

let engine: Engine | null = null;
let config: RunConfig | null = null;
let points: Points | null = null;
let listener: TrainerListener | null = null;
let backend: BackendName | null = null;
let playing = false;
/** What the user asked for (play or pause); survives a crash of the loop during a fail-over. */
let wantPlaying = false;
let looping = false;
/** Steps per frame period, adapted to the measured throughput. */
let budget = 1;
let lastFrameAt = 0;
let stepsAtLastFrame = 0;
let lastFrame: Frame | null = null;
let failingOver = false;

let notice: string | null = null;

function status(phase: TrainerStatus['phase'], message: string | null = null): void {
  listener?.status({ phase, backend, message, notice });
}

async function sendFrame(): Promise<void> {
  if (!engine) return;
  const snapshot = await engine.snapshot();
  const now = performance.now();
  const elapsed = (now - lastFrameAt) / 1000;
  const frame: Frame = { snapshot, stepsPerSecond: elapsed > 0 ? (snapshot.step - stepsAtLastFrame) / elapsed : 0, reads: 1 };
  lastFrameAt = now;
  stepsAtLastFrame = snapshot.step;
  lastFrame = frame;
  listener?.frame(frame);
}

async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  try {
    let first = true;
    while (playing && engine) {
      if (first) status('compiling', 'compiling the training kernels…');
      // One frame period of work, then one read (which also waits for the GPU): the budget follows the
      // measured throughput, so the GPU queue never runs far ahead and frames come about every 100 ms.
      const t0 = performance.now();
      engine.run(budget);
      await sendFrame();
      const spent = performance.now() - t0;
      if (first) status('training');
      else budget = Math.max(1, Math.min(5000, Math.round(Math.sqrt(budget * budget * (FRAME_MS / Math.max(spent, 1))))));
      first = false;
      await new Promise((r) => setTimeout(r, 0));
    }
  } catch (err) {
    playing = false;
    const message = err instanceof Error ? err.message : String(err);
    // A failing WebGPU step is what a lost device looks like from here: name the loss if the device
    // reports one within a second, and hand over to the next backend either way.
    if (backend === 'webgpu') {
      const info = deviceLost ? await Promise.race([deviceLost, new Promise<null>((r) => setTimeout(() => r(null), 1000))]) : null;
      void failOver(info ? lostReason(info) : `WebGPU failed (${message})`);
    } else if (!failingOver) status('error', `training stopped: ${message}`);
  } finally {
    looping = false;
  }
}

/** True while the points came from the user (CSV or a file) rather than from config.data. */
let imported = false;

function build(cfg: RunConfig, pts: Points): Engine {
  return new Engine(pts, imported ? null : cfg.data, cfg.models, cfg.train);
}


let deviceLost: Promise<GPUDeviceLostInfo> | null = null;

function lostReason(info: GPUDeviceLostInfo): string {
  return `the WebGPU device was lost (${info.message || info.reason || 'no reason given'})`;
}

function watchDevice(): void {
  deviceLost = null;
  if (backend !== 'webgpu') return;
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device) return;
  deviceLost = device.lost;
  void device.lost.then((info) => failOver(lostReason(info)));
}

/** Re-initialises on the next backend from the last frame's weights and goes on training. */
async function failOver(reason: string): Promise<void> {
  if (failingOver || !config || !points) return;
  failingOver = true;
  const wasPlaying = wantPlaying;
  playing = false;
  const saved = lastFrame?.snapshot;
  try {
    try {
      engine?.dispose();
    } catch {
      // The lost device's buffers cannot be freed; dropping the references is all that is left.
    }
    engine = null;
    resetPartitionTensors();
    const tried: BackendName[] = backend ? [backend] : [];
    const choice = await initBackend(undefined, tried);
    backend = choice.backend;
    watchDevice();
    engine = build(config, points);
    if (saved) engine.loadModelWeights(saved.models.map((m) => m.weights), saved.models.map((m) => m.steps), saved.step);
    stepsAtLastFrame = saved?.step ?? 0;
    notice = `${reason}; training continues on ${backend} from step ${saved?.step ?? 0}.`;
    status(wasPlaying ? 'training' : 'paused');
  } catch (err) {
    status('error', `${reason}, and no other backend could take over: ${err instanceof Error ? err.message : String(err)}`);
    return;
  } finally {
    failingOver = false;
  }
  playing = wasPlaying;
  lastFrameAt = performance.now();
  if (playing) void loop();
  else await sendFrame();
}

function guard<T>(fn: () => T): T {
  if (!engine) throw new Error('the trainer has not started');
  return fn();
}

const api: TrainerApi = {
  async start(cfg: RunConfig, options: StartOptions, l: TrainerListener) {
    listener = l;
    status('starting', 'starting TensorFlow.js…');
    const choice = await initBackend(options.backend);
    backend = choice.backend;
    config = cfg;
    points = makePoints(cfg.data);
    imported = false;
    engine?.dispose();
    engine = build(cfg, points);
    watchDevice();
    lastFrameAt = performance.now();
    stepsAtLastFrame = 0;
    notice = choice.notes.length ? `using ${backend}: ${choice.notes.join('; ')}` : null;
    playing = wantPlaying = options.autoplay;
    if (playing) void loop();
    else {
      await sendFrame();
      status('paused');
    }
    return choice;
  },
  play() {
    if (!engine) return;
    playing = wantPlaying = true;
    status('training');
    void loop();
  },
  async pause() {
    playing = wantPlaying = false;
    status('paused');
    // The last tick may still be running: wait for it, then show exactly where training stopped.
    while (looping) await new Promise((r) => setTimeout(r, 5));
    await sendFrame();
  },
  async step(n: number) {
    guard(() => engine!.run(Math.max(1, Math.min(100_000, Math.floor(n)))));
    await sendFrame();
  },
  updateModel(index, patch) {
    guard(() => engine!.updateModel(index, patch));
    if (config) config.models[index] = { ...config.models[index], ...patch };
    if (!playing) void sendFrame();
  },
  setTrain(patch) {
    guard(() => engine!.setTrainSettings(patch));
    if (config) config.train = { ...config.train, ...patch };
    if (!playing) void sendFrame();
  },
  setModels(models, sources) {
    guard(() => engine!.restack(sources, models));
    if (config) config.models = models;
    if (!playing) void sendFrame();
  },
  setData(spec, keepWeights) {
    const pts = makePoints(spec);
    guard(() => engine!.setData(pts, spec, keepWeights));
    points = pts;
    imported = false;
    if (config) config.data = spec;
    if (!playing) void sendFrame();
  },
  setPoints(pts, keepWeights, truth) {
    guard(() => engine!.setData(pts, truth, keepWeights));
    points = pts;
    imported = truth === null;
    if (!playing) void sendFrame();
  },
  async restart(cfg, pts, autoplay) {
    playing = wantPlaying = false;
    while (looping) await new Promise((r) => setTimeout(r, 5));
    engine?.dispose();
    config = cfg;
    points = pts ?? makePoints(cfg.data);
    imported = pts !== null;
    engine = build(cfg, points);
    lastFrameAt = performance.now();
    stepsAtLastFrame = 0;
    playing = wantPlaying = autoplay;
    if (playing) void loop();
    else {
      await sendFrame();
      status('paused');
    }
  },
  loadWeights(perModel, steps, globalStep) {
    guard(() => engine!.loadModelWeights(perModel, steps, globalStep));
    stepsAtLastFrame = globalStep;
    if (!playing) void sendFrame();
  },
  resetModel(index) {
    guard(() => engine!.resetModel(index));
    if (!playing) void sendFrame();
  },
  resetAll() {
    guard(() => engine!.resetAll());
    stepsAtLastFrame = 0;
    if (!playing) void sendFrame();
  },
  async loseDevice() {
    const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
    if (backend !== 'webgpu' || !device) return false;
    device.destroy();
    return true;
  },
};

Comlink.expose(api);
