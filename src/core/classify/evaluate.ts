// Test-time reading of the stacked classifiers: logits W·μ, no compensation, no mixing. Metrics on the clean
// test set and on the (noisy) training set, and, for the page, the fields over the input plane and the embedding.
import { tf, type Tensor } from '../tf';
import type { ClassData } from './data';
import type { ClassMining } from './mining';
import { PLANE_RADIUS } from './data';
import { accuracy, auroc, entropyRows, predictions, rejectionAccuracy, rowMeans } from './metrics';
import { classifierOf, embed, type ClassArch } from './model';
import { SIGMA_METHODS, type ClassMethod, type ClassModelSpec } from './spec';

export interface ClassModelMetrics {
  /** Accuracy on the clean test set. */
  testAccuracy: number;
  /** Accuracy against the noisy training labels (memorisation shows as this rising above 1 − r). */
  trainNoisyAccuracy: number;
  /** Accuracy of the training points against their clean labels. */
  trainCleanAccuracy: number;
  /** AUROC of the uncertainty score separating flipped from clean training points (NaN without flips). */
  flippedAuroc: number;
  /** Test accuracy after rejecting 0/10/20/30 % most uncertain by the model's own score. */
  rejection: number[];
  /** The same by predictive entropy, for every method. */
  rejectionEntropy: number[];
}

/** What the page draws of one model; fields over a gridSize² grid of [−R, R]², rows of y, columns of x. */
export interface ClassFields {
  gridSize: number;
  radius: number;
  /** [G², C] class probabilities. */
  probs: Float32Array;
  /** [G²] the uncertainty score. */
  score: Float32Array;
  /** Training points' μ [N, D] and σ [N, D]. */
  mu: Float32Array;
  sigma: Float32Array;
  /** The model's score of each training point [N]. */
  trainScore: Float32Array;
  /** The classifier W [D, C]. */
  classifier: Float32Array;
}

export interface ClassModelSnapshot {
  id: string;
  method: ClassMethod;
  /** Which score its uncertainty is. */
  scoreKind: 'sigma' | 'entropy';
  metrics: ClassModelMetrics;
  diverged: string | null;
  fields?: ClassFields;
  /** With fields: the latest step's partners and mixup weights (ALUM, RUL-style); null for methods without mining. */
  mining?: ClassMining | null;
}

export interface ClassSnapshot {
  step: number;
  models: ClassModelSnapshot[];
}

export function scoreKindOf(method: ClassMethod): 'sigma' | 'entropy' {
  return SIGMA_METHODS.includes(method) ? 'sigma' : 'entropy';
}

/** A gridSize² grid over [−R, R]², row-major with x fastest: [G², 2]. */
export function planeGrid(gridSize: number, radius = PLANE_RADIUS): Float32Array {
  const out = new Float32Array(2 * gridSize * gridSize);
  for (let r = 0; r < gridSize; r++) {
    for (let c = 0; c < gridSize; c++) {
      out[2 * (r * gridSize + c)] = -radius + (2 * radius * c) / (gridSize - 1);
      out[2 * (r * gridSize + c) + 1] = -radius + (2 * radius * r) / (gridSize - 1);
    }
  }
  return out;
}

interface Read {
  probs: Float32Array;
  sigma: Float32Array;
  mu: Float32Array;
}

/** Probabilities [K, n, C], σ [K, n, D] and μ [K, n, D] of inputs x, in one read each. */
async function readInputs(params: Tensor[], arch: ClassArch, x: Float32Array): Promise<Read> {
  const n = x.length / 2;
  const [probsT, sigmaT, muT] = tf.tidy((): [Tensor, Tensor, Tensor] => {
    const { mu, logVar } = embed(params, arch, tf.tensor2d(x, [n, 2]));
    return [tf.softmax(tf.matMul(mu, classifierOf(params, arch))), tf.exp(tf.mul(0.5, logVar)), mu];
  });
  try {
    const [probs, sigma, mu] = (await Promise.all([probsT.data(), sigmaT.data(), muT.data()])) as Float32Array[];
    return { probs, sigma, mu };
  } finally {
    [probsT, sigmaT, muT].forEach((t) => t.dispose());
  }
}

function scoreOf(
  kind: 'sigma' | 'entropy',
  probs: Float32Array,
  sigma: Float32Array,
  c: number,
  d: number,
): Float64Array {
  return kind === 'sigma' ? rowMeans(sigma, d) : entropyRows(probs, c);
}

const slice = (a: Float32Array, k: number, j: number) => a.subarray((j * a.length) / k, ((j + 1) * a.length) / k);

export async function readFrame(
  params: Tensor[],
  arch: ClassArch,
  data: ClassData,
  specs: ClassModelSpec[],
  step: number,
  gridSize: number,
): Promise<ClassSnapshot> {
  const k = specs.length;
  const c = arch.classes;
  const d = arch.embedding;
  const test = await readInputs(params, arch, data.test.x);
  const train = await readInputs(params, arch, data.train.x);
  const grid = gridSize > 0 ? await readInputs(params, arch, planeGrid(gridSize)) : null;
  const w = gridSize > 0 ? ((await classifierOf(params, arch).data()) as Float32Array) : null;
  const models = specs.map((spec, j): ClassModelSnapshot => {
    const kind = scoreKindOf(spec.method);
    const tp = slice(test.probs, k, j);
    const pred = predictions(tp, c);
    const correct = Uint8Array.from(pred, (p, i) => (p === data.test.label[i] ? 1 : 0));
    const testScore = scoreOf(kind, tp, slice(test.sigma, k, j), c, d);
    const trp = slice(train.probs, k, j);
    const trainPred = predictions(trp, c);
    const trainScore = scoreOf(kind, trp, slice(train.sigma, k, j), c, d);
    const finite = tp.every(Number.isFinite) && trp.every(Number.isFinite);
    const metrics: ClassModelMetrics = {
      testAccuracy: accuracy(pred, data.test.label),
      trainNoisyAccuracy: accuracy(trainPred, data.train.label),
      trainCleanAccuracy: accuracy(trainPred, data.train.clean),
      flippedAuroc: auroc(trainScore, data.train.flipped),
      rejection: rejectionAccuracy(correct, testScore),
      rejectionEntropy: rejectionAccuracy(correct, entropyRows(tp, c)),
    };
    const snap: ClassModelSnapshot = {
      id: spec.id,
      method: spec.method,
      scoreKind: kind,
      metrics,
      diverged: finite ? null : 'its outputs became non-finite',
    };
    if (grid && w) {
      const gp = slice(grid.probs, k, j);
      snap.fields = {
        gridSize,
        radius: PLANE_RADIUS,
        probs: gp.slice(),
        score: Float32Array.from(scoreOf(kind, gp, slice(grid.sigma, k, j), c, d)),
        mu: slice(train.mu, k, j).slice(),
        sigma: slice(train.sigma, k, j).slice(),
        trainScore: Float32Array.from(trainScore),
        classifier: slice(w, k, j).slice(),
      };
    }
    return snap;
  });
  return { step, models };
}
