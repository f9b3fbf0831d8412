// ALUM's parts against hand computations on tiny batches: compensation (eq. 5/7), mining (eq. 10, with the
// fallback when a class is absent), mixup (eq. 11), the losses (eq. 12–14) and their gradients via tf.grad.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  alumLoss,
  batchStd,
  compensateFaithful,
  compensateGrouped,
  minePartners,
  planPartners,
  tripletTerms,
  uncertaintyMix,
  type AlumOptions,
  type PartnerPlan,
} from '../../src/core/classify/alum';
import { tf } from '../../src/core/tf';

const read = (t: tf.Tensor) => Array.from(t.dataSync());
const t3 = (rows: number[][]) => tf.tensor3d([rows]);

describe('latent compensation', () => {
  const F = [
    [1, 0, 2],
    [3, 0, -2],
    [2, 0, 0],
    [2, 4, 0],
  ];
  // Population standard deviations of the columns over the 4 samples.
  const sd = [Math.sqrt(0.5), Math.sqrt(3), Math.sqrt(2)];

  it('faithful (eq. 7 at H = W = 1): F̂ = F + ε ⊙ Σ_μ, Σ_μ the batch std of each unit (eq. 5)', () => {
    expect(read(batchStd(t3(F)))).toEqual(sd.map((s) => expect.closeTo(s, 5)));
    const eps = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, -1],
      [2, 2, 2],
    ];
    const got = read(compensateFaithful(t3(F), t3(eps)));
    const want = F.flatMap((row, b) => row.map((v, h) => v + eps[b][h] * sd[h]));
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 5));
    expect(read(compensateFaithful(t3(F), tf.zeros([1, 4, 3])))).toEqual(F.flat());
  });

  it('faithful: the added noise has mean 0 and, per unit, the batch std as its spread (1000 draws)', () => {
    const f = t3(F);
    const eps = tf.randomNormal([1000, 4, 3], 0, 1, 'float32', 7);
    const delta = tf.sub(compensateFaithful(tf.tile(f, [1000, 1, 1]), eps), tf.tile(f, [1000, 1, 1]));
    const perUnit = tf.reshape(delta, [4000, 3]);
    const std = read(tf.sqrt(tf.mean(tf.square(perUnit), 0)));
    std.forEach((s, h) => expect(s).toBeCloseTo(sd[h], 1));
    read(tf.mean(perUnit, 0)).forEach((m) => expect(Math.abs(m)).toBeLessThan(0.1));
  });

  it('grouped (an adaptation): identity at ε = 0, and eq. 7 by hand with ε₁ = 1', () => {
    // One group of 2 units; batch of 2: sample 0 = (1, 3) (μ 2, σ 1), sample 1 = (0, 4) (μ 2, σ 2).
    const f = t3([
      [1, 3],
      [0, 4],
    ]);
    const zero = tf.zeros([1, 2, 1]);
    read(compensateGrouped(f, 1, zero, zero)).forEach((v, i) => expect(v).toBeCloseTo([1, 3, 0, 4][i], 3));
    // Σ_σ = std of (1, 2) = 0.5, so with ε₁ = 1 the spread grows by 0.5: sample 0 → 2 ∓ 1.5, sample 1 → 2 ∓ 2.5.
    const got = read(compensateGrouped(f, 1, tf.ones([1, 2, 1]), zero));
    [0.5, 3.5, -0.5, 4.5].forEach((w, i) => expect(got[i]).toBeCloseTo(w, 3));
    // ε₂ = 1 shifts every unit by Σ_μ = std of (2, 2) = 0 → no change.
    read(compensateGrouped(f, 1, zero, tf.ones([1, 2, 1]))).forEach((v, i) =>
      expect(v).toBeCloseTo([1, 3, 0, 4][i], 2),
    );
    expect(() => compensateGrouped(tf.zeros([1, 2, 3]), 2, zero, zero)).toThrow(/do not split/);
  });
});

// Four anchors on the unit circle's directions: 0 → 0°, 1 → 10°, 2 → 90°, 3 → 170°; labels 0, 0, 0, 1.
const deg = (a: number) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
const MU = tf.tensor2d([deg(0), deg(10), deg(90), deg(170)]);
const LABELS = Int32Array.from([0, 0, 0, 1]);
const ALL_HARD = (labels: Int32Array): PartnerPlan => ({
  ...planPartners(labels, 0, 1, 0),
  hard: new Uint8Array(labels.length).fill(1),
});
const MINE = { positives: true, negatives: true, literal: false };
/** The readings as printed (eq. 11 by the standard deviation, eq. 13 unweighted, eq. 14 summed). */
const PRINTED = { mixBy: 'std', weightedCe: false, tripletMean: false } as const;

describe('mining (eq. 10)', () => {
  it('hardest positive = most distant same label (text); literal eq. 10 = closest; negative = closest other label', () => {
    const plan = ALL_HARD(LABELS);
    const { pos, neg } = minePartners(MU, LABELS, plan, MINE);
    expect(read(pos).slice(0, 3)).toEqual([2, 2, 0]);
    expect(read(neg).slice(0, 3)).toEqual([3, 3, 3]);
    expect(read(minePartners(MU, LABELS, plan, { ...MINE, literal: true }).pos).slice(0, 3)).toEqual([1, 0, 1]);
    // Anchor 3 is alone in its class: no positive exists, so it falls back to the random partner; its
    // negative is the closest of the other label (2 at 80°).
    expect(plan.hasPos[3]).toBe(0);
    expect(read(pos)[3]).toBe(plan.randomPos[3]);
    expect(read(neg)[3]).toBe(2);
  });

  it('falls back to random partners when a class is absent from the batch, and the triplet leaves that anchor out', () => {
    const same = Int32Array.from([1, 1, 1, 1]);
    const plan = ALL_HARD(same);
    expect(Array.from(plan.hasNeg)).toEqual([0, 0, 0, 0]);
    const { neg } = minePartners(MU, same, plan, MINE);
    expect(read(neg)).toEqual(Array.from(plan.randomNeg));
    plan.randomNeg.forEach((j, i) => expect(j).not.toBe(i));
    const opts: AlumOptions = { ...MINE, ...PRINTED, lambda: 1, margin: 1, triplet: true };
    const parts = alumLoss(MU, tf.zeros([4, 2]), tf.eye(2), same, plan, opts);
    expect(read(parts.triplet)[0]).toBe(0);
  });

  it('AP and AN each switch only their own partner to random', () => {
    const plan = ALL_HARD(LABELS);
    const both = minePartners(MU, LABELS, plan, MINE);
    const noAP = minePartners(MU, LABELS, plan, { ...MINE, positives: false });
    const noAN = minePartners(MU, LABELS, plan, { ...MINE, negatives: false });
    expect(read(noAP.pos)).toEqual(Array.from(plan.randomPos));
    expect(read(noAP.neg)).toEqual(read(both.neg));
    expect(read(noAN.neg)).toEqual(Array.from(plan.randomNeg));
    expect(read(noAN.pos)).toEqual(read(both.pos));
  });

  it('random partners have the right label relation, never the anchor, and about a fraction p of anchors mine (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2, maxLength: 40 }),
        fc.integer(),
        (labels, seed) => {
          const plan = planPartners(labels, 0.2, seed, 3);
          labels.forEach((l, i) => {
            expect(plan.randomPos[i]).not.toBe(i);
            expect(plan.randomNeg[i]).not.toBe(i);
            if (plan.hasPos[i]) expect(labels[plan.randomPos[i]]).toBe(l);
            if (plan.hasNeg[i]) expect(labels[plan.randomNeg[i]]).not.toBe(l);
          });
        },
      ),
    );
    const big = planPartners(
      Array.from({ length: 5000 }, (_, i) => i % 3),
      0.2,
      1,
      0,
    );
    expect(big.hard.reduce((s, h) => s + h, 0) / 5000).toBeCloseTo(0.2, 1);
  });
});

describe('mixup (eq. 11) and the losses (eq. 12–14)', () => {
  it('weights σ ⊘ (σ + σ⁺ + σ⁻) sum to 1 element-wise and f is their mix (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.01, max: 20, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (s, m) => {
          const sig = [0, 1, 2].map((i) => tf.tensor2d([[s[2 * i], s[2 * i + 1]]]));
          const mus = [0, 1, 2].map((i) => tf.tensor2d([[m[2 * i], m[2 * i + 1]]]));
          const { f, weights } = uncertaintyMix(mus, sig);
          read(tf.addN(weights)).forEach((v) => expect(v).toBeCloseTo(1, 5));
          const ws = weights.map(read);
          const want = [0, 1].map((d) => [0, 1, 2].reduce((acc, i) => acc + ws[i][d] * m[2 * i + d], 0));
          read(f).forEach((v, d) => expect(v).toBeCloseTo(want[d], 4));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('triplet (eq. 14): value and tf.grad by hand — 2(μ⁻ − μ⁺) where active, 0 where not', () => {
    const mu = tf.tensor2d([
      [0, 0],
      [1, 1],
    ]);
    const mp = tf.tensor2d([
      [1, 0],
      [1, 1],
    ]);
    const mn = tf.tensor2d([
      [0, 1],
      [5, 5],
    ]);
    // Anchor 0: 1 − 1 + 1 = 1 (active); anchor 1: 0 − 32 + 1 < 0 (inactive).
    expect(read(tripletTerms(mu, mp, mn, 1))).toEqual([1, 0]);
    const g = read(tf.grad((m: tf.Tensor) => tf.sum(tripletTerms(m, mp, mn, 1)))(mu));
    expect(g).toEqual([2 * (0 - 1), 2 * (1 - 0), 0, 0]);
  });

  type Readings = Pick<AlumOptions, 'mixBy' | 'weightedCe' | 'tripletMean'>;
  // A float64 reference of eq. 11–14 for given partners, under each reading.
  function reference(
    mu: number[][],
    logVar: number[][],
    w: number[][],
    labels: number[],
    pos: number[],
    neg: number[],
    valid: number[],
    lambda: number,
    r: Readings = PRINTED,
  ) {
    const sigma = logVar.map((row) => row.map((v) => (r.mixBy === 'variance' ? Math.exp(v) : Math.exp(v / 2))));
    let ce = 0;
    let trip = 0;
    mu.forEach((m, i) => {
      const members = [i, pos[i], neg[i]];
      const weights = members.map((j) => m.map((_, d) => sigma[j][d] / members.reduce((s, k) => s + sigma[k][d], 0)));
      const f = m.map((_, d) => members.reduce((s, j, q) => s + weights[q][d] * mu[j][d], 0));
      const logits = w[0].map((_, c) => f.reduce((s, v, d) => s + v * w[d][c], 0));
      const lse = Math.log(logits.reduce((s, z) => s + Math.exp(z), 0));
      const meanW = (q: number) => weights[q].reduce((a, b) => a + b, 0) / m.length;
      ce += members.reduce((s, j, q) => s + (r.weightedCe ? meanW(q) : 1) * (lse - logits[labels[j]]), 0);
      const dist = (j: number) => m.reduce((s, v, d) => s + (v - mu[j][d]) ** 2, 0);
      trip += valid[i] * Math.max(dist(pos[i]) - dist(neg[i]) + 1, 0);
    });
    const count = valid.reduce((a, b) => a + b, 0);
    return ce / mu.length + lambda * (r.tripletMean ? trip / Math.max(1, count) : trip);
  }

  const READINGS: Readings[] = (['std', 'variance'] as const).flatMap((mixBy) =>
    [false, true].flatMap((weightedCe) => [false, true].map((tripletMean) => ({ mixBy, weightedCe, tripletMean }))),
  );
  it.each(READINGS)(
    'L = L_C + λ L_T matches a float64 reference, and its tf.grad matches finite differences (%o)',
    (readings) => {
      const mu = [
        [0.3, -0.2],
        [0.5, 0.1],
        [-0.4, 0.6],
        [-0.7, -0.1],
        [0.2, 0.9],
      ];
      const logVar = [
        [0.1, -0.3],
        [0.4, 0.2],
        [-0.5, 0],
        [0.3, 0.3],
        [0, -0.2],
      ];
      const w = [
        [1.2, -0.4, 0.3],
        [0.2, 0.8, -1],
      ];
      const labels = Int32Array.from([0, 1, 0, 2, 1]);
      const plan = ALL_HARD(labels);
      const opts: AlumOptions = { ...MINE, ...readings, lambda: 0.5, margin: 1, triplet: true };
      const parts = alumLoss(tf.tensor2d(mu), tf.tensor2d(logVar), tf.tensor2d(w), labels, plan, opts);
      const pos = read(parts.pos);
      const neg = read(parts.neg);
      const valid = Array.from(plan.hasPos, (p, i) => p * plan.hasNeg[i]);
      expect(read(parts.loss)[0]).toBeCloseTo(
        reference(mu, logVar, w, Array.from(labels), pos, neg, valid, 0.5, readings),
        4,
      );
      // Without the triplet switch, the loss is L_C alone.
      expect(
        read(
          alumLoss(tf.tensor2d(mu), tf.tensor2d(logVar), tf.tensor2d(w), labels, plan, { ...opts, triplet: false })
            .loss,
        )[0],
      ).toBeCloseTo(read(parts.ce)[0], 6);
      // Gradient in μ, log σ² and W by tf.grad vs central differences of the float64 reference (partners held).
      const [gMu, gLv, gW] = tf
        .grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => alumLoss(a, b, c, labels, plan, opts).loss)([
          tf.tensor2d(mu),
          tf.tensor2d(logVar),
          tf.tensor2d(w),
        ])
        .map(read);
      const h = 1e-5;
      const fd = (which: number[][][], k: number, i: number, d: number) => {
        const bump = (s: number) => {
          const copy = which.map((m) => m.map((r) => r.slice()));
          copy[k][i][d] += s;
          return reference(copy[0], copy[1], copy[2], Array.from(labels), pos, neg, valid, 0.5, readings);
        };
        return (bump(h) - bump(-h)) / (2 * h);
      };
      const all = [mu, logVar, w];
      [gMu, gLv, gW].forEach((g, k) => {
        const cols = all[k][0].length;
        g.forEach((v, flat) => expect(v).toBeCloseTo(fd(all, k, Math.floor(flat / cols), flat % cols), 3));
      });
      // The σ head gets gradient only through the mixup weights: non-zero.
      expect(gLv.some((v) => Math.abs(v) > 1e-4)).toBe(true);
    },
  );
});
