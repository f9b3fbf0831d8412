// Backend selection in the page or the worker: WebGPU first, after a self-test, then WebGL, WASM, CPU.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { tf } from '../core/tf';

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function isBackendName(v: unknown): v is BackendName {
  return typeof v === 'string' && (BACKENDS as readonly string[]).includes(v);
}

/** Registers a backend's kernels; only WebGPU is bundled up front, the fallbacks load on demand. */
async function load(name: BackendName): Promise<void> {
  switch (name) {
    case 'webgpu':
      await import('@tensorflow/tfjs-backend-webgpu');
      return;
    case 'webgl':
      await import('@tensorflow/tfjs-backend-webgl');
      return;
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const [plain, simd, threaded] = await Promise.all([
        import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
        import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
        import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
      ]);
      wasm.setWasmPaths({
        'tfjs-backend-wasm.wasm': plain.default,
        'tfjs-backend-wasm-simd.wasm': simd.default,
        'tfjs-backend-wasm-threaded-simd.wasm': threaded.default,
      });
      return;
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return;
  }
}

/**
 * A tiny gradient on the chosen backend, compared with the value worked out by hand, since some WebGPU
 * devices have returned silent zeros: d/dw Σ (w·x − y)² at w = 2, x = [1, 2, 3], y = [1, 0, 2] is
 * Σ 2(w·x − y)·x = 2((2 − 1)·1 + (4 − 0)·2 + (6 − 2)·3) = 2(1 + 8 + 12) = 42.
 */
async function selfTest(): Promise<void> {
  const g = tf.tidy(() => {
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.tensor1d([1, 0, 2]);
    return tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.sub(tf.mul(w, x), y))))(tf.scalar(2));
  });
  const [value] = await g.data();
  g.dispose();
  if (Math.abs(value - 42) > 1e-3) throw new Error(`self-test gradient was ${value}, expected 42`);
}

/** The GPUDevice of the active tfjs-backend-webgpu, or null on any other backend. */
export function webgpuDevice(): GPUDevice | null {
  return tf.getBackend() === 'webgpu' ? ((tf.backend() as unknown as { device?: GPUDevice }).device ?? null) : null;
}

export interface BackendChoice {
  backend: BackendName;
  /** Why earlier backends were skipped, for the status line. */
  notes: string[];
}

/** Tries the backends in order (or the forced one alone) and returns the first that passes the self-test. */
export async function initBackend(forced?: BackendName, skip: BackendName[] = []): Promise<BackendChoice> {
  const order = forced ? [forced] : BACKENDS.filter((b) => !skip.includes(b));
  const notes: string[] = [];
  for (const name of order) {
    try {
      if (name === 'webgpu' && !(globalThis.navigator && 'gpu' in globalThis.navigator))
        throw new Error('this browser has no WebGPU');
      await load(name);
      if (!(await tf.setBackend(name))) throw new Error('the backend did not start');
      await tf.ready();
      await selfTest();
      return { backend: name, notes };
    } catch (err) {
      notes.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend works here (${notes.join('; ')})`);
}
