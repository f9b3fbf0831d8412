// Adam and SGD over K stacked models, each with its own learning rate, step count and on/off switch.
// The moments live on the device; the per-model scalars (bias corrections) are computed on the host in float64.
import { ADAM } from './state';
import { tf, type Tensor } from './tf';
import type { Optimizer } from './config';

export interface StepCoefficients {
  /** Adam: lr_k / (1 − β₁^t_k); SGD: lr_k. 0 for a model that does not step. [K] */
  stepSize: Float32Array;
  /** Adam: 1 − β₂^t_k (1 for a model that does not step). [K] */
  c2: Float32Array;
  /** 1 for a model that steps, 0 for a diverged one (its parameters and moments stay as they are). [K] */
  active: Float32Array;
}

/**
 * The coefficients of the next step. Advances each stepping model's own Adam count t (in place), so a
 * restored t continues the bias correction exactly where it stopped.
 */
export function stepCoefficients(
  optimizer: Optimizer,
  lr: readonly number[],
  active: readonly boolean[],
  t: number[],
): StepCoefficients {
  const k = lr.length;
  const out: StepCoefficients = {
    stepSize: new Float32Array(k),
    c2: new Float32Array(k).fill(1),
    active: new Float32Array(k),
  };
  for (let i = 0; i < k; i++) {
    if (!active[i]) continue;
    out.active[i] = 1;
    if (optimizer === 'sgd') {
      out.stepSize[i] = lr[i];
      continue;
    }
    t[i] += 1;
    out.stepSize[i] = lr[i] / (1 - ADAM.beta1 ** t[i]);
    out.c2[i] = 1 - ADAM.beta2 ** t[i];
  }
  return out;
}

/** [K] → [K, 1, …, 1] of the given rank, to broadcast a per-model scalar over a stacked tensor. */
function perModel(values: Tensor, rank: number): Tensor {
  return tf.reshape(values, [-1, ...Array<number>(rank - 1).fill(1)]);
}

/** Applies one step in place: θ ← θ − step·m̂/(√v̂ + ε) (Adam, Kingma & Ba) or θ ← θ − lr·g (SGD). */
export function applyStep(
  optimizer: Optimizer,
  params: tf.Variable[],
  grads: Tensor[],
  m: tf.Variable[],
  v: tf.Variable[],
  c: StepCoefficients,
): void {
  tf.tidy(() => {
    const stepSize = tf.tensor1d(c.stepSize);
    const active = tf.tensor1d(c.active);
    const c2 = tf.tensor1d(c.c2);
    params.forEach((theta, p) => {
      const r = theta.rank;
      const on = tf.broadcastTo(tf.greater(perModel(active, r), 0.5), theta.shape);
      const g = grads[p];
      if (optimizer === 'sgd') {
        theta.assign(tf.where(on, tf.sub(theta, tf.mul(perModel(stepSize, r), g)), theta));
        return;
      }
      const m1 = tf.where(on, tf.add(tf.mul(m[p], ADAM.beta1), tf.mul(g, 1 - ADAM.beta1)), m[p]);
      const m2 = tf.where(on, tf.add(tf.mul(v[p], ADAM.beta2), tf.mul(tf.square(g), 1 - ADAM.beta2)), v[p]);
      const denom = tf.add(tf.sqrt(tf.div(m2, perModel(c2, r))), ADAM.epsilon);
      const next = tf.sub(theta, tf.mul(perModel(stepSize, r), tf.div(m1, denom)));
      m[p].assign(m1);
      v[p].assign(m2);
      theta.assign(tf.where(on, next, theta));
    });
  });
}
