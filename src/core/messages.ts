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
} as const;

export const MAX_MODELS = LIMITS.maxModels;

const fmt = (n: number) => (Number.isFinite(n) ? String(n) : n > 0 ? '∞' : '−∞');

export const tooManyModels = (n: number, max: number = LIMITS.maxModels) =>
  max === LIMITS.maxModels ? `${n} models: the page trains at most ${max} at once` : `${n} models: a file holds at most ${max} (and the page trains at most ${LIMITS.maxModels})`;
export const noModels = () => 'at least one model is needed';
export const tooManyLayers = (n: number) => `${n} hidden layers: at most ${LIMITS.maxHiddenLayers}`;
export const layerTooWide = (width: number) => `a hidden layer of ${fmt(width)} units: a layer has a whole number of units from 1 to ${LIMITS.maxWidth}`;
export const tooManyParams = (n: number) => `${n} parameters per model: at most ${LIMITS.maxParams} (2 × 256 tanh has 66 820)`;
export const nOutOfRange = (n: number) => `N = ${fmt(n)}: N must be a whole number from ${LIMITS.minN} to ${LIMITS.maxN}`;
export const batchOutOfRange = (b: number) => `batch size ${fmt(b)}: the batch size must be a whole number from ${LIMITS.minBatch} to ${LIMITS.maxBatch}`;
export const varianceFloorOutOfRange = (v: number) => `variance floor ${fmt(v)}: the floor must lie in [${LIMITS.minVarianceFloor}, ${LIMITS.maxVarianceFloor}]`;
export const tooManyPoints = (n: number) => `${n} points: the page trains on at most ${LIMITS.maxPoints}`;
export const seedNotInteger = (v: number) => `seed ${fmt(v)}: a seed is a whole number within ±${Number.MAX_SAFE_INTEGER}`;
/** A seed every path draws alike: a whole number that float64 holds exactly (JSON and links carry it). */
export const isSeed = (v: number) => Number.isSafeInteger(v);
export const tTooSmall = () => `T must be at least ${LIMITS.minT} (∞ allowed)`;
export const ensembleOutOfRange = (m: number) => `an ensemble of ${fmt(m)}: an ensemble has a whole number of members from 1 to ${LIMITS.maxEnsemble}`;
export const tooManyMembers = (n: number) => `${n} networks in all (ensemble members counted): the page trains at most ${LIMITS.maxMembers} at once`;
export const heldOutShareOutOfRange = (v: number) => `a held-out share of ${fmt(v)}: the share lies in [0, ${LIMITS.maxHeldOutShare}]`;
export const calibrationShareOutOfRange = (v: number) => `a calibration share of ${fmt(v)}: the share lies in [${LIMITS.minCalibrationShare}, ${LIMITS.maxCalibrationShare}]`;
export const levelOutOfRange = (v: number) => `a conformal level of ${fmt(v)}: the level 1 − α lies in [${LIMITS.minLevel}, ${LIMITS.maxLevel}]`;
/**
 * The split-conformal guard in words: with n calibration points the level-(1 − α) band is finite only when
 * ⌈(n + 1)(1 − α)⌉ ≤ n, i.e. n ≥ (1 − α)/α; below that no score is large enough and the band is the whole line.
 */
export const conformalInfinite = (n: number, level: number, k: number, needed: number) =>
  `the conformal band is infinite: ${n} calibration points are too few for ${Math.round(level * 1000) / 10} % (k = ⌈(n + 1)(1 − α)⌉ = ${k} > n = ${n}: no score is large enough); ${needed} points or a lower level make it finite`;

/** A file holds more models than the page trains (the reproduction command writes 10): refused, with an offer. */
export const fileBeyondPage = (n: number) =>
  `${tooManyModels(n)}. Nothing was changed; “Open the first ${LIMITS.maxModels}” opens models 1–${LIMITS.maxModels} of the file with their training state (the file keeps all ${n}).`;
