// What a frame shows of K models: each model's curves, metrics and per-point arrays (ModelSnapshot) and the frame
// around them (Snapshot). Types only, so the evaluator and the ensemble's snapshot share them without a cycle.
import type { FitMetrics } from './metrics';
import type { PosthocBlock, PosthocSettings } from './posthoc';
import type { Phase } from './state';
import type { UncertaintyBlock } from './uncertainty';

export type ModelStatus = 'training' | 'diverged';

export interface ModelMetrics extends FitMetrics {
  /** The model's own objective over the whole training set. */
  trainLoss: number;
  /** Share of the total weight on injected outliers (Boltzmann w, SuperLoss σ*, else uniform). */
  outlierWeightShare: number;
}

export interface ModelSnapshot {
  id: string;
  loss: string;
  status: ModelStatus;
  message: string | null;
  steps: number;
  phase: Phase;
  metrics: ModelMetrics;
  /** μ and the band's σ on the snapshot's grid: the predictive std, or Student-t's scale when ν ≤ 2 (bandIsScale). */
  mu: Float32Array;
  sigma: Float32Array;
  bandIsScale: boolean;
  /** Per training point: the model's per-sample loss, N·wᵢ, the weight of its gradient relative to plain averaging, σ*. */
  sampleLoss: Float32Array;
  weight: Float32Array;
  gradWeight: Float32Array;
  sigmaStar: Float32Array;
  /** Barron's adaptive α and c as learned (NaN for other losses). */
  learnedAlpha: number;
  learnedScale: number;
  /**
   * The predicted distribution judged without the true σ (calibration, PIT, sharpness, CRPS, interval score,
   * NLL) on the clean held-out set, the training inliers and the injected outliers; null for mean-only models.
   * Its `step` may lag `steps` by a few frames when many models share the judge's budget (uncertainty.ts).
   */
  uncertainty: UncertaintyBlock | null;
  /**
   * A deep ensemble (ModelSpec.ensemble): mu and sigma above are its mixture's mean and total standard deviation,
   * these its aleatoric √(mean σ²) and epistemic √(var μ) parts on the grid; the per-point arrays are the members' mean.
   */
  ensemble?: { size: number; alive: number; aleatoric: Float32Array; epistemic: Float32Array };
  /** Post-hoc figures of this frame (posthoc.ts): the conformal fit and band, coverage of both bands; absent when off or mean-only. */
  posthoc?: PosthocBlock | null;
}

export interface Snapshot {
  step: number;
  backend: string;
  grid: Float32Array;
  truthMean: Float32Array | null;
  truthStd: Float32Array | null;
  models: ModelSnapshot[];
  /** What the 'heldOut' set is: the clean held-out set of generated data, your own data's held-out share, or none. */
  heldOut?: { kind: 'clean' | 'split'; n: number } | null;
  /** Post-hoc methods on (TrainSettings.posthoc): the settings and the calibration share's size; absent or null when off. */
  posthoc?: { settings: PosthocSettings; n: number; outliers: number } | null;
}
