// Barron 2019: the line fit with 10 % flipped outliers.
import { DEFAULT_TRAIN, modelSpec, withIds, type TrainSettings } from '../config';
import { defaultDataSpec, makePoints, type DataSpec } from '../datasets';
import { enginePath } from '../engine';
import type { Claim, ExperimentResult } from '../exportFile';
import { judged } from '../lessons/paperClaims';
import { fmt, train, type Experiment } from './common';
import { linearFit } from './linear';

export const barronLine: Experiment = {
  id: 'barron-line',
  title: "Barron's line fit with 10 % flipped outliers",
  async run({ quick, seed, onProgress, makePath = enginePath }) {
    const steps = quick ? 1000 : 2000;
    const arch = { hidden: [], activation: 'relu' as const, shared: true, varianceFloor: 1e-6 };
    const data: DataSpec = { ...defaultDataSpec('barron-line'), seed };
    const points = makePoints(data);
    // Full batches (batch = N = 50), Adam lr 0.01, scale 0.1; the adaptive loss starts at α = 1, c = 0.1.
    const trainSettings: TrainSettings = {
      ...DEFAULT_TRAIN,
      learningRate: 0.01,
      batchSize: points.x.length,
      warmupMeanSteps: 0,
      warmupNllSteps: 0,
      batchSeed: seed,
      architecture: arch,
    };
    const alphas = [2, 1, 0, -2];
    const specs = withIds(
      [
        ...alphas.map((a) => modelSpec('barron', { alpha: a, c: 0.1 })),
        modelSpec('barron-adaptive', { alpha: 1, c: 0.1 }),
      ].map((s) => ({ ...s, initSeed: seed })),
    );
    const engine = makePath(points, data, specs, trainSettings);
    const { snapshot, state } = await train(engine, steps, (f) => onProgress?.(f));
    engine.dispose();
    const names = [...alphas.map((a) => `α = ${a}`), 'adaptive'];
    const fits = state.models.map((m) => linearFit(m.params, points));
    const err = fits.map(([a, b]) => Math.abs(a - 0.7) + Math.abs(b - 0.15));
    const results: ExperimentResult[] = snapshot.models.map((m, k) => ({
      loss: m.loss,
      params: { alpha: specs[k].alpha, c: specs[k].c },
      condition: { outlierRate: data.outlierRate },
      metrics: {
        slope: fits[k][0],
        intercept: fits[k][1],
        slopeError: Math.abs(fits[k][0] - 0.7),
        interceptError: Math.abs(fits[k][1] - 0.15),
        learnedAlpha: m.learnedAlpha,
        learnedScale: m.learnedScale,
      },
    }));
    const claims: Claim[] = [
      judged(
        'barron-line/robust',
        `error ${fmt(err[0])} vs ${fmt(Math.min(err[2], err[3]))}`,
        Math.min(err[2], err[3]) < err[0],
      ),
      judged(
        'barron-line/adaptive',
        `error ${fmt(err[4])} vs ${fmt(err[0])}, learned α ${fmt(snapshot.models[4].learnedAlpha)}`,
        err[4] < err[0],
      ),
    ];
    return {
      id: this.id,
      title: this.title,
      settings: `y = 0.7x + 0.15 + N(0, 0.025²), x ~ U(0, 1), N = 50, 10 % flipped to 0.05 + 0.4(1 − sign(y − 0.5)); linear model, Adam lr 0.01, full batch, ${steps} steps, c = 0.1`,
      config: { data, models: specs, train: trainSettings },
      points,
      snapshot,
      state,
      results,
      claims,
      tables: [
        {
          caption: '',
          header: ['loss', 'slope (0.7)', 'intercept (0.15)', 'error (Δslope + Δintercept, absolute)'],
          rows: names.map((n, k) => [n, fits[k][0], fits[k][1], err[k]]),
        },
      ],
    };
  },
};
