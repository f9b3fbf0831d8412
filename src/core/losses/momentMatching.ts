// Moment matching per sample: (y − μ)² + (|y − ⌊μ⌋| − σ)² (β-NLL App. A, eq. S1 + S2).
import { tf, type Tensor } from '../tf';
import { stopGradient } from './stopGradient';

/** Fits μ by squared error and σ (not σ²) by squared error to the absolute residual. */
export function momentMatching(mu: Tensor, variance: Tensor, y: Tensor): Tensor {
  return tf.tidy(() => {
    const absResidual = tf.abs(tf.sub(y, stopGradient(mu)));
    return tf.add(tf.squaredDifference(y, mu), tf.squaredDifference(absResidual, tf.sqrt(variance)));
  });
}
