// Faithful heteroscedastic regression per sample: (y − μ)² + NLL(y; ⌊μ⌋, σ²) (Stirn et al. 2023).
import { tf, type Tensor } from '../tf';
import { squaredError } from './mse';
import { gaussianNll } from './nll';
import { stopGradient } from './stopGradient';

/**
 * The mean receives exactly the squared-error gradient; the variance receives the NLL gradient with
 * the mean held fixed. (The model also stops the variance head's gradient into a shared trunk.)
 */
export function faithful(mu: Tensor, variance: Tensor, y: Tensor): Tensor {
  return tf.tidy(() => tf.add(squaredError(mu, y), gaussianNll(stopGradient(mu), variance, y)));
}
