// The post-hoc lessons (issue 26): split conformal and recalibration beside a learned σ, and a real data set.
// Their claims were written before the run that judged them (npm run lessons -- --only <id> --seeds 3; docs/lessons.md).
import { DEFAULT_TRAIN, modelSpec, withIds, type ModelSpec } from '../core/config';
import { defaultDataSpec } from '../core/datasets';
import { DEFAULT_POSTHOC, type PosthocSettings } from '../core/posthoc';
import { below, max, min, type Lesson } from './lesson';

const m = (loss: string, o: Partial<ModelSpec> = {}) => modelSpec(loss, o);
const linearArch = { hidden: [] as number[], activation: 'relu' as const, shared: true, varianceFloor: 1e-6 };

/** The conformal lesson's post-hoc settings: 20 % of the data calibrate, 90 %, σ-normalised, the oracle's clean share. */
const oracle: PosthocSettings = { ...DEFAULT_POSTHOC, calibration: 'clean' };
const ph = (patch: Partial<PosthocSettings>) => ({
  kind: 'train' as const,
  patch: { posthoc: { ...oracle, ...patch } },
});

export const POSTHOC_LESSONS: Lesson[] = [
  {
    id: 'conformal-rescues-coverage',
    title: 'Conformal rescues coverage, not the fit',
    citation: 'Split conformal (Lei et al. 2018; Angelopoulos & Bates 2023); recalibration (Kuleshov et al. 2018)',
    config: {
      data: defaultDataSpec('hetero-sine'),
      models: withIds([m('nll'), m('robust-nll', { T: 16 })]),
      train: { ...DEFAULT_TRAIN, posthoc: oracle },
    },
    // Written before the run that judged it, from NLL vs outliers' figures (NLL ≈ 98 % inside ±1σ on clean data, its σ about
    // 5 everywhere; Robust-NLL 57–71 % inside ±1σ) and a constant band on this noise (the last tenth of x covered ≈ 70 %).
    claim: {
      statement:
        'with outliers NLL’s 90 % band covers ≥ 97 % of clean held-out targets; conformal (clean share) brings it to 83–97 % with q̂ ≤ 0.7 z, yet along x some tenth stays ≥ 10 points off 90 %; Robust-NLL’s q̂ is within 0.75–1.6 × z',
      steps: 3000,
      conditions: [
        min('m1', 'posthoc.coverageLearned', 0.97),
        min('m1', 'posthoc.coverageConformal', 0.83),
        max('m1', 'posthoc.coverageConformal', 0.97),
        max('m1', 'posthoc.qOverLearned', 0.7),
        min('m1', 'posthoc.xGapConformal', 0.1),
        min('m2', 'posthoc.qOverLearned', 0.75),
        max('m2', 'posthoc.qOverLearned', 1.6),
      ],
    },
    text: [
      [
        'Practitioners put two post-hoc baselines beside any learned σ. Both use a calibration share: here 20 % of the training data, never trained on. Split conformal takes the scores |y − μ̂|/σ̂ there and their ⌈(n + 1)(1 − α)⌉-th smallest as the multiplier q̂: the band μ̂ ± q̂·σ̂ (the outline in each panel) then covers a new target with probability at least 1 − α = 90 %, whatever the model — if the new point is exchangeable with the calibration share. The Post-hoc view puts q̂ beside the Gaussian’s z = 1.645.',
      ],
      [
        'NLL swallowed the outliers with a wide band: about 99 % of clean held-out targets fall inside its 90 % band. Conformal shrinks it (q̂ well below z) and marginal coverage comes back to about 90 %. Now look at coverage along x: NLL’s σ is nearly constant, the true noise grows tenfold from left to right, so the rescaled band still over-covers on the left and under-covers on the right. Conformal rescues coverage, not the fit. Robust-NLL’s σ followed the noise, and its q̂ is close to z: there was little to rescue.',
      ],
      [
        'The oracle kept the calibration share clean. ',
        { link: 'Contaminate it', actions: [ph({ calibration: 'contaminated' })] },
        ' as the training data are (25 % outliers): with a quarter of the scores from outliers, the 90th percentile is an outlier’s and q̂ inflates — for every model, Robust-NLL included, whose weights ignored the outliers in training. ',
        { link: 'A constant-width band', actions: [ph({ score: 'abs' })] },
        ' (score |y − μ̂|) covers 90 % overall and is wrong along x for every model. ',
        { link: 'Recalibrate isotonically', actions: [ph({ recalibration: 'isotonic' })] },
        ' and the calibration view’s “after” switch shows the PIT flattened: calibrated marginally, the band’s shape along x untouched.',
      ],
    ],
  },
  {
    id: 'anscombe-outlier',
    title: 'Anscombe III: one point moves the line',
    citation: "Anscombe 1973, series III (vega-datasets); Barron 2019's general loss",
    realData: 'anscombe-3',
    // The data spec is unused (the lesson's points are the real data set's); 11 points hold nothing out.
    config: {
      data: defaultDataSpec('barron-line'),
      models: withIds([m('mse'), m('barron', { alpha: 1, c: 0.1 }), m('barron', { alpha: 0, c: 0.1 })]),
      train: {
        ...DEFAULT_TRAIN,
        learningRate: 0.02,
        batchSize: 11,
        warmupMeanSteps: 0,
        warmupNllSteps: 0,
        architecture: linearArch,
        heldOut: { share: 0, seed: 1 },
      },
    },
    // Written before the run that judged it, from the least-squares line of series III (y = 3.00 + 0.500x: median |y − μ| 0.386)
    // and the line through its ten collinear points (y = 4.01 + 0.345x: median 0).
    claim: {
      statement:
        'L2’s line leaves half the points ≥ 0.25 away (the outlier pulls it); Charbonnier (α = 1) and Cauchy (α = 0) go through the ten collinear points (median |y − μ| ≤ 0.1, at most ¼ of L2’s)',
      steps: 3000,
      conditions: [
        min('m1', 'medianAbsResidual', 0.25),
        max('m2', 'medianAbsResidual', 0.1),
        max('m3', 'medianAbsResidual', 0.1),
        below('m3', 'm1', 'medianAbsResidual', 0.25),
      ],
    },
    text: [
      [
        'Real data, from the vega-datasets package: Anscombe’s quartet, series III (1973). Ten points lie exactly on a line; one (x = 13) does not. Nobody knows a true σ here, and eleven points leave nothing to hold out, so the panels show the fits alone.',
      ],
      [
        'Least squares (L2) tilts its line towards the one outlier: its squared residual outweighs the ten small ones. Barron’s loss at α = 1 (Charbonnier, a smooth L1) and α = 0 (Cauchy) give that residual a bounded or shrinking pull, and their lines go through the ten collinear points. The same summary statistics as series I, II and IV — the point of the quartet — and a different answer for every loss.',
      ],
    ],
  },
];
