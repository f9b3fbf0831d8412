// The 1-D regression problems of the papers, with seeded outlier injection.
import { normal, STREAM, uniform } from './rng';
import { BOUNDS, inBound, isSeed, outOfBound, seedNotInteger } from './messages';

export const OUTLIER_KINDS = ['additive', 'uniform', 'flip'] as const;
export type OutlierKind = (typeof OUTLIER_KINDS)[number];

/** A fully serialisable description of a data set: the same spec gives the same points anywhere. */
export interface DataSpec {
  dataset: DatasetId;
  n: number;
  seed: number;
  /** Share of points whose target is corrupted, in [0, 0.9]. */
  outlierRate: number;
  outlierKind: OutlierKind;
  /** Standard deviation of additive outliers (the papers' o ~ N(0, 10)), or the half-width added to the
   * target range for uniform replacement. */
  outlierScale: number;
  /** Multiplies the data set's own noise standard deviation; 1 is the paper's setting. */
  noise: number;
}

export interface Dataset {
  id: string;
  label: string;
  citation: string;
  /** Where training inputs are drawn. */
  domain: [number, number];
  /** The x range the fit panels show (may extrapolate beyond the domain). */
  view: [number, number];
  defaultN: number;
  defaultOutlierKind: OutlierKind;
  /** True mean and noise std; `w` is a per-seed draw for data sets with a random true parameter. */
  mean: (x: number, w: number) => number;
  std: (x: number, noise: number) => number;
  /** Draws an input in the domain from a uniform u in (0, 1). */
  input: (u: number) => number;
  /** Per-seed true parameter, if any (the slope of sec. 4.1's linear model). */
  parameter?: (seed: number) => number;
}

const heteroSine: Dataset = {
  id: 'hetero-sine',
  label: 'Heteroscedastic sine  y = x sin x + 0.3ε₁ + 0.3xε₂',
  citation: 'Robust-NLL eq. 10 (after Detlefsen et al. 2019)',
  domain: [0, 10],
  view: [-0.5, 10.5],
  defaultN: 1000,
  defaultOutlierKind: 'additive',
  mean: (x) => x * Math.sin(x),
  // 0.3ε₁ + 0.3xε₂ with independent standard normals has variance 0.09 + 0.09x².
  std: (x, noise) => noise * 0.3 * Math.sqrt(1 + x * x),
  input: (u) => 10 * (1 - u),
};

const betaSine: Dataset = {
  id: 'beta-sine',
  label: 'Sine with twelve periods  y = 0.4 sin 2πx + ε',
  citation: 'β-NLL Fig. 1 (Seitzer et al. 2022)',
  domain: [0, 12],
  view: [0, 12],
  defaultN: 1000,
  defaultOutlierKind: 'additive',
  mean: (x) => 0.4 * Math.sin(2 * Math.PI * x),
  std: (_x, noise) => noise * 0.01,
  input: (u) => 12 * u,
};

const linear: Dataset = {
  id: 'linear',
  label: 'Linear  y = w·x + ε,  w ~ N(0, 1)',
  citation: 'Robust-NLL sec. 4.1 (after Talak et al. 2025)',
  domain: [0, 1],
  view: [0, 1],
  defaultN: 1000,
  defaultOutlierKind: 'additive',
  mean: (x, w) => w * x,
  std: (_x, noise) => noise * 0.1,
  input: (u) => 1 - u,
  parameter: (seed) => normal(seed, STREAM.weight, 0),
};

const barronLine: Dataset = {
  id: 'barron-line',
  label: "Barron's line  y = 0.7x + 0.15 + ε",
  citation: 'Barron 2019, line-fit example',
  domain: [0, 1],
  view: [0, 1],
  defaultN: 50,
  defaultOutlierKind: 'flip',
  mean: (x) => 0.7 * x + 0.15,
  std: (_x, noise) => noise * 0.025,
  input: (u) => u,
};

export const DATASETS = {
  'hetero-sine': heteroSine,
  'beta-sine': betaSine,
  linear,
  'barron-line': barronLine,
} as const satisfies Record<string, Dataset>;
export type DatasetId = keyof typeof DATASETS;
export const DATASET_IDS = Object.keys(DATASETS) as DatasetId[];

export interface Truth {
  mean: (x: number) => number;
  std: (x: number) => number;
}

export function truthOf(spec: DataSpec): Truth {
  const d: Dataset = DATASETS[spec.dataset];
  const w = d.parameter ? d.parameter(spec.seed) : 0;
  return { mean: (x) => d.mean(x, w), std: (x) => d.std(x, spec.noise) };
}

/** Training points; `isOutlier[i]` is 1 where the target was corrupted. */
export interface Points {
  x: Float32Array;
  y: Float32Array;
  isOutlier: Uint8Array;
  /** Your own data's held-out share (split.ts), judged but never trained on; generated data have their own clean set. */
  heldOut?: { x: Float32Array; y: Float32Array };
  /** The calibration share of post-hoc methods (posthoc.ts), held back from training like the held-out share. */
  calibration?: { x: Float32Array; y: Float32Array; isOutlier: Uint8Array };
}

export function defaultDataSpec(dataset: DatasetId = 'hetero-sine'): DataSpec {
  const d = DATASETS[dataset];
  return {
    dataset,
    n: d.defaultN,
    seed: 1,
    outlierRate: dataset === 'barron-line' ? 0.1 : 0.25,
    outlierKind: d.defaultOutlierKind,
    outlierScale: 10,
    noise: 1,
  };
}

export function validateDataSpec(spec: DataSpec): void {
  if (!(spec.dataset in DATASETS)) throw new Error(`unknown dataset: ${spec.dataset}`);
  if (!(Number.isInteger(spec.n) && spec.n >= 2 && spec.n <= 100_000))
    throw new Error(`invalid n; not an integer in [2, 100000]: ${spec.n}`);
  if (!(spec.outlierRate >= 0 && spec.outlierRate <= 0.9))
    throw new Error(`invalid outlierRate; not in [0, 0.9]: ${spec.outlierRate}`);
  if (!OUTLIER_KINDS.includes(spec.outlierKind)) throw new Error(`unknown outlierKind: ${spec.outlierKind}`);
  if (!inBound(spec.outlierScale, BOUNDS.outlierScale))
    throw new Error(outOfBound(spec.outlierScale, BOUNDS.outlierScale));
  if (!inBound(spec.noise, BOUNDS.noise)) throw new Error(outOfBound(spec.noise, BOUNDS.noise));
  if (!isSeed(spec.seed)) throw new Error(seedNotInteger(spec.seed));
}

/** Range of the true mean over the domain, used by uniform replacement outliers. */
function meanRange(d: Dataset, truth: Truth): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i <= 200; i++) {
    const m = truth.mean(d.domain[0] + ((d.domain[1] - d.domain[0]) * i) / 200);
    lo = Math.min(lo, m);
    hi = Math.max(hi, m);
  }
  return [lo, hi];
}

/**
 * Draws the data of a spec. Point i uses only draws indexed by i, and it is an outlier iff its own
 * uniform falls below the rate, so outlier sets nest as the rate grows and N grows by appending.
 */
export function makePoints(
  spec: DataSpec,
  streams: { x: number; noise: number } = { x: STREAM.x, noise: STREAM.noise },
): Points {
  validateDataSpec(spec);
  const d: Dataset = DATASETS[spec.dataset];
  const truth = truthOf(spec);
  const [lo, hi] = meanRange(d, truth);
  const n = spec.n;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const isOutlier = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const xi = d.input(uniform(spec.seed, streams.x, i));
    // One normal scaled by the total std has the law of eq. 10's two independent noise terms.
    let yi = truth.mean(xi) + truth.std(xi) * normal(spec.seed, streams.noise, i);
    if (uniform(spec.seed, STREAM.outlierPick, i) < spec.outlierRate) {
      isOutlier[i] = 1;
      if (spec.outlierKind === 'additive') yi += spec.outlierScale * normal(spec.seed, STREAM.outlierValue, i);
      else if (spec.outlierKind === 'uniform') {
        const u = uniform(spec.seed, STREAM.outlierValue, i);
        yi = lo - spec.outlierScale + u * (hi - lo + 2 * spec.outlierScale);
      } else yi = 0.05 + 0.4 * (1 - Math.sign(yi - 0.5));
    }
    x[i] = xi;
    y[i] = yi;
  }
  return { x, y, isOutlier };
}

/** A clean held-out set (no outliers) from its own stream, for the clean-NLL metric. */
export function makeHeldOut(spec: DataSpec, m = 400): { x: Float32Array; y: Float32Array } {
  return makePoints({ ...spec, n: m, outlierRate: 0 }, { x: STREAM.heldOut, noise: STREAM.heldOut + 100 });
}

/**
 * Mean and standard deviation of the inputs: the engine standardises x with them (std 1 if constant). With
 * `rawInput` (model.ts Architecture) it is the identity (mean 0, std 1): the network sees x as the paper fed it.
 */
export function inputScale(xs: ArrayLike<number>, arch?: { rawInput?: boolean }): { mean: number; std: number } {
  if (arch?.rawInput) return { mean: 0, std: 1 };
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  const mean = sum / xs.length;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) sq += (xs[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / xs.length) || 1 };
}

export function linspace(lo: number, hi: number, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = lo + ((hi - lo) * i) / (count - 1);
  return out;
}
