// The training worker: dispatches the protocol's calls to an Engine and streams frames back.
import * as Comlink from 'comlink';
import { Engine } from '../core/engine';
import { makePoints, type Points } from '../core/datasets';
import type { RunConfig } from '../core/config';
import { resetPartitionTensors } from '../core/losses/barronPartition';
import { tf } from '../core/tf';
import { initBackend, webgpuDevice, type BackendName } from '../platform/browser';
import { FusedTrainer, fusedUnsupported } from '../fused/fused';
import type { Frame, StartOptions, TrainerApi, TrainerListener, TrainerStatus } from './protocol';

/**
 * Training time per frame. Each frame reads twice (once to settle the steps, which also measures them, once
 * for the snapshot), so frames at least 140 ms apart keep reads at ≤ 15 per second whatever the step rate.
 */
const TRAIN_MS = 140;
/** Steps per dispatch at most: one dispatch must stay short on a real GPU (drivers reset long ones). */
const MAX_PER_DISPATCH = 200;

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
/** The fused WGSL trainer, when the backend is WebGPU and it covers every model; the engine then holds the view. */
let fused: FusedTrainer | null = null;
let fusedAllowed = true;

function status(phase: TrainerStatus['phase'], message: string | null = null): void {
  listener?.status({ phase, backend, message, notice, path: fused ? 'fused' : 'tfjs' });
}

/** Copies the fused trainer's weights into the engine, which computes the snapshot (one extra read). */
async function syncFromFused(): Promise<void> {
  if (!fused || !engine) return;
  engine.loadModelWeights(await fused.readWeights(), fused.modelSteps, fused.step);
}

/** Builds (or drops) the fused trainer to match the engine's models, starting from the engine's weights. */
async function refreshFused(): Promise<void> {
  fused?.dispose();
  fused = null;
  if (!engine || !fusedAllowed || backend !== 'webgpu') return;
  const train = engine.settings;
  if (engine.models.some((m) => fusedUnsupported(m, train) !== null)) return;
  const device = webgpuDevice();
  if (!device || !points) return;
  fused = new FusedTrainer(device, points, [...engine.models], train, await engine.modelWeights());
}

function runSteps(n: number): void {
  if (fused) fused.run(n, MAX_PER_DISPATCH);
  else engine!.run(n);
}

/** Waits until the enqueued steps have run: the fused path brings its weights into the engine on the way. */
async function settle(): Promise<void> {
  if (fused) await syncFromFused();
  else {
    const probe = tf.zeros([1]);
    await probe.data();
    probe.dispose();
  }
}

async function sendFrame(settled = false): Promise<void> {
  const current = engine;
  if (!current) return;
  if (!settled) await syncFromFused();
  if (current !== engine) return;
  const snapshot = await current.snapshot();
  // A restart or fail-over may have replaced the engine meanwhile: its frame must not land after the new one.
  if (current !== engine) return;
  fused?.setActive(snapshot.models.map((m) => m.status === 'training'));
  const now = performance.now();
  const elapsed = (now - lastFrameAt) / 1000;
  const frame: Frame = { snapshot, stepsPerSecond: elapsed > 0 ? (snapshot.step - stepsAtLastFrame) / elapsed : 0, reads: 2 };
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
      // Steps for about TRAIN_MS, timed to their completion, then a snapshot: the budget follows the measured
      // step rate (not the snapshot's cost), and the GPU queue never runs more than one frame ahead.
      const t0 = performance.now();
      runSteps(budget);
      await settle();
      const trainMs = performance.now() - t0;
      await sendFrame(true);
      if (first) status('training');
      else budget = Math.max(1, Math.min(20_000, Math.round(Math.sqrt(budget * budget * (TRAIN_MS / Math.max(trainMs, 1))))));
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
  const device = webgpuDevice();
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
    fused = null;
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

/** Stops the training loop and waits for its current tick to finish. */
async function stopLoop(): Promise<void> {
  playing = false;
  while (looping) await new Promise((r) => setTimeout(r, 5));
}

/** Goes on as the user asked: the loop if playing, else one frame showing where training stands. */
async function resume(): Promise<void> {
  playing = wantPlaying;
  if (playing) void loop();
  else await sendFrame();
}

/**
 * Applies a change with the loop stopped: the engine first takes the fused trainer's latest weights, the
 * change goes to the engine, the fused trainer is rebuilt to match, and training resumes as it was.
 */
async function mutate(change: (e: Engine) => void | Promise<void>): Promise<void> {
  if (!engine) throw new Error('the trainer has not started');
  await stopLoop();
  await syncFromFused();
  await change(engine);
  await refreshFused();
  await resume();
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
    fusedAllowed = options.fused !== false;
    await refreshFused();
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
    wantPlaying = false;
    status('paused');
    // The last tick may still be running: wait for it, then show exactly where training stopped.
    await stopLoop();
    await sendFrame();
  },
  async step(n: number) {
    if (!engine) throw new Error('the trainer has not started');
    await stopLoop();
    runSteps(Math.max(1, Math.min(100_000, Math.floor(n))));
    await resume();
  },
  async updateModel(index, patch) {
    if (config) config.models[index] = { ...config.models[index], ...patch };
    const next = engine ? { ...engine.models[index], ...patch } : null;
    // A slider move on the fused path is one buffer write on the next dispatch: no stop, no rebuild.
    if (fused && engine && next && fusedUnsupported(next, engine.settings) === null) {
      engine.updateModel(index, patch);
      fused.updateModel(index, patch);
      if (!playing) await sendFrame();
      return;
    }
    await mutate((e) => e.updateModel(index, patch));
  },
  async setTrain(patch) {
    if (config) config.train = { ...config.train, ...patch };
    await mutate((e) => e.setTrainSettings(patch));
  },
  async setModels(models, sources) {
    if (config) config.models = models;
    await mutate((e) => e.restack(sources, models));
  },
  async setData(spec, keepWeights) {
    const pts = makePoints(spec);
    await mutate((e) => {
      e.setData(pts, spec, keepWeights);
      points = pts;
      imported = false;
      if (config) config.data = spec;
    });
  },
  async setPoints(pts, keepWeights, truth) {
    await mutate((e) => {
      e.setData(pts, truth, keepWeights);
      points = pts;
      imported = truth === null;
    });
  },
  async restart(cfg, pts, autoplay) {
    wantPlaying = false;
    await stopLoop();
    engine?.dispose();
    config = cfg;
    points = pts ?? makePoints(cfg.data);
    imported = pts !== null;
    engine = build(cfg, points);
    await refreshFused();
    lastFrameAt = performance.now();
    stepsAtLastFrame = 0;
    playing = wantPlaying = autoplay;
    if (playing) void loop();
    else {
      await sendFrame();
      status('paused');
    }
  },
  async loadWeights(perModel, steps, globalStep) {
    await mutate((e) => e.loadModelWeights(perModel, steps, globalStep));
    stepsAtLastFrame = globalStep;
  },
  async resetModel(index) {
    await mutate((e) => e.resetModel(index));
  },
  async resetAll() {
    await mutate((e) => e.resetAll());
    stepsAtLastFrame = 0;
  },
  async loseDevice() {
    const device = webgpuDevice();
    if (backend !== 'webgpu' || !device) return false;
    device.destroy();
    return true;
  },
};

Comlink.expose(api);
