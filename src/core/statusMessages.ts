// The status line's words, in the catalogue's manner (messages.ts): what the trainer is doing, from its first
// second on. Generic over the training path: a new path kind needs only its label in PATH_LABELS.

/** How a training path is named to the learner; an unknown kind is shown by its own name. */
export const PATH_LABELS: Record<string, string> = {
  fused: 'the fused WebGPU kernel',
  cpu: 'the CPU trainer (WebAssembly SIMD)',
  tfjs: 'TensorFlow.js',
};

/** "the fused WebGPU kernel", "TensorFlow.js on wasm". */
export function pathLabel(path: string, backend: string | null): string {
  const label = PATH_LABELS[path] ?? path;
  return path === 'tfjs' && backend ? `${label} on ${backend}` : label;
}

export interface StatusFacts {
  phase: string;
  backend: string | null;
  path: string;
  message: string | null;
}

/** Past this many seconds without a first step on WebGPU, the line says the GPU may be emulated. */
export const SLOW_START_S = 8;

/**
 * What the trainer is doing, in words: starting, preparing its path (compiling kernels on a GPU), or training
 * at a measured speed. `trained`: a frame with at least one step has arrived; `waitedS`: seconds since the run
 * was asked to start (shown while nothing else moves, so the learner sees that work goes on).
 */
export function statusWords(s: StatusFacts, trained: boolean, stepsPerSecond: number, waitedS: number): string {
  if (s.phase === 'error') return s.message ?? 'training stopped';
  const waited = waitedS >= 1 ? ` ${Math.floor(waitedS)} s` : '';
  if (s.phase === 'starting' || !s.backend) return `starting the trainer…${waited}`;
  const path = pathLabel(s.path, s.backend);
  const cpu = s.backend !== 'webgpu' && s.backend !== 'webgl' && s.path !== 'cpu' ? ' (no GPU in use)' : '';
  if (!trained) {
    if (s.phase === 'paused') return `paused before the first step, on ${path}${cpu}`;
    if (s.backend === 'webgpu')
      return `preparing the GPU (compiling kernels)…${waited}${waitedS >= SLOW_START_S ? ' (an emulated GPU can take a minute)' : ''}`;
    return `preparing ${path}${cpu} for the first steps…${waited}`;
  }
  if (s.phase === 'paused') return `paused; trains on ${path}${cpu}`;
  return `training on ${path}${cpu} at ~${stepsPerSecond >= 10 ? Math.round(stepsPerSecond) : stepsPerSecond.toFixed(1)} steps/s`;
}
