// Whether a WebGPU adapter is a CPU emulation (SwiftShader, llvmpipe, lavapipe, WARP). There a workgroup runs on
// one thread, so the fused kernel takes one SIMD group per workgroup (src/fused/fused.ts), and a tfjs graph of
// many small kernels runs far slower than tfjs-backend-wasm on the same cores (the classification trainer:
// 0.1 steps/s against 62 in Node on this project's 2-core machine), so that trainer skips the emulated GPU.

import { isEmulatedAdapter, type AdapterInfoLike } from '../fused/adapterInfo';

export { isEmulatedAdapter, type AdapterInfoLike };

/** What this browser's (or worker's) default WebGPU adapter is: none (no WebGPU, or no adapter), a CPU emulation, or a GPU. */
export async function defaultAdapterKind(): Promise<'none' | 'emulated' | 'gpu'> {
  try {
    const gpu = (globalThis.navigator as (Navigator & { gpu?: GPU }) | undefined)?.gpu;
    const adapter = await gpu?.requestAdapter();
    if (!adapter) return 'none';
    const a = adapter as GPUAdapter & {
      info?: AdapterInfoLike;
      isFallbackAdapter?: boolean;
      requestAdapterInfo?: () => Promise<AdapterInfoLike>;
    };
    const info = a.info ?? (await a.requestAdapterInfo?.()) ?? null;
    return a.isFallbackAdapter === true || isEmulatedAdapter(info) ? 'emulated' : 'gpu';
  } catch {
    return 'none';
  }
}

/** True when this browser's (or worker's) default WebGPU adapter is an emulation; false without WebGPU. */
export async function defaultAdapterEmulated(): Promise<boolean> {
  return (await defaultAdapterKind()) === 'emulated';
}
