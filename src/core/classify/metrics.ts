// Classification metrics on host arrays (float64): accuracy, AUROC of an uncertainty score on flipped vs
// clean points, and accuracy after rejecting the most uncertain test points (ALUM's Table 3).

/** Index of the largest of row i of a [n, c] row-major array (the first on ties). */
export function argmaxRow(values: ArrayLike<number>, c: number, i: number): number {
  let best = 0;
  for (let j = 1; j < c; j++) if (values[i * c + j] > values[i * c + best]) best = j;
  return best;
}

/** Predicted classes of [n, c] probabilities or logits. */
export function predictions(probs: ArrayLike<number>, c: number): Int32Array {
  const n = probs.length / c;
  return Int32Array.from({ length: n }, (_, i) => argmaxRow(probs, c, i));
}

export function accuracy(pred: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (labels.length === 0) return NaN;
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) ok++;
  return ok / labels.length;
}

/** Entropy −Σ p log p of each row of [n, c] probabilities. */
export function entropyRows(probs: ArrayLike<number>, c: number): Float64Array {
  const n = probs.length / c;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = 0; j < c; j++) {
      const p = probs[i * c + j];
      if (p > 0) h -= p * Math.log(p);
    }
    out[i] = h;
  }
  return out;
}

/**
 * AUROC of `score` separating positives (flag 1) from negatives: P(score₊ > score₋) + ½ P(=), by ranks
 * (Mann–Whitney, average ranks on ties). 0.5 is chance; NaN when either group is empty.
 */
export function auroc(score: ArrayLike<number>, positive: ArrayLike<number>): number {
  const n = score.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  const rank = new Float64Array(n);
  for (let s = 0; s < n;) {
    let e = s;
    while (e + 1 < n && score[order[e + 1]] === score[order[s]]) e++;
    for (let t = s; t <= e; t++) rank[order[t]] = (s + e) / 2 + 1;
    s = e + 1;
  }
  let pos = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!positive[i]) continue;
    pos++;
    sum += rank[i];
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

export const REJECTION_FRACTIONS = [0, 0.1, 0.2, 0.3] as const;

/**
 * Accuracy on what remains after rejecting the floor(f·n) points of highest uncertainty, for each f (ties:
 * the later index goes first, so the result is deterministic).
 */
export function rejectionAccuracy(
  correct: ArrayLike<number>,
  uncertainty: ArrayLike<number>,
  fractions: readonly number[] = REJECTION_FRACTIONS,
): number[] {
  const n = correct.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => uncertainty[b] - uncertainty[a] || b - a);
  return fractions.map((f) => {
    const drop = Math.floor(f * n);
    let ok = 0;
    for (let r = drop; r < n; r++) ok += correct[order[r]] ? 1 : 0;
    return n - drop > 0 ? ok / (n - drop) : NaN;
  });
}

/** Mean over the D entries of each row of [n, d]. */
export function rowMeans(values: ArrayLike<number>, d: number): Float64Array {
  const n = values.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += values[i * d + j];
    out[i] = s / d;
  }
  return out;
}

export function meanSd(values: number[]): { mean: number; sd: number } {
  const m = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1)) : 0;
  return { mean: m, sd };
}
