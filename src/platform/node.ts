// Node set-up: the tfjs umbrella's Node build registers every gradient (inlined there) and the CPU backend
// on the same @tensorflow/tfjs-core instance the core imports.
import '@tensorflow/tfjs';
import { tf } from '../core/tf';

export type NodeBackend = 'cpu' | 'wasm' | 'webgpu';

/**
 * Selects the backend for Node; 'wasm' loads the WebAssembly binary from node_modules; 'webgpu' runs
 * tfjs-backend-webgpu on Dawn's device (npm `webgpu`), the very device the fused kernel uses in Node.
 */
export async function useNodeBackend(name: NodeBackend = 'cpu'): Promise<string> {
  if (name === 'webgpu') await registerNodeWebGpu();
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const { createRequire } = await import('node:module');
    const path = await import('node:path');
    const require = createRequire(import.meta.url);
    // TFJS_WASM_DIR: where the .wasm binaries are when the code runs bundled, without node_modules.
    const dir =
      process.env.TFJS_WASM_DIR ??
      path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm.setWasmPaths(`${dir}/`);
  }
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend failed to start`);
  await tf.ready();
  return tf.getBackend();
}

/** tfjs-backend-webgpu on the process's Dawn device; it checks for navigator.gpu, which Node lacks. */
async function registerNodeWebGpu(): Promise<void> {
  const { nodeGpuDevice, nodeGpuInstance, preferSwiftShader } = await import('../fused/node');
  preferSwiftShader();
  const device = await nodeGpuDevice();
  if (!device)
    throw new Error(
      'the webgpu backend failed to start: Dawn found no adapter (set VK_ICD_FILENAMES to a Vulkan driver)',
    );
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  if (!g.navigator?.gpu)
    Object.defineProperty(globalThis, 'navigator', {
      value: { ...(g.navigator ?? {}), gpu: nodeGpuInstance() },
      configurable: true,
    });
  const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
  // Importing it registered a factory on a device of its own: replace it with one on the shared device.
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, info));
}
