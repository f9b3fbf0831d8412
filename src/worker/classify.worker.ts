// The classification mode's worker: a ClassifySession on the browser's backend, exposed with Comlink.
import * as Comlink from 'comlink';
import { tf } from '../core/tf';
import { defaultAdapterEmulated } from '../platform/adapter';
import { initBackend, isBackendName } from '../platform/browser';
import { ClassifySession, type ClassListener } from './classifySession';
import type { ClassRunConfig } from '../core/classify/engine';

let session: ClassifySession | null = null;

export interface ClassifyApi {
  start(config: ClassRunConfig, backend: string | null, listener: ClassListener): Promise<{ backend: string; notes: string[] }>;
  update(config: ClassRunConfig): Promise<'live' | 'restarted'>;
  restart(config: ClassRunConfig): Promise<void>;
  play(): void;
  pause(): void;
  step(n: number): Promise<void>;
}

const api: ClassifyApi = {
  async start(config, backend, listener) {
    const forced = isBackendName(backend) ? backend : undefined;
    // An emulated GPU (SwiftShader) runs this many-kernel graph hundreds of times slower than WASM on the same cores.
    const emulated = !forced && (await defaultAdapterEmulated());
    const choice = await initBackend(forced, emulated ? ['webgpu', 'webgl'] : []);
    session?.dispose();
    session = new ClassifySession(listener);
    await session.start(config);
    const notes = emulated ? ['the GPU is a CPU emulation (SwiftShader or the like), where WASM trains this network far faster; ?backend=webgpu forces it', ...choice.notes] : choice.notes;
    return { backend: tf.getBackend(), notes };
  },
  update: (config) => session!.update(config),
  restart: (config) => session!.start(config),
  play: () => session?.play(),
  pause: () => session?.pause(),
  step: (n) => session!.step(n),
};

Comlink.expose(api);
