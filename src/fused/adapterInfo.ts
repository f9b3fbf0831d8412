// Whether a WebGPU adapter is a CPU emulation (SwiftShader, llvmpipe, lavapipe, WARP), read off its info alone: the
// fused kernel picks its workgroup by it (fused.ts), and the platform its training path (src/platform/adapter.ts).
// Pure, so the fused layer needs nothing from the platform layer above it.

export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

export function isEmulatedAdapter(info: AdapterInfoLike | null | undefined): boolean {
  if (!info) return false;
  return (
    info.isFallbackAdapter === true ||
    /swiftshader|llvmpipe|lavapipe|warp/i.test(
      `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.description ?? ''} ${info.device ?? ''}`,
    )
  );
}
