// What a run is made of: the models (a loss and its hyperparameters each) and the shared training settings.
import { DEFAULT_ARCHITECTURE, type Architecture } from './model';
import type { DataSpec } from './datasets';
import type { PosthocSettings } from './posthoc';
import type { TauMode } from './losses/superloss';

export interface ModelSpec {
  /** Stable id ('m1', 'm2', …): lessons' links, the URL, JSON files and panels name a model by it, never by position. */
  id: string;
  /** A loss id from LOSS_IDS, e.g. 'nll', 'robust-nll', 'superloss-mse'. */
  loss: string;
  /** Boltzmann temperature (Robust-NLL eq. 3); Infinity means uniform weights, i.e. the plain loss. */
  T: number;
  /** β of β-NLL (eq. 7): 0 is NLL, 1 gives the mean the MSE gradient. */
  beta: number;
  /** Barron's shape α (−Infinity is Welsch) and scale c. For the adaptive loss, their starting values. */
  alpha: number;
  c: number;
  /** SuperLoss regularisation λ and threshold τ (its value when tauMode is 'fixed'). */
  lambda: number;
  tau: number;
  tauMode: TauMode;
  /** Student-t degrees of freedom ν. */
  nu: number;
  /** Multiplies the shared learning rate for this model alone. */
  lrScale: number;
  /** This model's own warm-up, overriding the shared one (e.g. a cold start, { meanSteps: 0, nllSteps: 0 }). */
  warmup?: { meanSteps: number; nllSteps: number };
  /** Seed of this model's initial weights, so a model starts the same wherever it sits in the stack. */
  initSeed: number;
  /** This model's own ω of the first layer's spread initialisation, overriding the architecture's (model.ts initScale). */
  initScale?: number;
  /**
   * A deep ensemble of this many members (2–16; absent or 1: one network). Member k (0-based) is the same
   * model from init seed initSeed + k, trained in the same stack; the panel shows their mixture (members.ts).
   */
  ensemble?: number;
}

export type Optimizer = 'adam' | 'sgd';

export interface TrainSettings {
  optimizer: Optimizer;
  learningRate: number;
  batchSize: number;
  /** Warm-up as the papers use it: this many mean-only steps (squared error, variance head untouched)… */
  warmupMeanSteps: number;
  /** …then this many plain-NLL steps, then the model's own loss (../shared/FINDINGS.md: Robust-NLL needs it). */
  warmupNllSteps: number;
  /** Seed of the minibatch draws, shared by all models. */
  batchSeed: number;
  architecture: Architecture;
  /**
   * Your own data only (a CSV or a file's points, no known truth): this share of the points, picked by `seed`,
   * is held out — never trained on — and judges the calibration metrics (split.ts). Absent: nothing held out.
   */
  heldOut?: { share: number; seed: number };
  /**
   * Post-hoc uncertainty (posthoc.ts): a calibration share held back from training, on which every model gets a
   * split-conformal band and a recalibration. Absent: off, and every point trains.
   */
  posthoc?: PosthocSettings;
}

export const DEFAULT_MODEL: ModelSpec = {
  id: '',
  loss: 'nll',
  T: 16,
  beta: 0.5,
  alpha: 1,
  c: 1,
  lambda: 1,
  tau: 1,
  tauMode: 'ema',
  nu: 4,
  lrScale: 1,
  initSeed: 1,
};

export const DEFAULT_TRAIN: TrainSettings = {
  optimizer: 'adam',
  learningRate: 0.01,
  // Robust-NLL sec. 4.2: Adam, lr 0.01, batch 256.
  batchSize: 256,
  // Shorter than ../shared/FINDINGS.md's 3000 + 3000 so the page shows the lesson within seconds;
  // the reproduction command uses the longer schedule.
  warmupMeanSteps: 400,
  warmupNllSteps: 400,
  batchSeed: 1,
  architecture: DEFAULT_ARCHITECTURE,
};

/** A model with the defaults; without an id in `overrides` it gets one from withIds (or the run that takes it). */
export function modelSpec(loss: string, overrides: Partial<ModelSpec> = {}): ModelSpec {
  return { ...DEFAULT_MODEL, loss, ...overrides };
}

/** A new id for a model joining `models`: 'm' and the smallest number above every 'm<n>' id in use. */
export function nextModelId(models: readonly { id: string }[]): string {
  let max = 0;
  for (const m of models) {
    const n = /^m(\d+)$/.exec(m.id);
    if (n) max = Math.max(max, Number(n[1]));
  }
  return `m${max + 1}`;
}

/** The same models, each with a unique id: missing or repeated ids are replaced by new ones, in order. */
export function withIds(models: readonly ModelSpec[]): ModelSpec[] {
  const out: ModelSpec[] = [];
  const seen = new Set<string>();
  for (const m of models) {
    const ok = m.id !== '' && !seen.has(m.id);
    const id = ok ? m.id : nextModelId([...models, ...out]);
    seen.add(id);
    out.push(ok ? m : { ...m, id });
  }
  return out;
}

/** Everything that defines a run: the data, the models and the shared training settings. */
export interface RunConfig {
  data: DataSpec;
  models: ModelSpec[];
  train: TrainSettings;
}
