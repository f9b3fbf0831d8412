// stop-gradient (sg in β-NLL eq. 7): the identity forward, a zero gradient backward. TensorFlow.js has no such op.
import { tf, type Tensor } from '../tf';

const stop = tf.customGrad(((x: Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

/** The value of `x`, through which no gradient flows. */
export function stopGradient<T extends Tensor>(x: T): T {
  return stop(x) as T;
}
