// SuperLoss per sample: σ*(ℓ − τ) + λ(log σ*)², σ* = exp(−W(½ max(−2/e, (ℓ − τ)/λ))) (Castells et al. 2020, eq. 6–10).
import { tf, type Scalarish, type Tensor } from '../tf';
import { lambertW } from '../special';
import { stopGradient } from './stopGradient';

export const TAU_MODES = ['fixed', 'running', 'ema'] as const;
export type TauMode = (typeof TAU_MODES)[number];

/** The argument of W: ½ max(−2/e, (ℓ − τ)/λ), which is ≥ −1/e. */
function wArgument(loss: number, tau: number, lambda: number): number {
  return 0.5 * Math.max(-2 / Math.E, (loss - tau) / lambda);
}

/** σ* in float64: the confidence minimising σ(ℓ − τ) + λ(log σ)²; 1 where ℓ = τ, e at the branch point. */
export function superlossSigma(loss: number, tau: number, lambda: number): number {
  return Math.exp(-lambertW(wArgument(loss, tau, lambda)));
}

export function superloss(loss: number, tau: number, lambda: number): number {
  const w = lambertW(wArgument(loss, tau, lambda));
  return Math.exp(-w) * (loss - tau) + lambda * w * w;
}

const BRANCH = -1 / Math.E;

/** W₀ over a float32 tensor of z ≥ −1/e: four Halley steps from the same starts as the float64 version. */
export function lambertWTensor(z: Tensor): Tensor {
  return tf.tidy(() => {
    const atBranch = tf.lessEqual(z, BRANCH);
    const zs = tf.maximum(z, BRANCH);
    const p = tf.sqrt(tf.relu(tf.mul(2, tf.add(tf.mul(Math.E, zs), 1))));
    const series = tf.addN([tf.fill(zs.shape, -1), p, tf.mul(-1 / 3, tf.square(p)), tf.mul(11 / 72, tf.pow(p, 3))]);
    const lz = tf.log1p(tf.maximum(zs, -0.25));
    const middle = tf.mul(lz, tf.sub(1, tf.div(tf.log1p(lz), tf.add(2, lz))));
    const l1 = tf.log(tf.maximum(zs, 3));
    const l2 = tf.log(l1);
    const far = tf.add(tf.sub(l1, l2), tf.div(l2, l1));
    let w = tf.where(tf.less(zs, -0.25), series, tf.where(tf.less(zs, 3), middle, far));
    for (let i = 0; i < 4; i++) {
      const ew = tf.exp(w);
      const f = tf.sub(tf.mul(w, ew), zs);
      const wp1 = tf.maximum(tf.add(w, 1), 1e-7);
      const denom = tf.sub(tf.mul(ew, wp1), tf.div(tf.mul(tf.add(w, 2), f), tf.mul(2, wp1)));
      const safe = tf.greater(tf.abs(denom), 1e-30);
      w = tf.where(safe, tf.sub(w, tf.div(f, tf.where(safe, denom, tf.onesLike(denom)))), w);
      w = tf.maximum(w, -1);
    }
    return tf.where(atBranch, tf.fill(zs.shape, -1), w);
  });
}

/** σ* over tensors (no gradient: it is the closed-form optimum, so by the envelope theorem the loss's gradient is σ*∇ℓ). */
export function superlossSigmaTensor(losses: Tensor, tau: Scalarish, lambda: Scalarish): Tensor {
  return tf.tidy(() => {
    // Detach first: W's comparisons have no gradient, and σ* takes none anyway.
    const z = tf.mul(0.5, tf.maximum(tf.div(tf.sub(stopGradient(losses), tau), lambda), -2 / Math.E));
    return tf.exp(tf.neg(lambertWTensor(z)));
  });
}

/** Per-sample SuperLoss over tensors; τ and λ broadcast against the samples (one per stacked model). */
export function superlossTensor(losses: Tensor, tau: Scalarish, lambda: Scalarish): Tensor {
  return tf.tidy(() => {
    const sigma = superlossSigmaTensor(losses, tau, lambda);
    const logSigma = tf.log(sigma);
    return tf.add(tf.mul(sigma, tf.sub(losses, tau)), tf.mul(lambda, tf.square(logSigma)));
  });
}
