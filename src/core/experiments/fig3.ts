// Robust-NLL sec. 4.1, Fig. 3: linear regression with 10–90 % outliers.
import { DEFAULT_TRAIN, modelSpec, withIds, type RunConfig, type TrainSettings } from '../config';
import { DATASETS, defaultDataSpec, makePoints, type DataSpec, type Points } from '../datasets';
import { enginePath, type Snapshot } from '../engine';
import { freshState, type TrainingState } from '../state';
import type { Claim, ExperimentResult } from '../exportFile';
import { paperClaim, judged } from '../lessons/paperClaims';
import { mean, train, type Experiment } from './common';
import { leastSquares, linearFit, linearWeights } from './linear';

// Sec. 4.1 initialises "the weight parameters" at the closed form and says nothing of the variance head.
// Two readings, trained side by side: σ₀² = the least-squares residual variance (the mean-only warm-up
// followed by the variance's MLE), and σ₀² = 1 (a variance head at its usual initial output).
const FIG3_VARIANTS = [
  { label: 'mse', loss: 'mse', start: 'residual' },
  { label: 'nll', loss: 'nll', start: 'residual' },
  { label: 'beta-nll', loss: 'beta-nll', start: 'residual' },
  { label: 'robust-mse', loss: 'robust-mse', start: 'residual' },
  { label: 'robust-nll', loss: 'robust-nll', start: 'residual' },
  { label: 'robust-beta-nll', loss: 'robust-beta-nll', start: 'residual' },
  { label: 'nll σ₀²=1', loss: 'nll', start: 'unit' },
  { label: 'beta-nll σ₀²=1', loss: 'beta-nll', start: 'unit' },
  { label: 'robust-nll σ₀²=1', loss: 'robust-nll', start: 'unit' },
  { label: 'robust-beta-nll σ₀²=1', loss: 'robust-beta-nll', start: 'unit' },
] as const;

/**
 * Runs per outlier rate on one seed. The paper averages 20 runs per rate; here every seed is a replicate of the
 * whole figure and the claim is judged per seed, so 16 seeds × 2 runs hold 32 runs per rate in all.
 */
export const FIG3_RUNS_PER_SEED = 2;

export const fig3: Experiment = {
  id: 'robust-nll-fig3',
  title: 'Robust-NLL Fig. 3: linear regression with 10–90 % outliers',
  async run({ quick, seed, onProgress, makePath = enginePath }) {
    // Quick: fewer runs (two rates, one run each), never fewer steps: at 10³ steps SGD at lr 10⁻⁴ has not moved
    // the slope and the improvements read 0.3–14 % (issue 22), which says nothing of the claim.
    const rates = quick ? [0.3, 0.6] : [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    const runs = quick ? 1 : FIG3_RUNS_PER_SEED;
    const steps = 10_000;
    const labels = FIG3_VARIANTS.map((v) => v.label);
    const arch = { hidden: [], activation: 'relu' as const, shared: true, varianceFloor: 1e-6 };
    // sec. 4.1: SGD, lr 1e-4, batch 16, 10⁴ iterations, T = 1, initialised at the closed form.
    const trainSettings: TrainSettings = {
      ...DEFAULT_TRAIN,
      optimizer: 'sgd',
      learningRate: 1e-4,
      batchSize: 16,
      warmupMeanSteps: 0,
      warmupNllSteps: 0,
      batchSeed: seed,
      architecture: arch,
    };
    const specs = withIds(FIG3_VARIANTS.map((v) => modelSpec(v.loss, { T: 1, beta: 0.5 })));
    const errors = new Map<string, number[][]>([...labels, 'closed-form'].map((l) => [l, rates.map(() => [])]));
    const results: ExperimentResult[] = [];
    let last: { config: RunConfig; points: Points; snapshot: Snapshot; state: TrainingState } | null = null;
    let done = 0;
    for (const [r, rate] of rates.entries()) {
      for (let run = 0; run < runs; run++) {
        const data: DataSpec = { ...defaultDataSpec('linear'), n: 1000, seed: seed * 1000 + run, outlierRate: rate };
        const points = makePoints(data);
        const w = DATASETS.linear.parameter!(data.seed);
        const [a, b] = leastSquares(points.x, points.y);
        let rss = 0;
        points.x.forEach((x, i) => (rss += (points.y[i] - a * x - b) ** 2));
        errors.get('closed-form')![r].push((a - w) ** 2);
        results.push({
          loss: 'closed-form',
          params: {},
          condition: { outlierRate: rate, run },
          metrics: { weightError: (a - w) ** 2 },
        });
        const start = freshState(arch, specs);
        FIG3_VARIANTS.forEach(
          (v, k) =>
            (start.models[k].params = linearWeights(
              a,
              b,
              v.start === 'unit' ? 1 : rss / points.x.length,
              points,
              arch,
            )),
        );
        const engine = makePath(points, data, specs, trainSettings, start);
        const { snapshot, state } = await train(engine, steps, (f) => onProgress?.((done + f) / (rates.length * runs)));
        snapshot.models.forEach((m, k) => {
          const [slope] = linearFit(state.models[k].params, points);
          const err = (slope - w) ** 2;
          errors.get(labels[k])![r].push(err);
          results.push({
            loss: FIG3_VARIANTS[k].loss,
            params: { T: 1, beta: 0.5 },
            condition: { outlierRate: rate, run, varianceStart: FIG3_VARIANTS[k].start },
            metrics: { weightError: err, rmse: m.metrics.rmse },
          });
        });
        last = { config: { data, models: specs, train: trainSettings }, points, snapshot, state };
        engine.dispose();
        done++;
      }
    }
    const avg = (l: string) => rates.map((_, r) => mean(errors.get(l)![r]));
    const improvement = (plain: string, robust: string) => {
      const p = avg(plain);
      const q = avg(robust);
      return 100 * mean(p.map((v, r) => (v - q[r]) / v));
    };
    const pairs = [
      ['mse', 'mse', 'robust-nll-fig3/mse'],
      ['nll', 'nll', 'robust-nll-fig3/nll-residual'],
      ['beta-nll', 'beta-nll', 'robust-nll-fig3/beta-nll-residual'],
      ['nll', 'nll σ₀²=1', 'robust-nll-fig3/nll-unit'],
      ['beta-nll', 'beta-nll σ₀²=1', 'robust-nll-fig3/beta-nll-unit'],
    ];
    const claims: Claim[] = pairs.map(([l, plain, id]) => {
      const ours = improvement(plain, plain.replace(l, `robust-${l}`));
      // Agreement: the same direction, and at least minShare of the paper's size (src/core/lessons/paperClaims.ts).
      const { paperPercent, minShare } = paperClaim(id).thresholds;
      return judged(id, `${ours.toFixed(1)} %`, ours > 0 && ours > minShare * paperPercent);
    });
    const rows = rates.map((rate, r) => [
      `${Math.round(rate * 100)} %`,
      ...[...labels, 'closed-form'].map((l) => mean(errors.get(l)![r])),
    ]);
    return {
      id: this.id,
      title: this.title,
      settings: `y = w·x + ε + o, x ~ U(0, 1], w ~ N(0, 1), ε std 0.1, o std 10, N = 1000 per run; one linear layer (μ and σ², with an intercept), SGD lr 1e-4, batch 16, ${steps} iterations, ${runs} runs per rate, T = 1, β = 0.5, μ initialised at the closed-form least squares, σ₀² = the residual variance or 1 (the paper does not say)`,
      ...last!,
      results,
      claims,
      tables: [{ caption: 'Mean (ŵ − w)² over runs', header: ['outlier rate', ...labels, 'closed form'], rows }],
    };
  },
};
