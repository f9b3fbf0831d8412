// K trajectories trained as ONE stacked run, each model with its own data draw, initial weights and minibatch
// order (the engine's models share one data set and one batch order). For studies over seeds: how often a
// method diverges (experiments/divergence.ts). The step is the engine's: the same objective, optimiser,
// warm-up rule and hashed minibatches, so trajectory k equals an Engine run of its data alone.
import type { ModelSpec, TrainSettings } from './config';
import { DATASETS, inputScale, linspace, makePoints, truthOf, type DataSpec } from './datasets';
import { batchIndices } from './engine';
import { buildHyper, disposeHyper, nextPhaseMask, type HyperTensors } from './hyper';
import { parseLossId } from './losses';
import { fitMetrics, predictiveOf, type FitMetrics } from './metrics';
import { forward } from './model';
import { objective } from './objective';
import { applyStep, stepCoefficients } from './optimizer';
import {
  freshState,
  paramCount,
  stackField,
  stateFromRows,
  stateMismatch,
  type Phase,
  type TrainingState,
} from './state';
import { readOnce, tf, type Tensor } from './tf';

/** One trajectory: its data (the seed picks the draw), its minibatch seed and its model (initSeed, loss). */
export interface Trajectory {
  data: DataSpec;
  batchSeed: number;
  spec: ModelSpec;
}

export interface TrajectoryMetrics extends FitMetrics {
  /** Every parameter finite. */
  finite: boolean;
}

const METRIC_GRID = 200;

export class Trajectories {
  private params: tf.Variable[] = [];
  private moment1: tf.Variable[] = [];
  private moment2: tf.Variable[] = [];
  private readonly hyper: HyperTensors;
  /** All trajectories' standardised inputs and targets, flattened [K·N]; the metric grid [K, M]. */
  private readonly x: Tensor;
  private readonly y: Tensor;
  private readonly gridX: Tensor;
  private readonly truth: { mean: Float64Array; std: Float64Array };
  private readonly n: number;
  private readonly specs: ModelSpec[];
  private readonly adamT: number[];
  private readonly steps: number[];
  private readonly finite: boolean[];
  private phaseMask: Tensor | null = null;
  private phases: Phase[] = [];
  private globalStep: number;

  constructor(
    readonly trajectories: readonly Trajectory[],
    private readonly train: TrainSettings,
    state?: TrainingState,
  ) {
    if (trajectories.length === 0) throw new Error('a study needs at least one trajectory');
    const first = trajectories[0].data;
    for (const t of trajectories) {
      if (t.data.dataset !== first.dataset || t.data.n !== first.n)
        throw new Error(
          `every trajectory needs the same data set and N (${first.dataset}, ${first.n}); got ${t.data.dataset}, ${t.data.n}`,
        );
      if (parseLossId(t.spec.loss).wrapper === 'superloss')
        throw new Error(`trajectories do not carry SuperLoss's τ; ${t.spec.loss} is not supported here`);
    }
    this.specs = trajectories.map((t) => ({ ...t.spec }));
    const start = state ?? freshState(train.architecture, this.specs);
    const why = stateMismatch(start, train.architecture, this.specs);
    if (why) throw new Error(`cannot load this training state: ${why}`);
    this.globalStep = start.step;
    this.adamT = start.models.map((m) => m.t);
    this.steps = start.models.map((m) => m.steps);
    this.finite = start.models.map((m) => m.diverged === null);
    this.n = first.n;
    const k = trajectories.length;
    const domain = DATASETS[first.dataset].domain;
    const grid = linspace(domain[0], domain[1], METRIC_GRID);
    const truth = truthOf(first);
    this.truth = { mean: Float64Array.from(grid, truth.mean), std: Float64Array.from(grid, truth.std) };
    const xs = new Float32Array(k * this.n);
    const ys = new Float32Array(k * this.n);
    const gx = new Float32Array(k * METRIC_GRID);
    trajectories.forEach((t, i) => {
      // Each trajectory standardises x with its own data, as the engine does.
      const points = makePoints(t.data);
      const { mean, std } = inputScale(points.x, train.architecture);
      xs.set(
        Float32Array.from(points.x, (v) => (v - mean) / std),
        i * this.n,
      );
      ys.set(points.y, i * this.n);
      gx.set(
        Float32Array.from(grid, (v) => (v - mean) / std),
        i * METRIC_GRID,
      );
    });
    this.x = tf.tensor1d(xs);
    this.y = tf.tensor1d(ys);
    this.gridX = tf.tensor2d(gx, [k, METRIC_GRID]);
    this.hyper = buildHyper(this.specs, train);
    const arch = train.architecture;
    const [p, m1, m2] = (['params', 'm', 'v'] as const).map((f) => stackField(start, arch, f));
    tf.tidy(() => {
      this.params = p.shapes.map((shape, i) => tf.variable(tf.tensor(p.values[i], shape), true));
      this.moment1 = p.shapes.map((shape, i) => tf.variable(tf.tensor(m1.values[i], shape), false));
      this.moment2 = p.shapes.map((shape, i) => tf.variable(tf.tensor(m2.values[i], shape), false));
    });
  }

  get step(): number {
    return this.globalStep;
  }

  private updatePhases(): void {
    ({ phases: this.phases, mask: this.phaseMask } = nextPhaseMask(
      this.steps,
      this.specs,
      this.train,
      this.phases,
      this.phaseMask,
    ));
  }

  /** `count` steps of every trajectory still finite (one that went non-finite stops, as in the engine). */
  run(count = 1): void {
    const k = this.specs.length;
    const b = Math.min(this.train.batchSize, this.n);
    for (let i = 0; i < count; i++) {
      this.updatePhases();
      const idx = new Int32Array(k * b);
      this.trajectories.forEach((t, j) => {
        const rows = batchIndices(t.batchSeed, this.globalStep, this.train.batchSize, this.n);
        for (let r = 0; r < b; r++) idx[j * b + r] = j * this.n + rows[r];
      });
      const lr = this.specs.map((s) => this.train.learningRate * s.lrScale);
      const coefficients = stepCoefficients(this.train.optimizer, lr, this.finite, this.adamT);
      tf.tidy(() => {
        const at = tf.tensor1d(idx, 'int32');
        const xb = tf.reshape(tf.gather(this.x, at), [k, b]);
        const yb = tf.reshape(tf.gather(this.y, at), [k, b]);
        const tau = tf.zeros([k, 1]);
        const { grads } = tf.variableGrads(() => {
          const { perModel } = objective({
            params: this.params,
            arch: this.train.architecture,
            h: this.hyper,
            tau,
            phases: this.phases,
            phaseMask: this.phaseMask!,
            x: xb,
            y: yb,
          });
          return tf.sum<tf.Scalar>(perModel);
        }, this.params);
        applyStep(
          this.train.optimizer,
          this.params,
          this.params.map((v) => grads[v.name] ?? tf.zerosLike(v)),
          this.moment1,
          this.moment2,
          coefficients,
        );
      });
      this.globalStep++;
      this.finite.forEach((a, j) => {
        if (a) this.steps[j]++;
      });
    }
  }

  /** RMSE of μ to the true mean and mean |σ − σ_true| on a clean grid, per trajectory (one read). */
  async metrics(): Promise<TrajectoryMetrics[]> {
    const k = this.specs.length;
    const packed = tf.tidy(() => {
      const { mu, variance } = forward(this.params, this.train.architecture, this.gridX);
      const finite = tf.stack(
        this.params.map((p) => tf.all(tf.isFinite(tf.reshape(p, [k, -1])), 1)),
        1,
      );
      return tf.concat([mu, variance, tf.cast(tf.all(finite, 1, true), 'float32')], 1);
    });
    const flat = await readOnce(packed);
    const w = 2 * METRIC_GRID + 1;
    return this.specs.map((spec, j) => {
      const row = flat.subarray(j * w, (j + 1) * w);
      const finite = row[2 * METRIC_GRID] > 0.5;
      if (!finite) this.finite[j] = false;
      const fit = fitMetrics({
        gridMu: row.subarray(0, METRIC_GRID),
        gridV: row.subarray(METRIC_GRID, 2 * METRIC_GRID),
        truthMean: this.truth.mean,
        truthStd: this.truth.std,
        heldMu: [],
        heldV: [],
        heldY: [],
        predictive: predictiveOf(spec),
      });
      return { ...fit, finite };
    });
  }

  /** The exact training state (θ, Adam's moments and counters per trajectory), e.g. to branch after a shared warm-up. */
  async exportState(): Promise<TrainingState> {
    const k = this.specs.length;
    const packed = tf.tidy(() => {
      const flat = (vs: tf.Variable[]) =>
        tf.concat(
          vs.map((p) => tf.reshape(p, [k, -1])),
          1,
        );
      return tf.concat([flat(this.params), flat(this.moment1), flat(this.moment2), tf.zeros([k, 1])], 1);
    });
    const width = packed.shape[1]!;
    const flat = await readOnce(packed);
    const rows = this.specs.map((_, j) => flat.subarray(j * width, (j + 1) * width));
    const diverged = this.finite.map((f) => (f ? null : 'non-finite parameters'));
    return stateFromRows(rows, paramCount(this.train.architecture), {
      step: this.globalStep,
      ids: this.specs.map((s) => s.id),
      t: this.adamT,
      steps: this.steps,
      tauCount: this.specs.map(() => 0),
      diverged,
    });
  }

  dispose(): void {
    for (const v of [...this.params, ...this.moment1, ...this.moment2]) v.dispose();
    for (const t of [this.x, this.y, this.gridX]) t.dispose();
    this.phaseMask?.dispose();
    disposeHyper(this.hyper);
  }
}
