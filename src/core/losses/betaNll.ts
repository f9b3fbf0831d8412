// β-NLL per sample: ⌊σ^{2β}⌋ · NLL, ⌊·⌋ the stop-gradient (Seitzer et al. 2022, eq. 7).
import { tf, type Scalarish, type Tensor } from '../tf';
import { gaussianNll } from './nll';
import { stopGradient } from './stopGradient';

/**
 * β = 0 is plain NLL; β = 1 gives μ exactly the gradient of ½(y − μ)²; β = 0.5 is the paper's default.
 * `beta` may be a tensor broadcasting against the samples (one β per stacked model).
 */
export function betaNll(mu: Tensor, variance: Tensor, y: Tensor, beta: Scalarish): Tensor {
  return tf.tidy(() => {
    // σ^{2β} = exp(β log σ²), which stays finite for the floored variance and any β in [0, 1].
    const weight = stopGradient(tf.exp(tf.mul(beta, tf.log(variance))));
    return tf.mul(weight, gaussianNll(mu, variance, y));
  });
}
