// Gaussian NLL per sample: ½ log σ² + (y − μ)² / (2σ²) (Robust-NLL eq. 1; the constant ½ log 2π is left out, as there).
import { tf, type Tensor } from '../tf';

/** Per-sample Gaussian negative log-likelihood; `variance` is σ², already floored by the model. */
export function gaussianNll(mu: Tensor, variance: Tensor, y: Tensor): Tensor {
  return tf.tidy(() => tf.add(tf.mul(0.5, tf.log(variance)), tf.div(tf.squaredDifference(y, mu), tf.mul(2, variance))));
}
