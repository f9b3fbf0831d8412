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
 * How the weights of a Boltzmann loss pass gradient: 'eq6' as the paper derives it (each ∇ℓⱼ scaled by αⱼ of
 * eq. 7, negative where ℓⱼ exceeds the weighted mean loss by more than T); 'constant' as in Tilted ERM or IRLS
 * (scaled by wⱼ); 'clipped', this project's stabilised variant: eq. 6 with αⱼ clipped at 0, so a sample's
 * gradient is never reversed (a sample is never pushed away, at worst ignored).
 */
export type BoltzmannGradient = 'eq6' | 'constant' | 'clipped';

/**
 * Σᵢ wᵢℓᵢ over the last axis; its gradient as `gradient` says. The value is the same for all three (so the
 * training curves compare); 'clipped' adds Σ max(αⱼ, 0)ℓⱼ − (the same, without gradient) to a constant Σwℓ.
 */
export function boltzmannLoss(losses: Tensor, invT: Scalarish, gradient: BoltzmannGradient = 'eq6'): Tensor {
  return tf.tidy(() => {
    const w = boltzmannWeights(losses, invT);
    if (gradient !== 'clipped') return tf.sum(tf.mul(gradient === 'constant' ? stopGradient(w) : w, losses), -1);
    const value = stopGradient(tf.sum(tf.mul(w, losses), -1));
    const alpha = stopGradient(tf.relu(gradientWeights(losses, invT)));
    const surrogate = tf.sum(tf.mul(alpha, losses), -1);
    return tf.add(value, tf.sub(surrogate, stopGradient(surrogate)));
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
