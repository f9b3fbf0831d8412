// The held-out share of your own data (issue 14): a seeded, exact-size choice of points that are never trained
// on and judge the calibration metrics. Point i draws a key hash(seed, i); the round(share·n) points with the
// smallest keys are held out. A point's key depends on its index alone, so adding a point at the end moves at
// most one other point between the sets.
import type { Points } from './datasets';
import { hash32, STREAM } from './rng';

/** What a CSV import holds out unless the run already says otherwise. */
export const DEFAULT_HELD_OUT = { share: 0.2, seed: 1 } as const;

export interface Split {
  /** Indices into the points, ascending. Disjoint, and together every index once. */
  train: Int32Array;
  held: Int32Array;
}

/** The split of n points; at least two always stay for training. `stream`: the keys' stream (the calibration share has its own). */
export function splitIndices(n: number, share: number, seed: number, stream: number = STREAM.split): Split {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`invalid n for splitIndices; not a whole number ≥ 0: ${n}`);
  if (!(share >= 0 && share <= 1)) throw new Error(`invalid held-out share; not in [0, 1]: ${share}`);
  const count = Math.max(0, Math.min(Math.round(share * n), n - 2));
  const keys = Array.from({ length: n }, (_, i) => hash32(seed, stream, i));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
  const held = new Uint8Array(n);
  for (let j = 0; j < count; j++) held[order[j]] = 1;
  const train: number[] = [];
  const out: number[] = [];
  for (let i = 0; i < n; i++) (held[i] ? out : train).push(i);
  return { train: Int32Array.from(train), held: Int32Array.from(out) };
}

/** The points at these indices. */
export function pickPoints(points: Points, idx: ArrayLike<number>): Points {
  const at = <T extends Float32Array | Uint8Array>(a: T, make: (n: number) => T) => {
    const out = make(idx.length);
    for (let j = 0; j < idx.length; j++) out[j] = a[idx[j]];
    return out;
  };
  return {
    x: at(points.x, (n) => new Float32Array(n)),
    y: at(points.y, (n) => new Float32Array(n)),
    isOutlier: at(points.isOutlier, (n) => new Uint8Array(n)),
  };
}

/**
 * What trains on your own data: the training share, carrying the held-out points (x, y) for the evaluator.
 * Without a split (absent, or a share that holds out nothing) the points themselves.
 */
export function trainingPoints(points: Points, heldOut: { share: number; seed: number } | undefined): Points {
  if (!heldOut || !(heldOut.share > 0)) return points;
  const { train, held } = splitIndices(points.x.length, heldOut.share, heldOut.seed);
  if (held.length === 0) return points;
  const h = pickPoints(points, held);
  return { ...pickPoints(points, train), heldOut: { x: h.x, y: h.y } };
}
