// Boltzmann weighting of any per-sample loss: w = softmax(−ℓ/T) over the minibatch, L = Σ wᵢℓᵢ (Robust-NLL eq. 2–3).
import { tf, type Scalarish, type Tensor } from '../tf';
import { stopGradient } from './stopGradient';

// Every function here reduces over the LAST axis (the minibatch), so a [K, B] tensor of K stacked
// models' losses gives K independent weightings. The temperature enters as invT = 1/T, so that
// T = ∞ (plain NLL, uniform weights) is invT = 0 and no infinity ever reaches a kernel.

/** w = softmax(−ℓ · invT) over the last axis, by log-sum-exp: finite for any T in [1e-3, ∞] and ℓ up to 1e12. */
export function boltzmannWeights(losses: Tensor, invT: Scalarish): Tensor {
  return tf.tidy(() => {
    const logits = tf.mul(tf.neg(losses), invT);
    return tf.exp(tf.sub(logits, tf.logSumExp(logits, -1, true)));
  });
}

/**
 * Σᵢ wᵢℓᵢ over the last axis. With `constantWeights` false the weights carry gradient, so the loss has the
 * gradient of the paper's eq. 6 (each ∇ℓⱼ scaled by αⱼ of eq. 7). With it true, the weights are held
 * constant, as in Tilted ERM or IRLS: each ∇ℓⱼ is scaled by wⱼ alone.
 */
export function boltzmannLoss(losses: Tensor, invT: Scalarish, constantWeights = false): Tensor {
  return tf.tidy(() => {
    const w = boltzmannWeights(losses, invT);
    return tf.sum(tf.mul(constantWeights ? stopGradient(w) : w, losses), -1);
  });
}

/** αⱼ = wⱼ + (1/T) Σᵢ wᵢ(wⱼ − δᵢⱼ)ℓᵢ = wⱼ(1 + (Σᵢ wᵢℓᵢ − ℓⱼ)/T) (eq. 7): the weight of ∇ℓⱼ in eq. 6. */
export function gradientWeights(losses: Tensor, invT: Scalarish): Tensor {
  return tf.tidy(() => {
    const w = boltzmannWeights(losses, invT);
    const mean = tf.sum(tf.mul(w, losses), -1, true);
    return tf.mul(w, tf.add(1, tf.mul(tf.sub(mean, losses), invT)));
  });
}

/** B·wᵢ over the last axis of length B: 1 is the weight plain averaging gives every sample. */
export function relativeWeights(losses: Tensor, invT: Scalarish): Tensor {
  return tf.tidy(() => tf.mul(boltzmannWeights(losses, invT), losses.shape[losses.rank - 1]));
}
