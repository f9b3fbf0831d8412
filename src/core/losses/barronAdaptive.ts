// Barron's adaptive loss: −log p(x | α, c) = ρ(x, α, c) + log c + log Z(α), α and c learned (Barron 2019, sec. 2–3).
import { tf, type Tensor } from '../tf';
import { barronRhoTensor } from './barron';
import { logPartitionTensor } from './barronPartition';

/** α stays in (0.001, 1.999): Z(α) is infinite for α < 0, and the distribution needs α ≤ 2. */
export const ADAPTIVE_ALPHA_RANGE = [0.001, 1.999] as const;
/** c = softplus(latent) + C_MIN keeps the scale positive. */
export const ADAPTIVE_SCALE_MIN = 1e-5;

export function adaptiveAlpha(latent: Tensor): Tensor {
  const [lo, hi] = ADAPTIVE_ALPHA_RANGE;
  return tf.tidy(() => tf.add(lo, tf.mul(hi - lo, tf.sigmoid(latent))));
}

export function adaptiveScale(latent: Tensor): Tensor {
  return tf.tidy(() => tf.add(tf.softplus(latent), ADAPTIVE_SCALE_MIN));
}

/** Latents that give a starting α and c (inverse of the two maps above). */
export function adaptiveLatents(alpha: number, c: number): { alphaLatent: number; scaleLatent: number } {
  const [lo, hi] = ADAPTIVE_ALPHA_RANGE;
  const p = Math.min(1 - 1e-6, Math.max(1e-6, (alpha - lo) / (hi - lo)));
  const s = Math.max(1e-6, c - ADAPTIVE_SCALE_MIN);
  return { alphaLatent: Math.log(p / (1 - p)), scaleLatent: s > 30 ? s : Math.log(Math.expm1(s)) };
}

/** Per-sample negative log-likelihood of residuals x under Barron's distribution with latent α and c. */
export function barronAdaptiveNll(residual: Tensor, alphaLatent: Tensor, scaleLatent: Tensor): Tensor {
  return tf.tidy(() => {
    const alpha = adaptiveAlpha(alphaLatent);
    const c = adaptiveScale(scaleLatent);
    return tf.add(barronRhoTensor(residual, alpha, c), tf.add(tf.log(c), logPartitionTensor(alpha)));
  });
}
