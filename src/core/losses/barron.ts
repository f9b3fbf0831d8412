// Barron's general robust loss ρ(x, α, c) and its derivative ψ = ∂ρ/∂x (Barron 2019, eq. 1 and its limits).
import { tf, type Scalarish, type Tensor } from '../tf';
import { stopGradient } from './stopGradient';

/** Named stops of α where the family meets a classic loss. */
export const BARRON_NAMED = [
  { alpha: 2, name: 'L2' },
  { alpha: 1, name: 'pseudo-Huber / smooth L1' },
  { alpha: 0, name: 'Cauchy' },
  { alpha: -2, name: 'Geman-McClure' },
  { alpha: -Infinity, name: 'Welsch' },
] as const;

/** Keeps |α − 2| and |α| away from zero in the general form, where the tensor path evaluates it. */
const EPS = 1e-5;

/**
 * ρ(x, α, c) in float64 with the exact special cases α = 2, 0, −∞, +∞. Elsewhere the general form
 * |α−2|/α · ((z/|α−2| + 1)^{α/2} − 1), z = (x/c)², is written as |α−2|/α · expm1(α/2 · log1p(z/|α−2|)),
 * which keeps full precision as α → 0 and has no cancellation as α → 2.
 */
export function barronRho(x: number, alpha: number, c: number): number {
  if (!(c > 0)) throw new Error(`invalid scale c for Barron's loss; not > 0: ${c}`);
  if (Number.isNaN(alpha)) throw new Error("invalid alpha for Barron's loss: NaN");
  const z = (x / c) ** 2;
  if (alpha === 2) return 0.5 * z;
  if (alpha === 0) return Math.log1p(0.5 * z);
  if (alpha === -Infinity) return -Math.expm1(-0.5 * z);
  if (alpha === Infinity) return Math.expm1(0.5 * z);
  const b = Math.abs(alpha - 2);
  const half = 0.5 * Math.log1p(z / b);
  // b/α · expm1(α·half) = b · half · expm1(u)/u with u = α·half: no b/α blow-up for subnormal α.
  const u = alpha * half;
  const rho = b * half * (u === 0 ? 1 : Math.expm1(u) / u);
  // For α < 0, ρ saturates at its supremum (α − 2)/α; the rounding of b·half·expm1(u)/u can exceed it by an ulp or two.
  return alpha < 0 ? Math.min(rho, (alpha - 2) / alpha) : rho;
}

/** ψ(x, α, c) = ∂ρ/∂x = x/c² · (z/|α−2| + 1)^{α/2 − 1}, with the same special cases. */
export function barronPsi(x: number, alpha: number, c: number): number {
  if (!(c > 0)) throw new Error(`invalid scale c for Barron's loss; not > 0: ${c}`);
  const z = (x / c) ** 2;
  const lin = x / (c * c);
  if (alpha === 2) return lin;
  if (alpha === 0) return lin / (0.5 * z + 1);
  if (alpha === -Infinity) return lin * Math.exp(-0.5 * z);
  if (alpha === Infinity) return lin * Math.exp(0.5 * z);
  const b = Math.abs(alpha - 2);
  return lin * Math.exp((alpha / 2 - 1) * Math.log1p(z / b));
}

/**
 * ρ over tensors, α and c tensors broadcasting against x (one per stacked model). α must be finite:
 * WGSL assumes no ±∞ exists, so α = −∞ (Welsch) is chosen on the JavaScript side through `welsch`,
 * a 0/1 tensor of the same shape as α. α exactly 2 or 0 takes the closed form.
 */
export function barronRhoTensor(x: Tensor, alpha: Tensor, c: Scalarish, welsch?: Tensor): Tensor {
  return tf.tidy(() => {
    const z = tf.square(tf.div(x, c));
    // Comparisons have no gradient in TensorFlow.js; they look at a detached α (α may be learned).
    const fixedAlpha = stopGradient(alpha);
    const b = tf.maximum(tf.abs(tf.sub(alpha, 2)), EPS);
    const aSafe = tf.mul(
      tf.where(tf.greaterEqual(fixedAlpha, 0), tf.onesLike(alpha), tf.neg(tf.onesLike(alpha))),
      tf.maximum(tf.abs(alpha), EPS),
    );
    const general = tf.mul(tf.div(b, aSafe), tf.expm1(tf.mul(tf.div(aSafe, 2), tf.log1p(tf.div(z, b)))));
    const l2 = tf.mul(0.5, z);
    const cauchy = tf.log1p(tf.mul(0.5, z));
    const shape = general.shape;
    let rho = tf.where(tf.broadcastTo(tf.equal(fixedAlpha, 2), shape), l2, general);
    rho = tf.where(tf.broadcastTo(tf.equal(fixedAlpha, 0), shape), cauchy, rho);
    if (welsch) rho = tf.where(tf.broadcastTo(tf.greater(welsch, 0.5), shape), tf.neg(tf.expm1(tf.mul(-0.5, z))), rho);
    return rho;
  });
}
