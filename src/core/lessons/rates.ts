// A claim judged on many seeds is a rate: k of n seeds where it held, with Wilson's 95 % score interval, and the
// verdict words that follow from that interval alone (never typed by hand, so a sentence of docs/ made from them
// says exactly what was measured).

/** z of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

export interface Rate {
  /** Seeds where the claim held. */
  k: number;
  /** Seeds judged. */
  n: number;
  /** Wilson score interval for the probability that the claim holds on a fresh seed. */
  lo: number;
  hi: number;
}

/**
 * Wilson's score interval (Wilson 1927) for k successes in n trials: unlike k/n ± z·se it stays inside [0, 1]
 * and is not empty at k = 0 or k = n, which is where a claim over 8 or 16 seeds usually lands.
 */
export function wilson(k: number, n: number, z = Z95): { lo: number; hi: number } {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`invalid n; not a non-negative integer: ${n}`);
  if (!(Number.isInteger(k) && k >= 0 && k <= n)) throw new Error(`invalid k; not an integer in [0, n = ${n}]: ${k}`);
  if (n === 0) return { lo: 0, hi: 1 };
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp float dust at the ends (k = 0 gives lo = 1e-17, k = n gives hi = 1 − 1e-16).
  return { lo: k === 0 ? 0 : Math.max(0, centre - half), hi: k === n ? 1 : Math.min(1, centre + half) };
}

/** The rate of a list of per-seed outcomes. */
export function rateOf(holds: boolean[]): Rate {
  const k = holds.filter(Boolean).length;
  return { k, n: holds.length, ...wilson(k, holds.length) };
}

/**
 * What a rate allows one to say. 'holds': the claim holds on a majority of fresh seeds with 95 % confidence
 * (the interval lies above one half); 'fails': it fails on a majority (the interval lies below one half);
 * 'mixed': the seeds cannot tell (the interval straddles one half), or it holds on some and fails on others
 * in about equal measure. 'untested' when no seed was judged.
 */
export type Verdict = 'holds' | 'fails' | 'mixed' | 'untested';

export function verdictOf(r: Rate): Verdict {
  if (r.n === 0) return 'untested';
  if (r.lo > 0.5) return 'holds';
  if (r.hi < 0.5) return 'fails';
  return 'mixed';
}

const pct = (v: number) => `${Math.round(100 * v)} %`;

/** "holds on 14 of 16 seeds (95 % interval 64–97 %)". */
export function rateText(r: Rate): string {
  if (r.n === 0) return 'not judged on any seed';
  const seeds = r.n === 1 ? 'seed' : 'seeds';
  const share =
    r.k === r.n
      ? r.n === 1
        ? 'on its one seed'
        : `on all ${r.n} ${seeds}`
      : r.k === 0
        ? `on none of ${r.n} ${seeds}`
        : `on ${r.k} of ${r.n} ${seeds}`;
  return `holds ${share} (95 % interval ${pct(r.lo).replace(' %', '')}–${pct(r.hi)})`;
}

/**
 * The verdict in words, from the rate alone: "reproduces: holds on 15 of 16 seeds (…)". A mixed rate whose
 * seeds all agree is too few seeds to conclude, not a seed dependence.
 */
export function verdictText(r: Rate): string {
  const v = verdictOf(r);
  const lead =
    v === 'mixed' && (r.k === r.n || r.k === 0)
      ? `too few seeds to conclude (${r.k === 0 ? 'fails' : 'holds'} on every one)`
      : { holds: 'reproduces', fails: 'does not reproduce', mixed: 'seed-dependent', untested: 'not run' }[v];
  return `${lead}: ${rateText(r)}`;
}
