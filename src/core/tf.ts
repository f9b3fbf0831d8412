// The one place the core imports TensorFlow.js from: the ops, no backend and no gradient registry.
// Whoever runs the core registers the gradients and a backend: src/platform/browser.ts in the page and
// the worker, src/platform/node.ts in Node (tests and the reproduction command).
import * as tf from '@tensorflow/tfjs-core';

// Comparisons are piecewise constant, so their gradient is zero; TensorFlow.js registers none and then
// refuses to differentiate through tf.where(α > 0, …) when α is learned. Give them the zero gradient.
const COMPARISONS: [string, string[]][] = [
  ...['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual', 'LogicalAnd', 'LogicalOr'].map(
    (k): [string, string[]] => [k, ['a', 'b']],
  ),
  ['IsFinite', ['x']],
];
for (const [kernelName, inputs] of COMPARISONS) {
  if (!tf.getGradient(kernelName)) {
    tf.registerGradient({
      kernelName,
      inputsToSave: inputs,
      gradFunc: (_dy, saved) => Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros(saved[i].shape)])),
    });
  }
}

export { tf };
export type Tensor = tf.Tensor;
export type Scalarish = tf.Tensor | number;

/** Reads a tensor from the device (await, never dataSync: see docs/architecture.md) and disposes it, even on failure. */
export async function readOnce(t: Tensor): Promise<Float32Array> {
  try {
    return (await t.data()) as Float32Array;
  } finally {
    t.dispose();
  }
}
