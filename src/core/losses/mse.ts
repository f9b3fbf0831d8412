// Squared error per sample: (y − μ)² (the mean-only loss of Robust-NLL sec. 4.1 and of the warm-up).
import { tf, type Tensor } from '../tf';

export function squaredError(mu: Tensor, y: Tensor): Tensor {
  return tf.squaredDifference(y, mu);
}
