// The classification trainer: K classifiers stacked side by side on the same data, batches, initial weights
// and random draws, each with its own method (ALUM or a baseline), trained with Adam (src/core/optimizer.ts).
// Hyperparameters are read from the specs at every step, so a live change takes effect on the next step.
import { applyStep, stepCoefficients } from '../optimizer';
import { hash32 } from '../rng';
import { tf, type Tensor } from '../tf';
import {
  alumLoss,
  compensateFaithful,
  compensateGrouped,
  compensationCoin,
  planPartners,
  type PartnerPlan,
} from './alum';
import { baselineLoss } from './baselines';
import type { ClassData, ClassDataSpec } from './data';
import {
  classLayout,
  classifierOf,
  classParamCount,
  embed,
  initClassModel,
  packModel,
  unpackParams,
  type ClassArch,
} from './model';
import { readFrame, type ClassSnapshot } from './evaluate';
import { readMining, type KeptMining } from './mining';
import { classModelProblem, type ClassModelSpec, type ClassTrainSettings } from './spec';

export interface ClassRunConfig {
  data: ClassDataSpec;
  models: ClassModelSpec[];
  train: ClassTrainSettings;
}

export function archOf(train: ClassTrainSettings, classes: number): ClassArch {
  return { hidden: train.hidden, activation: train.activation, embedding: train.embedding, classes };
}

/** The j-th index of batch `step`: the whole data in order when the batch covers it. */
export function classBatch(seed: number, step: number, batchSize: number, n: number): Int32Array {
  if (batchSize >= n) return Int32Array.from({ length: n }, (_, i) => i);
  return Int32Array.from({ length: batchSize }, (_, j) => hash32(seed, 54, step, j) % n);
}

/** A random permutation of 0 … b−1 for RUL's partners (sorted hash keys). */
export function shuffled(b: number, seed: number, step: number): Int32Array {
  const key = Array.from({ length: b }, (_, i) => hash32(seed, 57, step, i));
  return Int32Array.from(Array.from({ length: b }, (_, i) => i).sort((a, c) => key[a] - key[c] || a - c));
}

export class ClassifyEngine {
  /** Every model's parameters as one row of a flat [K, P] variable (one Adam update per step), and its moments. */
  private theta!: tf.Variable;
  private m1!: tf.Variable;
  private m2!: tf.Variable;
  private tau: tf.Variable;
  private readonly adamT: number[];
  private readonly tauCount: number[];
  private readonly diverged: (string | null)[];
  private xTrain!: Tensor;
  private specs: ClassModelSpec[];
  private globalStep = 0;
  /** Each model's latest mining (ALUM, RUL-style), replaced every step. */
  private kept: (KeptMining | null)[] = [];
  readonly arch: ClassArch;
  private disposed = false;

  constructor(
    private data: ClassData,
    specs: ClassModelSpec[],
    readonly train: ClassTrainSettings,
    initial?: Float32Array[][],
    /** The global step to go on from (a fail-over from the weights of the last frame shown); 0 for a new run. */
    startStep = 0,
  ) {
    if (specs.length === 0) throw new Error('the classification engine needs at least one model');
    specs.forEach((s) => {
      const why = classModelProblem(s, train);
      if (why) throw new Error(`model ${s.id}: ${why}`);
    });
    this.specs = specs.map((s) => ({ ...s }));
    this.arch = archOf(train, data.train.classes);
    const k = specs.length;
    this.adamT = specs.map(() => 0);
    this.tauCount = specs.map(() => 0);
    this.diverged = specs.map(() => null);
    const start = initial ?? specs.map(() => initClassModel(this.arch, train.seed));
    const width = classParamCount(this.arch);
    const flat = new Float32Array(width * k);
    start.forEach((m, j) => {
      const row = packModel(m);
      if (row.length !== width) throw new Error(`model ${j + 1} has ${row.length} parameters, not ${width}`);
      flat.set(row, j * width);
    });
    tf.tidy(() => {
      this.theta = tf.variable(tf.tensor2d(flat, [k, width]), true);
      this.m1 = tf.variable(tf.zeros([k, width]), false);
      this.m2 = tf.variable(tf.zeros([k, width]), false);
    });
    this.tau = tf.variable(tf.tensor1d(this.specs.map(() => Math.log(this.arch.classes))), false);
    this.globalStep = startStep;
    this.setData(data);
  }

  get step(): number {
    return this.globalStep;
  }

  get models(): readonly ClassModelSpec[] {
    return this.specs;
  }

  get classData(): ClassData {
    return this.data;
  }

  /** New data (a new flip rate, say) under the same weights; the class count must stay. */
  setData(data: ClassData): void {
    if (data.train.classes !== this.arch.classes)
      throw new Error(`the data has ${data.train.classes} classes, the models ${this.arch.classes}`);
    this.xTrain?.dispose();
    this.data = data;
    this.xTrain = tf.tensor2d(data.train.x, [data.train.label.length, 2]);
  }

  /** A live change of model k's hyperparameters (its method included); nothing restarts. */
  updateModel(k: number, spec: ClassModelSpec): void {
    if (!(k >= 0 && k < this.specs.length)) throw new Error(`no model ${k}`);
    const why = classModelProblem(spec, this.train);
    if (why) throw new Error(`model ${spec.id}: ${why}`);
    this.specs[k] = { ...spec };
  }

  run(count = 1): void {
    for (let i = 0; i < count; i++) this.singleStep();
  }

  /** The hook that compensates the hidden layers of the models whose coin came up at this step. */
  private compensationHook(step: number) {
    const seed = this.train.seed;
    return (l: number, f: Tensor): Tensor => {
      const modes = this.specs.map((s) =>
        s.method === 'alum' && s.compensation !== 'off' && compensationCoin(seed, step, l, s.compP)
          ? s.compensation
          : 'off',
      );
      if (modes.every((m) => m === 'off')) return f;
      const [, b, h] = f.shape;
      const eps = tf.randomNormal([1, b, h], 0, 1, 'float32', hash32(seed, 55, step, l));
      const parts = modes.map((mode, k) => {
        const fk = tf.slice(f, [k, 0, 0], [1, b, h]);
        if (mode === 'faithful') return compensateFaithful(fk, eps);
        if (mode === 'grouped') {
          const g = this.specs[k].groups;
          return compensateGrouped(
            fk,
            g,
            tf.randomNormal([1, b, g], 0, 1, 'float32', hash32(seed, 58, step, l)),
            tf.randomNormal([1, b, g], 0, 1, 'float32', hash32(seed, 59, step, l)),
          );
        }
        return fk;
      });
      return tf.concat(parts, 0);
    };
  }

  private singleStep(): void {
    if (this.disposed) throw new Error('the engine was disposed');
    const { seed, batchSize, learningRate } = this.train;
    const step = this.globalStep;
    const n = this.data.train.label.length;
    const idx = classBatch(seed, step, batchSize, n);
    const labels = Int32Array.from(idx, (i) => this.data.train.label[i]);
    const b = idx.length;
    const plans = new Map<number, PartnerPlan>();
    const planFor = (p: number) => plans.get(p) ?? plans.set(p, planPartners(labels, p, seed, step)).get(p)!;
    const partner = shuffled(b, seed, step);
    const active = this.diverged.map((d) => d === null);
    const k = this.specs.length;
    const coefficients = stepCoefficients(
      'adam',
      this.specs.map(() => learningRate),
      active,
      this.adamT,
    );
    const emaModels = this.specs.map((s, j) => s.method === 'superloss-ce' && s.tauMode === 'ema' && active[j]);
    const kept: (KeptMining | null)[] = this.specs.map(() => null);
    tf.tidy(() => {
      const xb = tf.gather(this.xTrain, tf.tensor1d(idx, 'int32'));
      const noise = tf.randomNormal([b, this.arch.embedding], 0, 1, 'float32', hash32(seed, 56, step));
      const meanCe: Tensor[] = [];
      const { grads } = tf.variableGrads(() => {
        const params = unpackParams(this.theta, this.arch);
        const { mu, logVar } = embed(params, this.arch, xb, this.compensationHook(step));
        const w = classifierOf(params, this.arch);
        const d = this.arch.embedding;
        const losses = this.specs.map((spec, j) => {
          const muK = tf.reshape(tf.slice(mu, [j, 0, 0], [1, b, d]), [b, d]);
          const lvK = tf.reshape(tf.slice(logVar, [j, 0, 0], [1, b, d]), [b, d]);
          const wK = tf.reshape(tf.slice(w, [j, 0, 0], [1, d, this.arch.classes]), [d, this.arch.classes]);
          if (spec.method === 'alum') {
            const plan = planFor(spec.hardFraction);
            const parts = alumLoss(muK, lvK, wK, labels, plan, spec);
            kept[j] = {
              step,
              anchors: idx,
              hard: plan.hard,
              pos: tf.keep(parts.pos),
              neg: tf.keep(parts.neg),
              weights: parts.weights.map((w) => tf.keep(w)),
            };
            return parts.loss;
          }
          const tau = tf.reshape(tf.slice(this.tau, [j], [1]), []);
          const r = baselineLoss(spec, { mu: muK, logVar: lvK, w: wK, labels, noise, partner, tau });
          meanCe[j] = tf.keep(r.meanCe);
          if (r.weights)
            kept[j] = {
              step,
              anchors: idx,
              hard: null,
              pos: partner,
              neg: null,
              weights: r.weights.map((w) => tf.keep(w)),
            };
          return r.loss;
        });
        // A diverged model's loss stays out of the sum (its parameters do not move either).
        return tf.addN(losses.map((l, j) => (active[j] ? l : tf.zerosLike(l)))) as tf.Scalar;
      }, [this.theta]);
      applyStep('adam', [this.theta], [grads[this.theta.name]], [this.m1], [this.m2], coefficients);
      if (emaModels.some(Boolean)) {
        const next = this.specs.map((_, j) => {
          const current = tf.slice(this.tau, [j], [1]);
          if (!emaModels[j] || !meanCe[j]) return current;
          const first = this.tauCount[j]++ === 0;
          return first
            ? tf.reshape(meanCe[j], [1])
            : tf.add(tf.mul(0.9, current), tf.mul(0.1, tf.reshape(meanCe[j], [1])));
        });
        const stacked = tf.concat(next, 0);
        this.tau.assign(tf.where(tf.isFinite(stacked), stacked, this.tau));
      }
      meanCe.forEach((t) => t?.dispose());
    });
    // τ = log C for the fixed mode (so a switch back from EMA restores it).
    if (this.specs.some((s) => s.method === 'superloss-ce' && s.tauMode === 'logC')) {
      const fixed = this.specs.map((s) => s.method === 'superloss-ce' && s.tauMode === 'logC');
      tf.tidy(() =>
        this.tau.assign(
          tf.where(
            tf.tensor1d(
              fixed.map((f) => (f ? 1 : 0)),
              'bool',
            ),
            tf.fill([k], Math.log(this.arch.classes)),
            this.tau,
          ),
        ),
      );
    }
    this.disposeKept();
    this.kept = kept;
    this.globalStep++;
  }

  private disposeKept(): void {
    for (const k of this.kept) {
      if (!k) continue;
      if (!(k.pos instanceof Int32Array)) k.pos.dispose();
      k.neg?.dispose();
      k.weights.forEach((w) => w.dispose());
    }
    this.kept = [];
  }

  /** The current parameters, per model, in layout order (for files and tests). */
  async exportParams(): Promise<Float32Array[][]> {
    const k = this.specs.length;
    const flat = (await this.theta.data()) as Float32Array;
    const width = flat.length / k;
    const { shapes } = classLayout(this.arch, 1);
    return Array.from({ length: k }, (_, j) => {
      let offset = j * width;
      return shapes.map((shape) => {
        const size = shape.reduce((a, b) => a * b, 1);
        offset += size;
        return flat.slice(offset - size, offset);
      });
    });
  }

  /** Metrics of every model (and, with `fields`, what the page draws); marks models whose outputs went non-finite. */
  async frame(fields = false, gridSize = 40): Promise<ClassSnapshot> {
    const params = tf.tidy(() => unpackParams(this.theta, this.arch));
    const snap = await readFrame(params, this.arch, this.data, this.specs, this.globalStep, fields ? gridSize : 0);
    snap.models.forEach((m, j) => {
      if (m.diverged && !this.diverged[j]) this.diverged[j] = m.diverged;
      m.diverged = this.diverged[j];
    });
    params.forEach((p) => p.dispose());
    if (fields)
      await Promise.all(
        snap.models.map(async (m, j) => (m.mining = this.kept[j] ? await readMining(this.kept[j]) : null)),
      );
    return snap;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeKept();
    for (const v of [this.theta, this.m1, this.m2, this.tau, this.xTrain]) v.dispose();
  }
}
