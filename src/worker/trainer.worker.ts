// The training worker: the browser's platform for a TrainerSession, exposed to the page with Comlink.
import * as Comlink from 'comlink';
import { resetPartitionTensors } from '../core/losses/barronPartition';
import { tf } from '../core/tf';
import { initBackend, webgpuDevice } from '../platform/browser';
import { FusedPath } from './fusedPath';
import { TrainerSession, type SessionPlatform } from './session';
import { loseWebgl, webglGone, webglLost } from '../platform/webglLoss';
import type { TrainerApi } from './protocol';

/** GPU buffers alive on the current device (for the leak checks): counted by wrapping createBuffer/destroy once. */
const liveBuffers = new WeakMap<GPUDevice, { live: number }>();

function countBuffers(device: GPUDevice): { live: number } {
  let counter = liveBuffers.get(device);
  if (counter) return counter;
  const c = { live: 0 };
  counter = c;
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

const platform: SessionPlatform = {
  async initBackend(forced, skip) {
    const choice = await initBackend(forced, skip);
    const device = webgpuDevice();
    if (device) countBuffers(device);
    return choice;
  },
  makeFused(points, truth, specs, train, state, view) {
    const device = webgpuDevice();
    if (!fusedAllowed || !device || !FusedPath.covers(specs, train, points.x.length)) return null;
    return new FusedPath(device, points, truth, specs, train, state, view);
  },
  deviceLost() {
    const device = webgpuDevice();
    return device ? device.lost.then((info) => `the WebGPU device was lost (${info.message || info.reason || 'no reason given'})`) : webglLost();
  },
  deviceGone: webglGone,
  isDeviceError(err) {
    const device = webgpuDevice();
    const name = err instanceof Error || (typeof err === 'object' && err !== null && 'name' in err) ? String((err as { name: unknown }).name) : '';
    // GPUValidationError / GPUOutOfMemoryError are GPUError subclasses; a lost device's reads reject with OperationError or AbortError.
    // On WebGL any failure once the context is lost is the loss's (a shader that no longer compiles, a null texture).
    return (typeof GPUError !== 'undefined' && err instanceof GPUError) || name === 'OperationError' || name === 'AbortError' || (device === null && tf.getBackend() === 'webgpu') || webglGone() !== null;
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
