// Node set-up: the tfjs umbrella's Node build registers every gradient (inlined there) and the CPU backend
// on the same @tensorflow/tfjs-core instance the core imports.
import '@tensorflow/tfjs';
import { tf } from '../core/tf';

export type NodeBackend = 'cpu' | 'wasm';

/** Selects the backend for Node; 'wasm' loads the WebAssembly binary from node_modules. */
export async function useNodeBackend(name: NodeBackend = 'cpu'): Promise<string> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const path = await import('node:path');
    const require = createRequire(import.meta.url);
    // TFJS_WASM_DIR: where the .wasm binaries are when the code runs bundled, without node_modules.
    const dir = process.env.TFJS_WASM_DIR ?? path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm.setWasmPaths(`${dir}/`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to start`);
  await tf.ready();
  return tf.getBackend();
}
