// K mean/variance MLPs stacked along a leading axis, so that K models cost the kernel launches of one.
import { stopGradient } from './losses/stopGradient';
import { STREAM, uniform } from './rng';
import { tf, type Tensor } from './tf';

export const ACTIVATIONS = ['relu', 'tanh', 'elu', 'sigmoid'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface Architecture {
  /** Widths of the hidden layers; [50] is Robust-NLL's 1 → 50 → (μ, σ²). */
  hidden: number[];
  activation: Activation;
  /** One trunk feeding both heads, or two separate networks for μ and σ². */
  shared: boolean;
  /** σ² = softplus(s) + floor. */
  varianceFloor: number;
  /**
   * ω: when set, the first hidden layer (of both towers when separate) starts with W ~ U(−ω, ω) and biases
   * U(−ω·a, ω·a), a = INIT_INPUT_RANGE, so its kinks spread over the data instead of all sitting at x = 0.
   * Absent: He/Glorot weights and zero biases everywhere, as before (old links and files keep their weights).
   */
  initScale?: number;
  /**
   * 'pytorch': every weight and bias U(±1/√fan_in), torch.nn.Linear's default (the variance output's bias still
   * offset so σ² starts near 1). Absent: as above. `initScale` still overrides the first layer when both are set.
   */
  init?: 'pytorch';
  /** Feed x as given instead of standardised (datasets.ts inputScale): the β-NLL authors' code feeds x ∈ [0, 12] raw. */
  rawInput?: boolean;
}

/**
 * a of the first layer's bias range: √3, the largest |x| of a uniform input once standardised (mean 0,
 * std 1). Fixed rather than measured on the data, so initial weights stay a function of (architecture,
 * spec) alone and every path (engine, worker, fused kernel, files) starts the same; for the data sets here
 * (uniform x, mostly) it covers the inputs, and with other inputs the kinks still spread over ±1.7 std.
 */
export const INIT_INPUT_RANGE = Math.sqrt(3);

/** The first release's network: He/Glorot weights and zero biases (every first-layer kink at x = 0). The paper
 * reproductions (experiments/fig1, superloss, divergence) were measured with it and keep it. */
export const ZERO_BIAS_ARCHITECTURE: Architecture = {
  hidden: [50],
  activation: 'relu',
  shared: true,
  varianceFloor: 1e-6,
};

/** The page's default: the first layer's kinks spread over the data with ω = 3. Chosen by running every lesson
 * on 3 seeds with ω unset, 1 and 3 (the README's "The first layer's initialisation" at commit 6e7c3df): with zero biases seeds 1–2 of
 * the sine lessons stall at RMSE ≈ 1.05; with ω = 3 they fit (0.24–0.33 without outliers). */
export const DEFAULT_ARCHITECTURE: Architecture = { ...ZERO_BIAS_ARCHITECTURE, initScale: 3 };

/** Shapes of the stacked parameters, in a fixed order; every shape starts with K. */
export interface ParamLayout {
  names: string[];
  shapes: number[][];
}

export function paramLayout(arch: Architecture, k: number): ParamLayout {
  const names: string[] = [];
  const shapes: number[][] = [];
  const tower = (prefix: string, outputs: number) => {
    let fanIn = 1;
    arch.hidden.forEach((width, l) => {
      names.push(`${prefix}W${l}`, `${prefix}b${l}`);
      shapes.push([k, fanIn, width], [k, 1, width]);
      fanIn = width;
    });
    names.push(`${prefix}Wout`, `${prefix}bout`);
    shapes.push([k, fanIn, outputs], [k, 1, outputs]);
  };
  if (arch.shared) tower('', 2);
  else {
    tower('mean.', 1);
    tower('var.', 1);
  }
  // Barron's adaptive loss learns α and c; every model carries the two latents, used or not.
  names.push('alphaLatent', 'scaleLatent');
  shapes.push([k, 1], [k, 1]);
  return { names, shapes };
}

/** softplus⁻¹(1 − floor): the output bias that starts σ² at 1. */
const VARIANCE_BIAS = Math.log(Math.E - 1);

/**
 * Initial values of ONE model's parameters (the slices [k] of each stacked tensor), drawn from its own
 * seed, so a model starts the same whatever K is and wherever it sits in the stack. Weights are
 * uniform with He (ReLU, ELU) or Glorot (tanh, sigmoid) limits; biases zero; σ² starts at 1. With
 * `arch.initScale` = ω, the first hidden layer instead draws W ~ U(−ω, ω), b ~ U(−ω·√3, ω·√3).
 */
export function initModel(
  arch: Architecture,
  seed: number,
  latents = { alphaLatent: 0, scaleLatent: 0 },
): Float32Array[] {
  const layout = paramLayout(arch, 1);
  let counter = 0;
  const omega = arch.initScale;
  const spread = omega !== undefined && arch.hidden.length > 0;
  const firstLayer = (name: string) => /^(mean\.|var\.)?[Wb]0$/.test(name);
  return layout.names.map((name, p) => {
    const shape = layout.shapes[p];
    const size = shape.reduce((a, b) => a * b, 1);
    const out = new Float32Array(size);
    if (name === 'alphaLatent') out.fill(latents.alphaLatent);
    else if (name === 'scaleLatent') out.fill(latents.scaleLatent);
    else if (spread && firstLayer(name)) {
      const limit = name.endsWith('W0') ? omega : omega * INIT_INPUT_RANGE;
      for (let i = 0; i < size; i++) out[i] = limit * (2 * uniform(seed, STREAM.init, counter++) - 1);
    } else if (arch.init === 'pytorch') {
      // A bias's fan-in is its layer's weight's, the shape before it in the layout.
      const fanIn = name.includes('W') ? shape[1] : layout.shapes[p - 1][1];
      const limit = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < size; i++) out[i] = limit * (2 * uniform(seed, STREAM.init, counter++) - 1);
      if (name === 'bout' || name === 'var.bout') out[size - 1] += VARIANCE_BIAS;
    } else if (name.includes('W')) {
      const fanIn = shape[1];
      const fanOut = shape[2];
      const limit =
        arch.activation === 'relu' || arch.activation === 'elu'
          ? Math.sqrt(6 / fanIn)
          : Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) out[i] = limit * (2 * uniform(seed, STREAM.init, counter++) - 1);
    } else if (name === 'bout' || name === 'var.bout') {
      // The variance output is the last (shared) or only (separate) column.
      out[size - 1] = VARIANCE_BIAS;
    }
    return out;
  });
}

function activate(x: Tensor, activation: Activation): Tensor {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return tf.elu(x);
    case 'sigmoid':
      return tf.sigmoid(x);
  }
}

export interface Prediction {
  /** [K, B] */
  mu: Tensor;
  /** [K, B], σ² ≥ the floor */
  variance: Tensor;
}

/**
 * Forward pass of all K models on the same inputs x ([B], already standardised), or each model on its own
 * inputs (x [K, B]: the trajectories of src/core/trajectories.ts, each with its own data). `detachVarianceTrunk`
 * ([K, 1, 1] of 0/1) stops the variance head's gradient into a shared trunk for the models where it is 1
 * (Faithful regression trains the trunk with the mean's loss alone).
 */
export function forward(params: Tensor[], arch: Architecture, x: Tensor, detachVarianceTrunk?: Tensor): Prediction {
  return tf.tidy(() => {
    const k = params[0].shape[0];
    const b = x.shape[x.rank - 1];
    const input = x.rank === 2 ? tf.reshape(x, [k, b, 1]) : tf.broadcastTo(tf.reshape(x, [1, b, 1]), [k, b, 1]);
    let p = 0;
    const tower = (): Tensor => {
      let h = input;
      for (let l = 0; l < arch.hidden.length; l++) {
        h = activate(tf.add(tf.matMul(h, params[p]), params[p + 1]), arch.activation);
        p += 2;
      }
      return h;
    };
    const head = (h: Tensor): Tensor => {
      const out = tf.add(tf.matMul(h, params[p]), params[p + 1]);
      p += 2;
      return out;
    };
    let mu: Tensor;
    let s: Tensor;
    if (arch.shared) {
      const h = tower();
      const wOut = params[p];
      const bOut = params[p + 1];
      const [wMu, wVar] = tf.split(wOut, 2, 2);
      const [bMu, bVar] = tf.split(bOut, 2, 2);
      mu = tf.add(tf.matMul(h, wMu), bMu);
      let hVar = h;
      if (detachVarianceTrunk) {
        hVar = tf.add(tf.mul(detachVarianceTrunk, stopGradient(h)), tf.mul(tf.sub(1, detachVarianceTrunk), h));
      }
      s = tf.add(tf.matMul(hVar, wVar), bVar);
    } else {
      mu = head(tower());
      s = head(tower());
    }
    const variance = tf.add(tf.softplus(tf.reshape(s, [k, b])), arch.varianceFloor);
    return { mu: tf.reshape(mu, [k, b]), variance };
  });
}
