// K classifiers stacked along a leading axis: 2 → hidden layers → embedding head μ ∈ R^D and log σ² ∈ R^D →
// classifier W (logits W·f, no bias, as in ALUM eq. 13). The hidden layers can take ALUM's latent compensation
// (src/core/classify/alum.ts) in training; evaluation never does.
import type { ParamLayout } from '../model';
import { uniform } from '../rng';
import { tf, type Tensor } from '../tf';

export const CLASS_ACTIVATIONS = ['relu', 'tanh'] as const;
export type ClassActivation = (typeof CLASS_ACTIVATIONS)[number];

export interface ClassArch {
  hidden: number[];
  activation: ClassActivation;
  /** D, the embedding's dimension: 2 draws exactly, 8 is optional. */
  embedding: number;
  classes: number;
}

export const DEFAULT_CLASS_ARCH: Omit<ClassArch, 'classes'> = { hidden: [32, 32], activation: 'relu', embedding: 2 };

/**
 * log σ² = CAP · tanh(raw / CAP): a smooth cap, so σ stays in [e^−3, e^3] for every method (DUL's "σ capped"
 * and a guard for the mixup weights' division), with gradient everywhere.
 */
export const LOG_VAR_CAP = 6;

/** Names and stacked shapes, as the regression model's layout (model.ts). */
export type ClassLayout = ParamLayout;

/** Stacked shapes in a fixed order: W0 b0 … W(L−1) b(L−1), Wmu bmu, Wvar bvar, Wc. Every shape starts with K. */
export function classLayout(arch: ClassArch, k: number): ClassLayout {
  const names: string[] = [];
  const shapes: number[][] = [];
  let fanIn = 2;
  arch.hidden.forEach((w, l) => {
    names.push(`W${l}`, `b${l}`);
    shapes.push([k, fanIn, w], [k, 1, w]);
    fanIn = w;
  });
  names.push('Wmu', 'bmu', 'Wvar', 'bvar', 'Wc');
  shapes.push(
    [k, fanIn, arch.embedding],
    [k, 1, arch.embedding],
    [k, fanIn, arch.embedding],
    [k, 1, arch.embedding],
    [k, arch.embedding, arch.classes],
  );
  return { names, shapes };
}

export function classParamCount(arch: ClassArch): number {
  return classLayout(arch, 1).shapes.reduce((s, shape) => s + shape.reduce((a, b) => a * b, 1), 0);
}

const INIT_STREAM = 45;

/**
 * One model's initial parameters from its seed: hidden weights He-uniform (ReLU) or Glorot-uniform (tanh), the
 * first layer's biases U(−1, 1) so its lines do not all pass through the origin, other biases 0; μ and the
 * classifier Glorot-uniform; the variance head's weights at a tenth of Glorot and bias 0 (σ starts near 1).
 */
export function initClassModel(arch: ClassArch, seed: number): Float32Array[] {
  const { names, shapes } = classLayout(arch, 1);
  return names.map((name, p) => {
    const [, fanIn, fanOut] = shapes[p];
    const size = fanIn * fanOut;
    const out = new Float32Array(size);
    let limit = 0;
    if (name === 'b0') limit = 1;
    else if (/^W\d/.test(name))
      limit = arch.activation === 'relu' ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
    else if (name === 'Wmu' || name === 'Wc') limit = Math.sqrt(6 / (fanIn + fanOut));
    else if (name === 'Wvar') limit = 0.1 * Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < size; i++) out[i] = limit * (2 * uniform(seed, INIT_STREAM, p, i) - 1);
    return out;
  });
}

/** The stacked parameter tensors (layout order) as slices of one flat [K, P] tensor (the engine's single variable). */
export function unpackParams(flat: Tensor, arch: ClassArch): Tensor[] {
  const k = flat.shape[0];
  let offset = 0;
  return classLayout(arch, k).shapes.map((shape) => {
    const size = shape.slice(1).reduce((a, b) => a * b, 1);
    const part = tf.reshape(tf.slice(flat, [0, offset], [k, size]), shape);
    offset += size;
    return part;
  });
}

/** One model's parameters (layout order) as one flat row. */
export function packModel(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A hook between hidden layers: gets layer l's output [K, B, H] and returns what the next layer sees. */
export type LayerHook = (l: number, f: Tensor) => Tensor;

export interface Embedding {
  /** [K, B, D] */
  mu: Tensor;
  /** [K, B, D], capped (LOG_VAR_CAP). */
  logVar: Tensor;
}

/** The embedding of inputs x [B, 2] under the stacked parameters (layout order). */
export function embed(params: Tensor[], arch: ClassArch, x: Tensor, hook?: LayerHook): Embedding {
  const k = params[0].shape[0];
  let h: Tensor = tf.tile(tf.expandDims(x, 0), [k, 1, 1]);
  arch.hidden.forEach((_, l) => {
    const z = tf.add(tf.matMul(h, params[2 * l]), params[2 * l + 1]);
    h = arch.activation === 'relu' ? tf.relu(z) : tf.tanh(z);
    if (hook) h = hook(l, h);
  });
  const base = 2 * arch.hidden.length;
  const mu = tf.add(tf.matMul(h, params[base]), params[base + 1]);
  const raw = tf.add(tf.matMul(h, params[base + 2]), params[base + 3]);
  const logVar = tf.mul(LOG_VAR_CAP, tf.tanh(tf.div(raw, LOG_VAR_CAP)));
  return { mu, logVar };
}

/** The classifier W of the stack, [K, D, C]. */
export function classifierOf(params: Tensor[], arch: ClassArch): Tensor {
  return params[2 * arch.hidden.length + 4];
}

/** Logits f·W for features f [K, B, D]: [K, B, C]. */
export function logitsOf(f: Tensor, w: Tensor): Tensor {
  return tf.matMul(f, w);
}

/** Per-sample cross-entropy −log softmax(logits)[label] over the last axis; labels int32 broadcastable to logits' leading axes. */
export function crossEntropy(logits: Tensor, labels: Tensor): Tensor {
  return targetCrossEntropy(logits, oneHotFloat(labels, logits.shape[logits.rank - 1]));
}

/** One-hot rows as float32. (Cast from tfjs's int32 one-hot: WASM's oneHot with dtype float32 writes integer bits.) */
export function oneHotFloat(indices: Tensor, depth: number): Tensor {
  return tf.cast(tf.oneHot(indices, depth), 'float32');
}

/** Per-sample −Σ_c t_c log softmax(logits)_c for target rows t (one-hot or any distribution). */
export function targetCrossEntropy(logits: Tensor, target: Tensor): Tensor {
  return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1));
}
