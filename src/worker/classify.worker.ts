// The classification mode's worker: a ClassifySession on the browser's backend, exposed with Comlink.
import * as Comlink from 'comlink';
import { tf } from '../core/tf';
import { defaultAdapterEmulated } from '../platform/adapter';
import { initBackend, isBackendName, webgpuDevice, type BackendName } from '../platform/browser';
import { ClassifySession, makeEngine, type ClassPlatform } from './classifySession';
import type { ClassifyApi } from './protocol';

export type { ClassifyApi };

let session: ClassifySession | null = null;
/** Backends skipped at the start (an emulated GPU's): a fail-over does not move onto them either. */
let skippedAtStart: BackendName[] = [];

const platform: ClassPlatform = {
  async initBackend(skip) {
    const choice = await initBackend(undefined, [...skippedAtStart, ...skip.filter(isBackendName)]);
    return choice.backend;
  },
  makeEngine,
  deviceLost() {
    const device = webgpuDevice();
    return device
      ? device.lost.then((info) => `the WebGPU device was lost (${info.message || info.reason || 'no reason given'})`)
      : null;
  },
  isDeviceError(err) {
    const name = typeof err === 'object' && err !== null && 'name' in err ? String(err.name) : '';
    return (
      (typeof GPUError !== 'undefined' && err instanceof GPUError) || name === 'OperationError' || name === 'AbortError'
    );
  },
};

const started = () => {
  if (!session) throw new Error('the trainer has not started');
  return session;
};

const api: ClassifyApi = {
  async start(config, backend, listener) {
    const forced = isBackendName(backend) ? backend : undefined;
    // An emulated GPU (SwiftShader) runs this many-kernel graph hundreds of times slower than WASM on the same cores.
    const emulated = !forced && (await defaultAdapterEmulated());
    skippedAtStart = emulated ? ['webgpu', 'webgl'] : [];
    const choice = await initBackend(forced, skippedAtStart);
    await session?.dispose();
    session = new ClassifySession(platform, listener);
    await session.start(config, tf.getBackend());
    const notes = emulated
      ? [
          'the GPU is a CPU emulation (SwiftShader or the like), where WASM trains this network far faster; ?backend=webgpu forces it',
          ...choice.notes,
        ]
      : choice.notes;
    return { backend: tf.getBackend(), notes };
  },
  update: (config) => started().update(config),
  restart: (config) => started().restart(config),
  play: () => started().play(),
  pause: () => started().pause(),
  step: (n) => started().step(n),
};

Comlink.expose(api);
