// 2-D classification data with label noise: two moons, circles, XOR, spirals, Gaussian blobs; a label-flip
// rate of three kinds (symmetric, near the boundary, far from it); a clean test set; every point's flip flag.
// Every draw is a pure function of (seed, stream, index) (src/core/rng.ts), so Node, the worker and the page
// build the same points.
import { hash32, normal, uniform } from '../rng';

export const CLASS_DATASETS = ['moons', 'circles', 'xor', 'spirals', 'blobs'] as const;
export type ClassDataset = (typeof CLASS_DATASETS)[number];
export const FLIP_KINDS = ['symmetric', 'near', 'far'] as const;
export type FlipKind = (typeof FLIP_KINDS)[number];

/** Data sets whose class count is chosen (2–5); the others have two classes. */
export const MULTICLASS: readonly ClassDataset[] = ['spirals', 'blobs'];

export interface ClassDataSpec {
  dataset: ClassDataset;
  /** Used by spirals and blobs (2–5); the other data sets have 2. */
  classes: number;
  /** Training points, 200–2000. */
  n: number;
  /** Standard deviation of the Gaussian input noise. */
  noise: number;
  /** Share of training labels flipped, in [0, 0.5]. */
  flipRate: number;
  flipKind: FlipKind;
  seed: number;
  /** Clean test points. */
  testN: number;
}

export const DEFAULT_CLASS_DATA: ClassDataSpec = {
  dataset: 'moons',
  classes: 2,
  n: 500,
  noise: 0.1,
  flipRate: 0.2,
  flipKind: 'symmetric',
  seed: 1,
  testN: 1000,
};

export const CLASS_DATA_BOUNDS = {
  n: [200, 2000],
  testN: [100, 5000],
  classes: [2, 5],
  noise: [0, 1],
  flipRate: [0, 0.5],
} as const;

export interface ClassPoints {
  /** Row-major [n, 2]. */
  x: Float32Array;
  /** The labels training sees (noisy). */
  label: Int32Array;
  /** The labels before flipping. */
  clean: Int32Array;
  /** 1 where label ≠ clean. */
  flipped: Uint8Array;
  classes: number;
}

export interface ClassData {
  spec: ClassDataSpec;
  train: ClassPoints;
  /** Clean labels, no flips. */
  test: ClassPoints;
}

// Streams of their own (the regression data uses 1–8).
const S = { x: 41, noise: 42, flipPick: 43, flipTo: 44, testOffset: 1 << 20 } as const;

export function classCount(spec: Pick<ClassDataSpec, 'dataset' | 'classes'>): number {
  return MULTICLASS.includes(spec.dataset) ? spec.classes : 2;
}

/** Why a spec cannot be built, or null. */
export function classDataProblem(spec: ClassDataSpec): string | null {
  const B = CLASS_DATA_BOUNDS;
  if (!CLASS_DATASETS.includes(spec.dataset))
    return `unknown data set "${spec.dataset}"; one of ${CLASS_DATASETS.join(', ')}`;
  if (!FLIP_KINDS.includes(spec.flipKind))
    return `unknown flip kind "${spec.flipKind}"; one of ${FLIP_KINDS.join(', ')}`;
  const inRange = (name: string, v: number, [lo, hi]: readonly [number, number], integer: boolean) =>
    !Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v))
      ? `${name} must be ${integer ? 'an integer ' : ''}in [${lo}, ${hi}], not ${v}`
      : null;
  return (
    inRange('N', spec.n, B.n, true) ??
    inRange('test N', spec.testN, B.testN, true) ??
    inRange('classes', spec.classes, B.classes, true) ??
    inRange('input noise', spec.noise, B.noise, false) ??
    inRange('flip rate', spec.flipRate, B.flipRate, false) ??
    (Number.isInteger(spec.seed) ? null : `seed must be an integer, not ${spec.seed}`)
  );
}

/** Point `index` of a data set before input noise: its position and class. */
function cleanPoint(spec: ClassDataSpec, index: number, classes: number): [number, number, number] {
  const u = (d: number) => uniform(spec.seed, S.x, index, d);
  const c = index % classes;
  switch (spec.dataset) {
    case 'moons': {
      const t = Math.PI * u(0);
      // sklearn's moons, centred: the outer arc and the inner arc shifted by (1, −0.5).
      return c === 0 ? [Math.cos(t) - 0.5, Math.sin(t) - 0.25, 0] : [1 - Math.cos(t) - 0.5, 0.25 - Math.sin(t), 1];
    }
    case 'circles': {
      const t = 2 * Math.PI * u(0);
      const r = c === 0 ? 1 : 0.5;
      return [r * Math.cos(t), r * Math.sin(t), c];
    }
    case 'xor': {
      const a = 2 * u(0) - 1;
      const b = 2 * u(1) - 1;
      return [a, b, a * b > 0 ? 0 : 1];
    }
    case 'spirals': {
      const t = Math.sqrt(u(0));
      const angle = 3 * Math.PI * t + (2 * Math.PI * c) / classes;
      return [1.2 * t * Math.cos(angle), 1.2 * t * Math.sin(angle), c];
    }
    case 'blobs': {
      const angle = (2 * Math.PI * c) / classes;
      return [
        Math.cos(angle) + 0.4 * normal(spec.seed, S.x, index, 0),
        Math.sin(angle) + 0.4 * normal(spec.seed, S.x, index, 1),
        c,
      ];
    }
  }
}

function generate(spec: ClassDataSpec, n: number, offset: number): ClassPoints {
  const classes = classCount(spec);
  const x = new Float32Array(2 * n);
  const label = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const [a, b, c] = cleanPoint(spec, offset + i, classes);
    x[2 * i] = a + spec.noise * normal(spec.seed, S.noise, offset + i, 0);
    x[2 * i + 1] = b + spec.noise * normal(spec.seed, S.noise, offset + i, 1);
    label[i] = c;
  }
  return { x, label, clean: label.slice(), flipped: new Uint8Array(n), classes };
}

/** Each point's distance to the nearest point of another (clean) class: small near the boundary. */
export function boundaryDistance(p: Pick<ClassPoints, 'x' | 'clean'>): Float64Array {
  const n = p.clean.length;
  const out = new Float64Array(n).fill(Infinity);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (p.clean[i] === p.clean[j]) continue;
      const d = Math.hypot(p.x[2 * i] - p.x[2 * j], p.x[2 * i + 1] - p.x[2 * j + 1]);
      if (d < out[i]) out[i] = d;
      if (d < out[j]) out[j] = d;
    }
  }
  return out;
}

/**
 * Which points to flip: exactly round(rate · n) of them. Symmetric: a uniformly random subset. Near / far:
 * the points with the smallest / largest distance to another class (ties broken at random).
 */
export function pickFlips(p: Pick<ClassPoints, 'x' | 'clean'>, rate: number, kind: FlipKind, seed: number): Uint8Array {
  const n = p.clean.length;
  const count = Math.round(rate * n);
  const key = Float64Array.from({ length: n }, (_, i) => uniform(seed, S.flipPick, i));
  let order = Array.from({ length: n }, (_, i) => i);
  if (kind === 'symmetric') order.sort((a, b) => key[a] - key[b]);
  else {
    const d = boundaryDistance(p);
    const sign = kind === 'near' ? 1 : -1;
    order = order.sort((a, b) => sign * (d[a] - d[b]) || key[a] - key[b]);
  }
  const out = new Uint8Array(n);
  for (let r = 0; r < count; r++) out[order[r]] = 1;
  return out;
}

/** A flipped label: uniform over the other classes. */
export function flipLabel(clean: number, classes: number, seed: number, index: number): number {
  const shift = 1 + (hash32(seed, S.flipTo, index) % (classes - 1));
  return (clean + shift) % classes;
}

export function makeClassData(spec: ClassDataSpec): ClassData {
  const problem = classDataProblem(spec);
  if (problem) throw new Error(`invalid classification data: ${problem}`);
  const train = generate(spec, spec.n, 0);
  const flips = pickFlips(train, spec.flipRate, spec.flipKind, spec.seed);
  for (let i = 0; i < spec.n; i++) {
    if (!flips[i]) continue;
    train.label[i] = flipLabel(train.clean[i], train.classes, spec.seed, i);
    train.flipped[i] = 1;
  }
  return { spec: { ...spec }, train, test: generate(spec, spec.testN, S.testOffset) };
}

/** The square [−r, r]² every data set lies in (with noise up to about 0.3). */
export const PLANE_RADIUS = 2;
