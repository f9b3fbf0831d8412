// ALUM (Wei et al., "Adversarial Data Uncertainty Modeling from Latent Model Uncertainty Compensation"), built
// from the paper's equations; no public code exists. Each part is a pure tensor function:
//   compensation (eq. 2–8), partner mining (eq. 10), uncertainty-weighted mixup (eq. 11), losses (eq. 12–14).
// Readings where the paper is ambiguous or degenerate are stated at each function.
import { hash32, uniform } from '../rng';
import { tf, type Tensor } from '../tf';
import { stopGradient } from '../losses/stopGradient';
import { logitsOf, oneHotFloat, targetCrossEntropy } from './model';

export const COMPENSATIONS = ['off', 'faithful', 'grouped'] as const;
export type Compensation = (typeof COMPENSATIONS)[number];

const EPS = 1e-6;

/** Σ over the batch axis (1) of [K, B, …]: √(mean_b (F − mean_b F)² + ε), eq. 5's Σ_μ, keeping dims. */
export function batchStd(f: Tensor): Tensor {
  const m = tf.mean(f, 1, true);
  return tf.sqrt(tf.add(tf.mean(tf.square(tf.sub(f, m)), 1, true), EPS));
}

/**
 * The faithful analogue of eq. 7 on an MLP. With H = W = 1, eq. 2–3 give a per-sample mean equal to the
 * unit itself and σ = 0, so eq. 7's first term is 0/0; its limit (the normalised residual is exactly 0) is
 * F̂ = F + ε ⊙ Σ_μ, with Σ_μ the batch standard deviation of each unit (eq. 5) and ε ~ N(0, I) per sample
 * and unit. F, eps: [K, B, H].
 */
export function compensateFaithful(f: Tensor, eps: Tensor): Tensor {
  return tf.add(f, tf.mul(eps, batchStd(f)));
}

/**
 * An ADAPTATION, not the paper: the H units split into G groups, each group's units treated as the spatial
 * positions of one channel. Per sample and group, μ and σ over its units (eq. 2–3); over the batch their
 * standard deviations Σ_μ, Σ_σ (eq. 5–6); then eq. 7 in DSU's per-sample reading,
 * F̂ = (σ + ε₁Σ_σ) (F − μ)/σ + (μ + ε₂Σ_μ), with ε₁, ε₂ independent N(0, 1) per sample and group.
 * f: [K, B, H]; eps1, eps2: [K, B, G].
 */
export function compensateGrouped(f: Tensor, groups: number, eps1: Tensor, eps2: Tensor): Tensor {
  const [k, b, h] = f.shape;
  if (h % groups !== 0) throw new Error(`grouped compensation: ${h} units do not split into ${groups} groups`);
  const g = tf.reshape(f, [k, b, groups, h / groups]);
  const mu = tf.mean(g, 3, true);
  const sigma = tf.sqrt(tf.add(tf.mean(tf.square(tf.sub(g, mu)), 3, true), EPS));
  const e1 = tf.reshape(eps1, [k, b, groups, 1]);
  const e2 = tf.reshape(eps2, [k, b, groups, 1]);
  const out = tf.add(
    tf.mul(tf.add(sigma, tf.mul(e1, batchStd(sigma))), tf.div(tf.sub(g, mu), sigma)),
    tf.add(mu, tf.mul(e2, batchStd(mu))),
  );
  return tf.reshape(out, [k, b, h]);
}

/** Whether layer `layer` is compensated at step `step`: probability p, one coin per (step, layer), as DSU does per forward. */
export function compensationCoin(seed: number, step: number, layer: number, p: number): boolean {
  return uniform(seed, 51, step, layer) < p;
}

// ---------------------------------------------------------------- eq. 10: partners

/** The host's part of mining for one batch: which anchors mine, random partners, and which classes exist. */
export interface PartnerPlan {
  /** 1: this anchor takes mined (hard) partners; 0: random ones. Probability p (0.2). */
  hard: Uint8Array;
  /** A random other sample of the same label (a random other sample at all when there is none). */
  randomPos: Int32Array;
  /** A random sample of another label (a random other sample when there is none). */
  randomNeg: Int32Array;
  /** Whether the anchor has another sample of its label / of another label in the batch. */
  hasPos: Uint8Array;
  hasNeg: Uint8Array;
}

function pickRandom(candidates: number[], seed: number, step: number, i: number, draw: number): number {
  return candidates[hash32(seed, 52, step, i, draw) % candidates.length];
}

/**
 * Random partners and the hard-anchor draw for a batch with labels `labels`. Reading: "the other samples are
 * the randomly shuffled results of B" — we shuffle within B₊'s and B₋'s roles (a random positive of the same
 * label, a random negative of another), so B₊ is always a positive batch and B₋ a negative one, and eq. 14's
 * triplet is valid for every anchor that has both. Where a class is absent the partner is any other sample.
 */
export function planPartners(labels: ArrayLike<number>, hardFraction: number, seed: number, step: number): PartnerPlan {
  const b = labels.length;
  const plan: PartnerPlan = {
    hard: new Uint8Array(b),
    randomPos: new Int32Array(b),
    randomNeg: new Int32Array(b),
    hasPos: new Uint8Array(b),
    hasNeg: new Uint8Array(b),
  };
  for (let i = 0; i < b; i++) {
    const same: number[] = [];
    const other: number[] = [];
    const any: number[] = [];
    for (let j = 0; j < b; j++) {
      if (j === i) continue;
      any.push(j);
      (labels[j] === labels[i] ? same : other).push(j);
    }
    const fallback = any.length ? any : [i];
    plan.hasPos[i] = same.length ? 1 : 0;
    plan.hasNeg[i] = other.length ? 1 : 0;
    plan.randomPos[i] = pickRandom(same.length ? same : fallback, seed, step, i, 0);
    plan.randomNeg[i] = pickRandom(other.length ? other : fallback, seed, step, i, 1);
    plan.hard[i] = uniform(seed, 53, step, i) < hardFraction ? 1 : 0;
  }
  return plan;
}

/** 1 − cos(μᵢ, μⱼ) for one model's μ [B, D]: [B, B]. */
export function cosineDistance(mu: Tensor): Tensor {
  const unit = tf.div(mu, tf.add(tf.norm(mu, 'euclidean', -1, true), 1e-12));
  return tf.sub(1, tf.matMul(unit, unit, false, true));
}

export interface MiningOptions {
  /** AP of Table 6: mine the positive (else random). */
  positives: boolean;
  /** AN of Table 6: mine the negative (else random). */
  negatives: boolean;
  /**
   * Eq. 10 as printed takes argmin D for both; the text says B₊ holds the positives "visually distinct"
   * (most distant). Off (default): hardest positive = argmax D over the same label; on: argmin, literally.
   */
  literal: boolean;
}

/**
 * Partners for one model: mined by cosine distance of μ (no gradient through the choice) for the plan's hard
 * anchors, random otherwise, and random wherever the class needed is absent. Mining sees the noisy labels.
 * Returns int32 [B] indices into the batch.
 */
export function minePartners(
  mu: Tensor,
  labels: Int32Array,
  plan: PartnerPlan,
  opts: MiningOptions,
): { pos: Tensor; neg: Tensor } {
  return tf.tidy(() => {
    const b = labels.length;
    const d = cosineDistance(stopGradient(mu));
    const lab = tf.tensor1d(labels, 'int32');
    const same = tf.equal(tf.expandDims(lab, 1), tf.expandDims(lab, 0));
    const notSelf = tf.logicalNot(tf.cast(tf.eye(b), 'bool'));
    const posMask = tf.logicalAnd(same, notSelf);
    const negMask = tf.logicalNot(same);
    const big = tf.fill([b, b], 1e9);
    const hardPos = opts.literal
      ? tf.argMin(tf.where(posMask, d, big), 1)
      : tf.argMax(tf.where(posMask, d, tf.neg(big)), 1);
    const hardNeg = tf.argMin(tf.where(negMask, d, big), 1);
    const usePos = Uint8Array.from(plan.hard, (h, i) => (h && opts.positives && plan.hasPos[i] ? 1 : 0));
    const useNeg = Uint8Array.from(plan.hard, (h, i) => (h && opts.negatives && plan.hasNeg[i] ? 1 : 0));
    const choose = (use: Uint8Array, hard: Tensor, random: Int32Array) =>
      tf.where(tf.tensor1d(use, 'bool'), tf.cast(hard, 'int32'), tf.tensor1d(random, 'int32'));
    return { pos: choose(usePos, hardPos, plan.randomPos), neg: choose(useNeg, hardNeg, plan.randomNeg) };
  });
}

// ---------------------------------------------------------------- eq. 11: mixup

/**
 * f = Σₘ wₘ ∘ μₘ with wₘ = σₘ ⊘ Σₙ σₙ (eq. 11 for three members, RUL's two-way mixup for two). σ is the
 * standard deviation exp(½ log σ²) (the paper's σ is a "variance vector"; we take the standard deviation, which
 * keeps the weights' ratios linear in the spread). Returns f and the weights (they sum to 1 element-wise).
 */
export function uncertaintyMix(mus: Tensor[], sigmas: Tensor[]): { f: Tensor; weights: Tensor[] } {
  const total = tf.addN(sigmas);
  const weights = sigmas.map((s) => tf.div(s, total));
  return { f: tf.addN(mus.map((m, i) => tf.mul(weights[i], m))), weights };
}

// ---------------------------------------------------------------- eq. 12–14: losses

/** Eq. 14 per anchor: max(‖μ − μ⁺‖² − ‖μ − μ⁻‖² + α, 0). [B, D] each → [B]. */
export function tripletTerms(mu: Tensor, muPos: Tensor, muNeg: Tensor, margin: number): Tensor {
  const dp = tf.sum(tf.square(tf.sub(mu, muPos)), -1);
  const dn = tf.sum(tf.square(tf.sub(mu, muNeg)), -1);
  return tf.relu(tf.add(tf.sub(dp, dn), margin));
}

/** Eq. 11's σ: the standard deviation exp(½ log σ²) (default) or the variance σ² the paper names. */
export const MIX_BY = ['std', 'variance'] as const;
export type MixBy = (typeof MIX_BY)[number];

/** The mixup's σ from log σ² (eq. 11's reading): std or variance. */
export function mixSigma(logVar: Tensor, mixBy: MixBy): Tensor {
  return mixBy === 'variance' ? tf.exp(logVar) : tf.exp(tf.mul(0.5, logVar));
}

export interface AlumOptions extends MiningOptions {
  /** λ of eq. 12 (0.003). */
  lambda: number;
  /** What σ weighs the mixup (eq. 11). */
  mixBy: MixBy;
  /**
   * Eq. 13 as printed (off): the plain sum of the three cross-entropies. On: each weighted by its member's mixup
   * weight (mean over the D dimensions), as mixup's criterion weighs its two labels; the weights sum to 1.
   */
  weightedCe: boolean;
  /** Eq. 14 as printed (off): L_T the sum over anchors. On: the mean over the anchors that have a triplet. */
  tripletMean: boolean;
  /** α of eq. 14 (1). */
  margin: number;
  /** The triplet term of Table 6. */
  triplet: boolean;
}

export interface AlumParts {
  loss: Tensor;
  ce: Tensor;
  triplet: Tensor;
  pos: Tensor;
  neg: Tensor;
  weights: Tensor[];
}

/**
 * ALUM's loss for one model on a batch: mine partners (eq. 10), mix (eq. 11), L = L_C + λ L_T (eq. 12) with
 * L_C the mean over anchors of the cross-entropies of f on the three labels (eq. 13; or weighted, `weightedCe`)
 * and L_T the SUM over anchors (eq. 14 as printed; or the mean, `tripletMean`) of the triplet terms, counted only where both partners have the right label
 * relation (a class absent from the batch leaves that anchor's triplet out). mu, logVar: [B, D]; w: [D, C].
 */
export function alumLoss(
  mu: Tensor,
  logVar: Tensor,
  w: Tensor,
  labels: Int32Array,
  plan: PartnerPlan,
  opts: AlumOptions,
): AlumParts {
  const b = labels.length;
  const c = w.shape[1]!;
  const { pos, neg } = minePartners(mu, labels, plan, opts);
  // Partners by one-hot selection matrices rather than gather: the mined indices derive from μ, and tfjs
  // cannot back-propagate a gather whose indices are on the tape (its index gradient is int32).
  const [selP, selN] = [oneHotFloat(pos, b), oneHotFloat(neg, b)];
  const sigma = mixSigma(logVar, opts.mixBy);
  const [muP, muN, sP, sN] = [tf.matMul(selP, mu), tf.matMul(selN, mu), tf.matMul(selP, sigma), tf.matMul(selN, sigma)];
  const { f, weights } = uncertaintyMix([mu, muP, muN], [sigma, sP, sN]);
  const logits = logitsOf(f, w);
  const target = oneHotFloat(tf.tensor1d(labels, 'int32'), c);
  const ces = [
    targetCrossEntropy(logits, target),
    targetCrossEntropy(logits, tf.matMul(selP, target)),
    targetCrossEntropy(logits, tf.matMul(selN, target)),
  ];
  const ce = tf.mean(opts.weightedCe ? tf.addN(ces.map((c, m) => tf.mul(tf.mean(weights[m], -1), c))) : tf.addN(ces));
  const validRows = Float32Array.from(plan.hasPos, (p, i) => (p && plan.hasNeg[i] ? 1 : 0));
  const tripletSum = tf.sum(tf.mul(tf.tensor1d(validRows), tripletTerms(mu, muP, muN, opts.margin)));
  const triplet = opts.tripletMean
    ? tf.div(
        tripletSum,
        Math.max(
          1,
          validRows.reduce((a, v) => a + v, 0),
        ),
      )
    : tripletSum;
  const loss = opts.triplet ? tf.add(ce, tf.mul(opts.lambda, triplet)) : ce;
  return { loss, ce, triplet, pos, neg, weights };
}
