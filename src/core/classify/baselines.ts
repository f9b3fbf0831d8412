// The baselines on ALUM's network, per model (one slice of the stack): cross-entropy, label smoothing, GCE,
// Robust-CE (the Boltzmann wrapper of src/core/losses/boltzmann.ts over per-sample CE), SuperLoss on CE
// (src/core/losses/superloss.ts), DUL-style and RUL-style. ALUM itself is in alum.ts.
import { boltzmannLoss } from '../losses/boltzmann';
import { superlossTensor } from '../losses/superloss';
import { tf, type Scalarish, type Tensor } from '../tf';
import { uncertaintyMix } from './alum';
import { crossEntropy, logitsOf, oneHotFloat } from './model';
import type { ClassModelSpec } from './spec';

/** Label smoothing: (1 − ε)·CE + ε·mean over classes of −log p_c, per sample. */
export function smoothedCrossEntropy(logits: Tensor, labels: Tensor, eps: number): Tensor {
  const logp = tf.logSoftmax(logits);
  return tf.add(tf.mul(1 - eps, crossEntropy(logits, labels)), tf.mul(eps, tf.neg(tf.mean(logp, -1))));
}

/** GCE (Zhang & Sabuncu 2018): (1 − p_y^q)/q per sample; q → 0 is CE, q = 1 is MAE. */
export function generalizedCrossEntropy(logits: Tensor, labels: Tensor, q: number): Tensor {
  const py = tf.exp(tf.neg(crossEntropy(logits, labels)));
  return tf.div(tf.sub(1, tf.pow(py, q)), q);
}

/** KL(N(μ, σ²) ‖ N(0, I)) per sample: ½ Σ_d (μ² + σ² − log σ² − 1). */
export function klToStandardNormal(mu: Tensor, logVar: Tensor): Tensor {
  return tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logVar)), tf.add(logVar, 1)), -1));
}

/** 1/T as the Boltzmann wrapper takes it: T = ∞ is 0 (plain averaging). */
export const invTemperature = (t: number) => (Number.isFinite(t) ? 1 / t : 0);

export interface BaselineInputs {
  /** [B, D] */
  mu: Tensor;
  /** [B, D] */
  logVar: Tensor;
  /** [D, C] */
  w: Tensor;
  labels: Int32Array;
  /** DUL's ε ~ N(0, I), [B, D]. */
  noise: Tensor;
  /** RUL's partner of each anchor (a random shuffle of the batch). */
  partner: Int32Array;
  /** SuperLoss's τ. */
  tau: Scalarish;
}

export interface BaselineLoss {
  loss: Tensor;
  /** The batch's mean CE of the test-time logits (SuperLoss's EMA of τ reads it). */
  meanCe: Tensor;
  /** RUL-style's mixup weights [B, D] of the anchor and its partner (the hover view reads them). */
  weights?: Tensor[];
}

/** The loss of a baseline method on one model's batch. */
export function baselineLoss(spec: ClassModelSpec, inp: BaselineInputs): BaselineLoss {
  const lab = tf.tensor1d(inp.labels, 'int32');
  const logits = logitsOf(inp.mu, inp.w);
  const ce = crossEntropy(logits, lab);
  const meanCe = tf.mean(ce);
  switch (spec.method) {
    case 'ce':
      return { loss: meanCe, meanCe };
    case 'label-smoothing':
      return { loss: tf.mean(smoothedCrossEntropy(logits, lab, spec.smoothing)), meanCe };
    case 'gce':
      return { loss: tf.mean(generalizedCrossEntropy(logits, lab, spec.q)), meanCe };
    case 'robust-ce':
      // Σ wᵢ ceᵢ with w = softmax(−ce/T): the weights sum to 1, so T = ∞ is the mean CE.
      return { loss: boltzmannLoss(ce, invTemperature(spec.T), spec.constantWeights ? 'constant' : 'eq6'), meanCe };
    case 'superloss-ce':
      return { loss: tf.mean(superlossTensor(ce, inp.tau, spec.slLambda)), meanCe };
    case 'dul': {
      // DUL (Chang et al. 2020) for classification: CE on a sample z = μ + ε ⊙ σ, plus a KL term to N(0, I).
      const z = tf.add(inp.mu, tf.mul(inp.noise, tf.exp(tf.mul(0.5, inp.logVar))));
      const loss = tf.add(
        tf.mean(crossEntropy(logitsOf(z, inp.w), lab)),
        tf.mul(spec.klWeight, tf.mean(klToStandardNormal(inp.mu, inp.logVar))),
      );
      return { loss, meanCe };
    }
    case 'rul': {
      // RUL-style (Zhang et al. 2021), our reading: two-way uncertainty-weighted mixup with a random partner,
      // f = w∘μ + w'∘μ', w = σ/(σ + σ'), and the CE of f on both labels (eq. 11 and 13 with two members).
      // (A one-hot selection matrix rather than gather: gather's gradient needs a kernel WASM lacks.)
      const sel = oneHotFloat(tf.tensor1d(inp.partner, 'int32'), inp.labels.length);
      const sigma = tf.exp(tf.mul(0.5, inp.logVar));
      const { f, weights } = uncertaintyMix([inp.mu, tf.matMul(sel, inp.mu)], [sigma, tf.matMul(sel, sigma)]);
      const mixed = logitsOf(f, inp.w);
      const partnerLabels = Int32Array.from(inp.partner, (j) => inp.labels[j]);
      return {
        loss: tf.mean(tf.add(crossEntropy(mixed, lab), crossEntropy(mixed, tf.tensor1d(partnerLabels, 'int32')))),
        meanCe,
        weights,
      };
    }
    case 'alum':
      throw new Error('ALUM is not a baseline (src/core/classify/alum.ts)');
  }
}
