// Student-t NLL per sample with ν degrees of freedom and scale² = σ² (β-NLL sec. 5.3; Detlefsen et al. 2019).
import { logGamma } from '../special';
import { tf, type Scalarish, type Tensor } from '../tf';

/** The ν-only part: −log Γ((ν+1)/2) + log Γ(ν/2) + ½ log(νπ). Computed once per ν in float64. */
export function studentTConstant(nu: number): number {
  if (!(nu > 0)) throw new Error(`invalid nu for Student-t; not > 0: ${nu}`);
  return -logGamma((nu + 1) / 2) + logGamma(nu / 2) + 0.5 * Math.log(nu * Math.PI);
}

/**
 * −log t_ν(y; μ, σ²) = C(ν) + ½ log σ² + (ν+1)/2 · log(1 + (y−μ)²/(νσ²)). `nu` and `constant` (studentTConstant(ν))
 * are tensors or numbers broadcasting against the samples. As ν → ∞ this tends to the Gaussian NLL + ½ log 2π.
 */
export function studentTNll(mu: Tensor, variance: Tensor, y: Tensor, nu: Scalarish, constant: Scalarish): Tensor {
  return tf.tidy(() => {
    const r = tf.div(tf.squaredDifference(y, mu), tf.mul(nu, variance));
    return tf.addN([
      tf.mul(tf.onesLike(r), constant),
      tf.mul(0.5, tf.log(variance)),
      tf.mul(tf.div(tf.add(nu, 1), 2), tf.log1p(r)),
    ]);
  });
}
