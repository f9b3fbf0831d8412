// A model's starting parameters, shared by every training path (engine, fused kernel, benchmark baseline).
import type { ModelSpec } from './config';
import { adaptiveLatents } from './losses/barronAdaptive';
import { initModel, type Architecture } from './model';

/**
 * One Float32Array per parameter tensor; Barron's adaptive latents start at the spec's α (clamped to its range) and c.
 * A model's own ω (spec.initScale, a sweep's cell) replaces the architecture's for this model alone.
 */
export function initialWeights(arch: Architecture, spec: ModelSpec): Float32Array[] {
  const alpha = Math.min(1.999, Math.max(0.001, Number.isFinite(spec.alpha) ? spec.alpha : 1));
  const own = spec.initScale === undefined ? arch : { ...arch, initScale: spec.initScale };
  return initModel(own, spec.initSeed, adaptiveLatents(alpha, spec.c));
}

/** The same, flattened in layout order (the fused kernel's and snapshots' per-model layout). */
export function initialWeightsFlat(arch: Architecture, spec: ModelSpec): Float32Array {
  return Float32Array.from(initialWeights(arch, spec).flatMap((a) => Array.from(a)));
}
