// The fused kernel headless: a GPUDevice in Node through Dawn (npm `webgpu`). Without a GPU, Debian's
// chromium package ships SwiftShader's Vulkan driver, which Dawn accepts (Mesa's lavapipe it refuses).
import { existsSync } from 'node:fs';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Points the Vulkan loader at SwiftShader when nothing else was chosen and the driver is installed. */
export function preferSwiftShader(): void {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

let devicePromise: Promise<GPUDevice | null> | null = null;
/** Dawn's instance must outlive its devices: a collected instance frees what the device still uses. */
let instance: GPU | null = null;

/** Dawn's GPU object (navigator.gpu's counterpart), once nodeGpuDevice() has run. */
export function nodeGpuInstance(): GPU | null {
  return instance;
}

/**
 * One GPUDevice for the process, or null where Dawn finds no adapter. Installs WebGPU's globals
 * (GPUBufferUsage, GPUMapMode, …) so that code written for the browser runs unchanged.
 */
export function nodeGpuDevice(): Promise<GPUDevice | null> {
  devicePromise ??= (async () => {
    const { create, globals } = (await import('webgpu')) as unknown as {
      create: (flags: string[]) => GPU;
      globals: Record<string, unknown>;
    };
    Object.assign(globalThis, globals);
    instance = create([]);
    const adapter = await instance.requestAdapter();
    if (!adapter) return null;
    const limits = adapter.limits;
    return adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
      },
    });
  })();
  return devicePromise;
}
