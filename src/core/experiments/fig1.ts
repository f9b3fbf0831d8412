// Robust-NLL sec. 4.2, Fig. 1: the heteroscedastic sine, without and with 25 % outliers.
import { DEFAULT_TRAIN, modelSpec, withIds, type ModelSpec, type RunConfig, type TrainSettings } from '../config';
import { ZERO_BIAS_ARCHITECTURE } from '../model';
import { defaultDataSpec, makePoints, type DataSpec, type Points } from '../datasets';
import { enginePath, type Snapshot } from '../engine';
import type { TrainingState } from '../state';
import type { Claim, ExperimentResult } from '../exportFile';
import { judged } from '../lessons/paperClaims';
import { fmt, trainWithCheckpoints, type Experiment, type Table } from './common';

export const fig1: Experiment = {
  id: 'robust-nll-fig1',
  title: 'Robust-NLL Fig. 1: heteroscedastic sine, without and with 25 % outliers',
  async run({ quick, seed, onProgress, makePath = enginePath }) {
    const warm = quick ? { meanSteps: 400, nllSteps: 400 } : { meanSteps: 3000, nllSteps: 3000 };
    const steps = quick ? 1500 : 100_000;
    const trainSettings: TrainSettings = {
      ...DEFAULT_TRAIN,
      warmupMeanSteps: warm.meanSteps,
      warmupNllSteps: warm.nllSteps,
      batchSeed: seed,
      architecture: ZERO_BIAS_ARCHITECTURE,
    };
    const conditions = [
      { outlierRate: 0, T: 64 },
      { outlierRate: 0.25, T: 16 },
    ];
    const names = ['NLL', 'β-NLL (β = 0.5)', 'Faithful', 'Robust-NLL (warm start)', 'Robust-NLL (cold start)'];
    const results: ExperimentResult[] = [];
    const metrics: Record<string, { rmse: number; sigmaError: number; nll: number }>[] = [];
    let last: { config: RunConfig; points: Points; snapshot: Snapshot; state: TrainingState } | null = null;
    for (const [c, cond] of conditions.entries()) {
      const data: DataSpec = { ...defaultDataSpec('hetero-sine'), seed, outlierRate: cond.outlierRate };
      const points = makePoints(data);
      const specs: ModelSpec[] = withIds(
        [
          modelSpec('nll'),
          modelSpec('beta-nll', { beta: 0.5 }),
          modelSpec('faithful'),
          modelSpec('robust-nll', { T: cond.T }),
          modelSpec('robust-nll', { T: cond.T, warmup: { meanSteps: 0, nllSteps: 0 } }),
        ].map((s) => ({ ...s, initSeed: seed })),
      );
      const engine = makePath(points, data, specs, trainSettings);
      // Checkpoints along the way: a late divergence shows up in the results, not just at the end.
      const checkpoints = quick ? [steps] : [10_000, 25_000, 50_000, 75_000, steps];
      const { snapshot, state } = await trainWithCheckpoints(
        engine,
        checkpoints,
        (f) => onProgress?.((c + f) / conditions.length),
        (cp, snap) => {
          if (cp < steps)
            snap.models.forEach((m, k) =>
              results.push({
                loss: m.loss,
                params: { T: specs[k].T, beta: specs[k].beta, warmStart: k !== 4 },
                condition: { outlierRate: cond.outlierRate, step: cp },
                metrics: { rmse: m.metrics.rmse, nll: m.metrics.nll, sigmaError: m.metrics.sigmaError },
              }),
            );
        },
      );
      const row: Record<string, { rmse: number; sigmaError: number; nll: number }> = {};
      snapshot.models.forEach((m, k) => {
        row[names[k]] = { rmse: m.metrics.rmse, sigmaError: m.metrics.sigmaError, nll: m.metrics.nll };
        results.push({
          loss: m.loss,
          params: { T: specs[k].T, beta: specs[k].beta, warmStart: k !== 4 },
          condition: { outlierRate: cond.outlierRate, step: steps },
          metrics: {
            rmse: m.metrics.rmse,
            nll: m.metrics.nll,
            sigmaError: m.metrics.sigmaError,
            diverged: m.status === 'diverged' ? 1 : 0,
          },
        });
      });
      metrics.push(row);
      last = { config: { data, models: specs, train: trainSettings }, points, snapshot, state };
      engine.dispose();
    }
    const dirty = metrics[1];
    const robust = dirty['Robust-NLL (warm start)'];
    const others = ['NLL', 'β-NLL (β = 0.5)', 'Faithful'].map((n) => dirty[n]);
    const bestOther = Math.min(...others.map((o) => o.sigmaError));
    const cold = dirty['Robust-NLL (cold start)'].sigmaError;
    const claims: Claim[] = [
      judged(
        'robust-nll-fig1/sigma',
        `σ error ${fmt(robust.sigmaError)} vs best other ${fmt(bestOther)}; RMSE ${fmt(robust.rmse)} vs NLL ${fmt(dirty.NLL.rmse)}`,
        robust.sigmaError < bestOther && robust.rmse <= dirty.NLL.rmse,
      ),
      judged('robust-nll-fig1/mean', `${fmt(robust.rmse)} vs ${fmt(dirty.NLL.rmse)}`, robust.rmse < dirty.NLL.rmse),
      judged(
        'robust-nll-fig1/warm-start',
        `cold ${fmt(cold)} vs warm ${fmt(robust.sigmaError)} (σ error)`,
        cold > robust.sigmaError || !Number.isFinite(cold),
      ),
    ];
    const rows = names.map((n) => [
      n,
      metrics[0][n].rmse,
      metrics[0][n].sigmaError,
      metrics[0][n].nll,
      metrics[1][n].rmse,
      metrics[1][n].sigmaError,
      metrics[1][n].nll,
    ]);
    return {
      id: this.id,
      title: this.title,
      settings: `y = x sin x + 0.3ε₁ + 0.3xε₂, N = 1000; 1 → 50 ReLU → (μ, σ²), Adam lr 0.01, batch 256, ${steps} steps, warm-up ${warm.meanSteps} mean-only + ${warm.nllSteps} NLL steps (not for the cold start); T = 64 clean, 16 with outliers N(0, 10²)`,
      ...last!,
      results,
      claims,
      tables: [
        {
          caption: '',
          header: ['loss', 'clean RMSE', 'clean σ err', 'clean NLL', '25 % RMSE', '25 % σ err', '25 % NLL'],
          rows,
        },
        ...trajectory(results),
      ],
    };
  },
};

/** RMSE at each checkpoint with outliers, when there are several: where a run goes wrong, not just that it did. */
function trajectory(results: ExperimentResult[]): Table[] {
  const dirty = results.filter((r) => r.condition.outlierRate === 0.25 && typeof r.condition.step === 'number');
  const steps = [...new Set(dirty.map((r) => r.condition.step as number))].sort((a, b) => a - b);
  if (steps.length < 2) return [];
  const names = ['NLL', 'β-NLL', 'Faithful', 'Robust-NLL (warm)', 'Robust-NLL (cold)'];
  const rows = steps.map((st) => [
    st,
    ...dirty.filter((r) => r.condition.step === st).map((r) => r.metrics.rmse ?? NaN),
  ]);
  return [{ caption: 'RMSE with 25 % outliers along the run', header: ['step', ...names], rows }];
}
