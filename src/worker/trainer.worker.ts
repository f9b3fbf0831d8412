// The training worker: the browser's platform for a TrainerSession, exposed to the page with Comlink.
import * as Comlink from 'comlink';
import { resetPartitionTensors } from '../core/losses/barronPartition';
import { tf } from '../core/tf';
import { browserCpuModule, browserShard, browserWorkers } from '../cpu/browser';
import { initBackend, webgpuDevice } from '../platform/browser';
import { defaultAdapterKind } from '../platform/adapter';
import { CpuPath } from './cpuPath';
import { FusedPath } from './fusedPath';
import { TrainerSession, type SessionPlatform } from './session';
import { loseWebgl, webglGone, webglLost } from '../platform/webglLoss';
import type { TrainerApi } from './protocol';
import type { BackendChoice, BackendName } from '../platform/browser';

/** GPU buffers alive on the current device (for the leak checks): counted by wrapping createBuffer/destroy once. */
const liveBuffers = new WeakMap<GPUDevice, { live: number }>();

function countBuffers(device: GPUDevice): { live: number } {
  const counted = liveBuffers.get(device);
  if (counted) return counted;
  const c = { live: 0 };
  liveBuffers.set(device, c);
  const create = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor) => {
    const buffer = create(descriptor);
    c.live++;
    const destroy = buffer.destroy.bind(buffer);
    let destroyed = false;
    buffer.destroy = () => {
      if (!destroyed) c.live--;
      destroyed = true;
      destroy();
    };
    return buffer;
  };
  return c;
}

let fusedAllowed = true;
/** The CPU trainer's compiled module once it loaded; null where it did not (or failed since): then tfjs trains. */
let cpuModule: WebAssembly.Module | null = null;
let cpuFailed = false;

/**
 * Where there is no real GPU (no WebGPU, or an emulated adapter such as SwiftShader) the CPU trainer trains and
 * tfjs on WASM only evaluates: WebGPU and WebGL would both be CPU emulations there. After a lost device the CPU
 * trainer takes over before WebGL. A forced backend (?backend=…) is tried alone, as before.
 */
async function cpuFirst(forced: BackendName | undefined, skip: BackendName[]): Promise<BackendChoice | null> {
  if (forced || !fusedAllowed || cpuFailed) return null;
  const kind = skip.includes('webgpu') ? 'lost' : await defaultAdapterKind();
  if (kind === 'gpu') return null;
  try {
    cpuModule = await browserCpuModule();
  } catch {
    cpuModule = null;
    return null;
  }
  const why =
    kind === 'lost'
      ? 'after the GPU device failed'
      : kind === 'emulated'
        ? 'this WebGPU adapter is a CPU emulation'
        : 'no WebGPU adapter here';
  const choice = await initBackend('wasm').catch(() => null);
  return choice
    ? {
        backend: choice.backend,
        notes: [`${why}: the CPU trainer (WebAssembly SIMD) trains, TensorFlow.js on WASM evaluates`],
      }
    : null;
}

const platform: SessionPlatform = {
  async initBackend(forced, skip = []) {
    const choice = (await cpuFirst(forced, skip)) ?? (await initBackend(forced, skip));
    const device = webgpuDevice();
    if (device) countBuffers(device);
    return choice;
  },
  makeFused(points, truth, specs, train, state, view) {
    if (!fusedAllowed) return null;
    const device = webgpuDevice();
    if (device)
      return FusedPath.covers(specs, train, points.x.length)
        ? new FusedPath(device, points, truth, specs, train, state, view)
        : null;
    if (!cpuModule || cpuFailed || !CpuPath.covers(specs, train, points.x.length)) return null;
    return new CpuPath(
      points,
      truth,
      specs,
      train,
      state,
      { module: cpuModule, spawn: browserShard, workers: browserWorkers() },
      view,
    );
  },
  deviceLost() {
    const device = webgpuDevice();
    return device
      ? device.lost.then((info) => `the WebGPU device was lost (${info.message || info.reason || 'no reason given'})`)
      : webglLost();
  },
  deviceGone: webglGone,
  isDeviceError(err) {
    if (err instanceof Error && err.name === 'CpuTrainerError') {
      cpuFailed = true;
      return true;
    }
    const device = webgpuDevice();
    const name =
      err instanceof Error || (typeof err === 'object' && err !== null && 'name' in err) ? String(err.name) : '';
    // GPUValidationError / GPUOutOfMemoryError are GPUError subclasses; a lost device's reads reject with OperationError or AbortError.
    // On WebGL any failure once the context is lost is the loss's (a shader that no longer compiles, a null texture).
    return (
      (typeof GPUError !== 'undefined' && err instanceof GPUError) ||
      name === 'OperationError' ||
      name === 'AbortError' ||
      (device === null && tf.getBackend() === 'webgpu') ||
      webglGone() !== null
    );
  },
  backendChanged() {
    resetPartitionTensors();
  },
  loseDevice() {
    const device = webgpuDevice();
    if (!device) return loseWebgl();
    device.destroy();
    return true;
  },
  memory() {
    const device = webgpuDevice();
    return { numTensors: tf.memory().numTensors, gpuBuffers: device ? countBuffers(device).live : null };
  },
};

const session = new TrainerSession(platform);

const api: TrainerApi = {
  start(config, options, listener) {
    fusedAllowed = options.fused !== false;
    session.setListener(listener);
    return session.start(config, options);
  },
  play: () => session.play(),
  pause: () => session.pause(),
  step: (n) => session.step(n),
  updateModel: (id, patch) => session.updateModel(id, patch),
  setTrain: (patch) => session.setTrain(patch),
  setModels: (models, copyFrom, seeds) => session.setModels(models, copyFrom, seeds),
  setData: (spec, keep) => session.setData(spec, keep),
  setPoints: (points, keep, truth) => session.setPoints(points, keep, truth),
  restart: (config, points, autoplay) => session.restart(config, points, autoplay),
  importRun: (run) => session.importRun(run),
  exportRun: () => session.exportRun(),
  resetModel: (id) => session.resetModel(id),
  resetAll: () => session.resetAll(),
  loseDevice: (moment) => session.loseDevice(moment),
  memory: () => session.memory(),
};

Comlink.expose(api);
