// The training objective of K stacked models as pure functions of (parameters, hyperparameters, batch):
// each base loss per sample, each wrapper over the minibatch, and the warm-up phases mixed in.
import type { Architecture } from './model';
import { forward } from './model';
import {
  barronAdaptiveNll,
  barronRhoTensor,
  betaNll,
  boltzmannLoss,
  boltzmannWeights,
  faithful,
  gaussianNll,
  gradientWeights,
  momentMatching,
  squaredError,
  studentTNll,
  superlossSigmaTensor,
  superlossTensor,
  type Wrapper,
} from './losses';
import type { HyperTensors } from './hyper';
import type { Phase } from './state';
import { tf, type Tensor } from './tf';

/** Selects `value` where the [K, 1] (or [K]) mask is 1, else 0: a masked-out model's non-finite loss cannot leak in. */
function masked(mask: Tensor, value: Tensor): Tensor {
  const m = value.rank === 1 ? tf.reshape(mask, [-1]) : mask;
  return tf.where(tf.broadcastTo(tf.greater(m, 0.5), value.shape), value, tf.zerosLike(value));
}

/** Targets as [K, B]: y [B] shared by every model, or y [K, B] already one row per model (own data). */
function targetRows(y: Tensor, mu: Tensor): Tensor {
  return y.rank === 2 ? y : tf.broadcastTo(tf.reshape(y, [1, -1]), mu.shape);
}

/** Per-sample base losses [K, B], each row the model's own base loss. */
export function baseLosses(params: Tensor[], mu: Tensor, variance: Tensor, y: Tensor, h: HyperTensors): Tensor {
  const yb = targetRows(y, mu);
  let total: Tensor | null = null;
  for (const [base, mask] of h.bases) {
    let loss: Tensor;
    switch (base) {
      case 'nll':
        loss = gaussianNll(mu, variance, yb);
        break;
      case 'mse':
        loss = squaredError(mu, yb);
        break;
      case 'beta-nll':
        loss = betaNll(mu, variance, yb, h.beta);
        break;
      case 'student-t':
        loss = studentTNll(mu, variance, yb, h.nu, h.tConst);
        break;
      case 'faithful':
        loss = faithful(mu, variance, yb);
        break;
      case 'moment-matching':
        loss = momentMatching(mu, variance, yb);
        break;
      case 'barron':
        loss = barronRhoTensor(tf.sub(mu, yb), h.alpha, h.c, h.welsch);
        break;
      case 'barron-adaptive': {
        const n = params.length;
        loss = barronAdaptiveNll(tf.sub(mu, yb), params[n - 2], params[n - 1]);
        break;
      }
    }
    // One base for every model needs no mask (fewer kernels per step).
    if (h.bases.size === 1) return loss;
    total = total ? tf.add(total, masked(mask, loss)) : masked(mask, loss);
  }
  return total!;
}

/** τ per model [K, 1] for SuperLoss: the spec's value where fixed, the model's running or EMA state otherwise. */
export function tauOf(h: HyperTensors, tauState: Tensor): Tensor {
  return tf.tidy(() => tf.add(tf.mul(h.tauIsFixed, h.tauFixed), tf.mul(tf.sub(1, h.tauIsFixed), tauState)));
}

/** Each model's objective [K] over the samples of the last axis: mean, Boltzmann (eq. 6 or constant weights) or SuperLoss. */
export function wrapperObjective(losses: Tensor, h: HyperTensors, tau: Tensor): Tensor {
  let total: Tensor | null = null;
  for (const [wrapper, mask] of h.wrappers) {
    const value = wrapperValue(wrapper, losses, h, tau);
    if (h.wrappers.size === 1) return value;
    total = total ? tf.add(total, masked(mask, value)) : masked(mask, value);
  }
  return total!;
}

function wrapperValue(wrapper: Wrapper, losses: Tensor, h: HyperTensors, tau: Tensor): Tensor {
  switch (wrapper) {
    case 'none':
      return tf.mean(losses, -1);
    case 'boltzmann':
      return boltzmannLoss(losses, h.invT, 'eq6');
    case 'boltzmann-const':
      return boltzmannLoss(losses, h.invT, 'constant');
    case 'boltzmann-clipped':
      return boltzmannLoss(losses, h.invT, 'clipped');
    case 'superloss':
      return tf.mean(superlossTensor(losses, tau, h.lambda), -1);
  }
}

/**
 * The per-sample weights [K, B] of a model's gradient, relative to plain averaging (1 = the mean's 1/B): α of
 * eq. 7 for eq. 6, max(α, 0) clipped, w for constant weights, σ* for SuperLoss, 1 for a plain loss. Also B·w and σ* themselves.
 */
export function sampleWeights(
  losses: Tensor,
  h: HyperTensors,
  tau: Tensor,
): { weight: Tensor; gradWeight: Tensor; sigmaStar: Tensor } {
  const b = losses.shape[losses.rank - 1];
  const weight = tf.mul(boltzmannWeights(losses, h.invT), b);
  const sigmaStar = superlossSigmaTensor(losses, tau, h.lambda);
  let gradWeight: Tensor | null = null;
  for (const [wrapper, mask] of h.wrappers) {
    const g =
      wrapper === 'boltzmann'
        ? tf.mul(gradientWeights(losses, h.invT), b)
        : wrapper === 'boltzmann-clipped'
          ? tf.mul(tf.relu(gradientWeights(losses, h.invT)), b)
          : wrapper === 'boltzmann-const'
            ? weight
            : wrapper === 'superloss'
              ? sigmaStar
              : tf.onesLike(losses);
    if (h.wrappers.size === 1) return { weight, gradWeight: g, sigmaStar };
    gradWeight = gradWeight ? tf.add(gradWeight, masked(mask, g)) : masked(mask, g);
  }
  return { weight, gradWeight: gradWeight!, sigmaStar };
}

export interface ObjectiveInput {
  params: Tensor[];
  arch: Architecture;
  h: HyperTensors;
  tau: Tensor;
  /** Each model's phase, and the same as a [K, 3] one-hot mask. */
  phases: readonly Phase[];
  phaseMask: Tensor;
  /** The batch: [B] shared by every model, or [K, B] each model's own. */
  x: Tensor;
  y: Tensor;
}

/** The per-model training objective [K] on a batch, with the warm-up phases mixed in; also the base losses [K, B]. */
export function objective({ params, arch, h, tau, phases, phaseMask, x, y }: ObjectiveInput): {
  perModel: Tensor;
  base: Tensor;
} {
  const { mu, variance } = forward(params, arch, x, h.detachVarianceTrunk);
  const yb = targetRows(y, mu);
  const base = baseLosses(params, mu, variance, y, h);
  // Only the phases some model is in are computed; a single phase needs no mask.
  const present = ([0, 1, 2] as const).filter((ph) => phases.includes(ph));
  const term = (ph: Phase) =>
    ph === 0
      ? tf.mean(squaredError(mu, yb), -1)
      : ph === 1
        ? tf.mean(gaussianNll(mu, variance, yb), -1)
        : wrapperObjective(base, h, tau);
  if (present.length === 1) return { perModel: term(present[0]), base };
  const perModel = tf.addN(present.map((ph) => masked(tf.slice(phaseMask, [0, ph], [-1, 1]), term(ph))));
  return { perModel, base };
}
