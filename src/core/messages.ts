// Every message about a configuration beyond the engine's bounds, in one catalogue (as vega-lite's
// log/message.ts does): functions returning strings, so the schema, the page and the tests say the same thing.

/** Where the engine's guarantees end. Links and files share them (files may hold more models: MAX_FILE_MODELS). */
export const LIMITS = {
  /** Models the page trains at once (the add button stops here too). */
  maxModels: 8,
  /** Members of one ensemble (ModelSpec.ensemble). */
  maxEnsemble: 16,
  /** Networks stacked in one run, every ensemble member counted: eight panels of 4, or two of 16. */
  maxMembers: 32,
  /** Models of a sweep's own stacked run (src/core/sweep.ts; its own worker session): 8 × 8 cells, or two grids of 32. */
  maxSweepModels: 64,
  /** Held-out share of your own data (TrainSettings.heldOut). */
  maxHeldOutShare: 0.5,
  /** Calibration share of post-hoc methods (TrainSettings.posthoc): at least 10 % so that q̂ has points to stand on. */
  minCalibrationShare: 0.1,
  maxCalibrationShare: 0.5,
  /** Nominal level 1 − α of the conformal band: 50 % to 99 %. */
  minLevel: 0.5,
  maxLevel: 0.99,
  /** Models a file may hold: the reproduction command exports up to 10 (Fig. 3); the page still trains at most 8. */
  maxFileModels: 16,
  maxHiddenLayers: 4,
  maxWidth: 256,
  /** Parameters per model: 2 × 256 tanh (shared) has 66 820. */
  maxParams: 70_000,
  minN: 2,
  /** The N slider's last notch (10^3.7 rounded). */
  maxN: 5012,
  minBatch: 1,
  maxBatch: 1024,
  minVarianceFloor: 1e-8,
  maxVarianceFloor: 1,
  minT: 1e-3,
  /** Points of the user's own (a CSV, a file, clicked points): the page draws and evaluates every one each frame. */
  maxPoints: 20_000,
  /** A run file: 16 models of 70 000 parameters with Adam's moments are about 75 MB of JSON. */
  maxFileBytes: 128 * 2 ** 20,
  /**
   * Characters of a link's hash, checked before anything is parsed. The largest configuration the page writes (8
   * models, every field, long decimals) is about 4 600 characters; browsers, servers, proxies and chat apps cut
   * URLs somewhere between 2 000 and 64 000, so a longer link is either cut already or not one of ours.
   */
  maxLinkChars: 16_384,
} as const;

export const MAX_MODELS = LIMITS.maxModels;

/**
 * The range of one number a link, a file or a CSV can set. Both ends are always there, chosen so the float32 data,
 * the losses and their gradients stay finite (float32 holds |v| ≤ 3.4e38 and rounds |v| < 1.4e-45 to 0); `why`
 * says why each end lies where it does.
 */
export interface Bound {
  /** The name the message uses. */
  label: string;
  min: number;
  max: number;
  integer?: boolean;
  /** An infinity accepted beside the range: T = ∞ (plain averaging), α = −∞ (Welsch's limit). */
  infinite?: typeof Infinity;
  why: string;
}

/**
 * The residual scale the bounds below rest on: the data sets' own noise std is at most 3.6 (hetero-sine at x = 12),
 * so with noise × ≤ 1e3 and outlier sizes ≤ 1e3, |y| stays below ~3e4 (six standard deviations of each), a squared
 * residual below ~1e9, and over the variance floor (≥ 1e-8) below ~1e17: finite in float32 (≤ 3.4e38), sums over
 * a batch of 1024 included.
 */
const RESIDUAL = 'keeps |y| ≲ 3e4, so (y − μ)²/σ² ≲ 1e17 over the variance floor 1e-8: finite in float32';

/** Every unbounded-looking scalar of the regression configuration, bounded (schema.ts, datasets.ts). */
export const BOUNDS = {
  noise: { label: 'noise ×', min: 0, max: 1e3, why: `1e3 ${RESIDUAL}; the slider ends at 3` },
  outlierScale: {
    label: 'outlier size',
    min: 0,
    max: 1e3,
    why: `1e3 ${RESIDUAL}; 1e300 overflowed the float32 targets to ±∞; the slider ends at 20`,
  },
  T: {
    label: 'T',
    min: LIMITS.minT,
    max: 1e6,
    infinite: Infinity,
    why: 'below 1e-3 exp(−ℓ/T) is a hardmax to float32; past 1e6 write ∞ (the slider ends at 1.3e3)',
  },
  alpha: {
    label: 'α',
    min: -1e3,
    max: 2,
    infinite: -Infinity,
    why: 'Barron defines α ≤ 2; below −1e3 (x²/|α−2| + 1)^(α/2) underflows like the α = −∞ limit, which is written as −∞',
  },
  c: {
    label: 'c',
    min: 1e-3,
    max: 1e3,
    why: '(x/c)² ≲ (3e4/1e-3)² ≈ 1e15 stays finite; c = 1e-300 became 0 in float32 (division by zero in ρ and ψ)',
  },
  lambda: {
    label: 'λ',
    min: 1e-3,
    max: 1e3,
    why: "SuperLoss's β = (ℓ − τ)/λ stays finite for λ ≥ 1e-3 (λ = 1e-300 became 0); past 1e3 σ* = 1 to float32",
  },
  tau: {
    label: 'τ',
    min: -1e3,
    max: 1e3,
    why: 'a threshold on per-point losses (the slider spans −2 to 20); ℓ − τ and (ℓ − τ)/λ stay finite',
  },
  nu: {
    label: 'ν',
    min: 1e-2,
    max: 1e4,
    why: "Student-t's r²/ν ≲ 1e17/1e-2 stays finite (ν = 1e-300 became 0); past 1e4 it is the Gaussian to float32 (the slider ends at 1e3)",
  },
  lrScale: {
    label: 'learning-rate factor',
    min: 1e-3,
    max: 1e2,
    why: 'times the learning rate (≤ 10): the step stays ≤ 1e3; below 1e-3 a model barely moves',
  },
  learningRate: {
    label: 'learning rate',
    min: 1e-7,
    max: 10,
    why: 'below 1e-7 an Adam step at θ ≈ 1 is under float32’s half-ulp (6e-8) and is lost; above 10 every model diverges',
  },
  point: {
    label: "a point's x or y",
    min: -1e9,
    max: 1e9,
    why: '(y − μ)² ≤ 4e18 and over the variance floor 1e-8 ≤ 4e26, (x/c)² ≤ 4e24: the losses stay finite in float32 (3.4e38 itself squared would not)',
  },
  warmupSteps: {
    label: 'warm-up steps',
    min: 0,
    max: 1e9,
    integer: true,
    why: 'mean-only plus NLL warm-up is compared with a u32 step counter on the fused path: two of ≤ 1e9 fit 2³²',
  },
} as const satisfies Record<string, Bound>;

/** The classification configuration's scalars that had no upper or lower end (classify/schema.ts). */
export const CLASS_BOUNDS = {
  seed: {
    label: 'seed',
    min: -Number.MAX_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
    integer: true,
    why: 'a whole number float64 (JSON, links) holds exactly',
  },
  q: {
    label: "GCE's q",
    min: 1e-2,
    max: 1,
    why: '(1 − p^q)/q: q = 1e-300 became 0 in float32 (0/0); q → 0 is cross-entropy already at 1e-2',
  },
  T: {
    label: 'T',
    min: 1e-3,
    max: 1e6,
    infinite: Infinity,
    why: 'below 1e-3 the weights are a hardmax to float32; past 1e6 write ∞ (plain cross-entropy)',
  },
  slLambda: {
    label: "SuperLoss's λ",
    min: 1e-3,
    max: 100,
    why: '(ℓ − τ)/λ stays finite for λ ≥ 1e-3 (λ = 1e-300 became 0)',
  },
  learningRate: {
    label: 'learning rate',
    min: 1e-7,
    max: 1,
    why: 'below 1e-7 an Adam step at θ ≈ 1 is lost to float32 rounding; above 1 the embedding diverges',
  },
} as const satisfies Record<string, Bound>;

/** Whether `v` lies within the bound (NaN never does). */
export function inBound(v: number, b: Bound): boolean {
  if (b.infinite !== undefined && v === b.infinite) return true;
  return v >= b.min && v <= b.max && (!b.integer || Number.isInteger(v));
}

export const outOfBound = (v: number, b: Bound) =>
  `${b.label} = ${fmt(v)}: ${b.label} must be ${b.integer ? 'a whole number' : 'a number'} in [${b.min}, ${b.max}]${b.infinite !== undefined ? ` or ${fmt(b.infinite)}` : ''} (${b.why})`;

/**
 * Training-state counters (Adam's t, a model's steps, τ's count, the global minibatch step) are written into u32
 * words on the fused path: 2³² + 1 would become 1 there and send a model back into warm-up on WebGPU alone.
 */
export const MAX_COUNTER = 2 ** 32 - 1;
export const counterOutOfRange = (name: string, v: number) =>
  `${name} must be a whole number from 0 to ${MAX_COUNTER} (a u32 on the fused path; got ${fmt(v)})`;

const fmt = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '∞' : '−∞');

export const tooManyModels = (n: number, max: number = LIMITS.maxModels) =>
  max === LIMITS.maxModels
    ? `${n} models: the page trains at most ${max} at once`
    : `${n} models: a file holds at most ${max} (and the page trains at most ${LIMITS.maxModels})`;
export const noModels = () => 'at least one model is needed';
export const tooManyLayers = (n: number) => `${n} hidden layers: at most ${LIMITS.maxHiddenLayers}`;
export const layerTooWide = (width: number) =>
  `a hidden layer of ${fmt(width)} units: a layer has a whole number of units from 1 to ${LIMITS.maxWidth}`;
export const tooManyParams = (n: number) =>
  `${n} parameters per model: at most ${LIMITS.maxParams} (2 × 256 tanh has 66 820)`;
export const nOutOfRange = (n: number) =>
  `N = ${fmt(n)}: N must be a whole number from ${LIMITS.minN} to ${LIMITS.maxN}`;
export const batchOutOfRange = (b: number) =>
  `batch size ${fmt(b)}: the batch size must be a whole number from ${LIMITS.minBatch} to ${LIMITS.maxBatch}`;
export const varianceFloorOutOfRange = (v: number) =>
  `variance floor ${fmt(v)}: the floor must lie in [${LIMITS.minVarianceFloor}, ${LIMITS.maxVarianceFloor}]`;
export const tooManyPoints = (n: number) => `${n} points: the page trains on at most ${LIMITS.maxPoints}`;
export const seedNotInteger = (v: number) =>
  `seed ${fmt(v)}: a seed is a whole number within ±${Number.MAX_SAFE_INTEGER}`;
/** A seed every path draws alike: a whole number that float64 holds exactly (JSON and links carry it). */
export const isSeed = (v: number) => Number.isSafeInteger(v);
export const tTooSmall = () =>
  `T must be at least ${LIMITS.minT} (∞ allowed): T lies in [${BOUNDS.T.min}, ${BOUNDS.T.max}] or is ∞ (${BOUNDS.T.why})`;
export const ensembleOutOfRange = (m: number) =>
  `an ensemble of ${fmt(m)}: an ensemble has a whole number of members from 1 to ${LIMITS.maxEnsemble}`;
export const tooManyMembers = (n: number) =>
  `${n} networks in all (ensemble members counted): the page trains at most ${LIMITS.maxMembers} at once`;
export const heldOutShareOutOfRange = (v: number) =>
  `a held-out share of ${fmt(v)}: the share lies in [0, ${LIMITS.maxHeldOutShare}]`;
/** A CSV cell or a file's point beyond BOUNDS.point. */
export const pointTooLarge = (where: string, text: string) =>
  `${where} is too large ("${text}"); the limit is ±${BOUNDS.point.max.toExponential()} (${BOUNDS.point.why})`;

export const linkTooLong = (n: number) =>
  `This link is ${n} characters long: a link holds at most ${LIMITS.maxLinkChars} (browsers and servers cut longer URLs, so it cannot be whole; the page's own links stay under this; save a run as a file instead)`;
export const linkSaysNothing = () =>
  'This link names neither a configuration nor a lesson (it may have been cut short, or it belongs to another page)';
export const calibrationShareOutOfRange = (v: number) =>
  `a calibration share of ${fmt(v)}: the share lies in [${LIMITS.minCalibrationShare}, ${LIMITS.maxCalibrationShare}]`;
export const levelOutOfRange = (v: number) =>
  `a conformal level of ${fmt(v)}: the level 1 − α lies in [${LIMITS.minLevel}, ${LIMITS.maxLevel}]`;
/**
 * The split-conformal guard in words: with n calibration points the level-(1 − α) band is finite only when
 * ⌈(n + 1)(1 − α)⌉ ≤ n, i.e. n ≥ (1 − α)/α; below that no score is large enough and the band is the whole line.
 */
export const conformalInfinite = (n: number, level: number, k: number, needed: number) =>
  `the conformal band is infinite: ${n} calibration points are too few for ${Math.round(level * 1000) / 10} % (k = ⌈(n + 1)(1 − α)⌉ = ${k} > n = ${n}: no score is large enough); ${needed} points or a lower level make it finite`;

/** A file holds more models than the page trains (the reproduction command writes 10): refused, with an offer. */
export const fileBeyondPage = (n: number) =>
  `${tooManyModels(n)}. Nothing was changed; “Open the first ${LIMITS.maxModels}” opens models 1–${LIMITS.maxModels} of the file with their training state (the file keeps all ${n}).`;

// Undo and redo across a change that discarded training (src/app/store/runStore.ts).
export const undoModelsFresh = (ids: string[]) =>
  `Model ${ids.join(', ')} is back under its id but starts fresh: its weights were discarded.`;
export const undoWeightsNotKept = () => 'Its weights could not be kept: training starts again.';
export const undoWeightsDropped = (capMB: number) =>
  `Its weights were no longer kept (undo holds at most ${capMB} MB of runs, the oldest dropped first): training starts again.`;
