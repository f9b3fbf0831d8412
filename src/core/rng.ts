// Counter-based random numbers: every draw is a pure function of (seed, stream, index), so the
// same seed gives the same data in Node, in the worker and in the page, and a point's draws do not
// depend on how many other points exist (raising N or the outlier rate never reshuffles the rest).

/** 32-bit integer hash (a murmur3-style finaliser) of several 32-bit words. */
export function hash32(...words: number[]): number {
  let h = 0x9e3779b9 ^ words.length;
  for (const word of words) {
    let k = Math.imul(word | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in (0, 1), never exactly 0 or 1. */
export function uniform(seed: number, stream: number, index: number, draw = 0): number {
  return (hash32(seed, stream, index, draw) + 0.5) / 4294967296;
}

/** Standard normal by Box-Muller from two independent uniforms. */
export function normal(seed: number, stream: number, index: number, draw = 0): number {
  const u1 = uniform(seed, stream, index, 2 * draw);
  const u2 = uniform(seed, stream, index, 2 * draw + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Named streams, so that two uses of one seed never share draws. */
export const STREAM = {
  x: 1,
  noise: 2,
  outlierPick: 3,
  outlierValue: 4,
  weight: 5,
  init: 6,
  batch: 7,
  heldOut: 8,
  split: 9,
  calibration: 10,
} as const;
