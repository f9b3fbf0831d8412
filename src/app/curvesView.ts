// The training-curves view as a pure function of the frames so far: one point per frame and model (HistoryPoint),
// each metric's curve per model on a linear or log axis.
import type { ModelSpec } from '../core/config';
import type { Snapshot } from '../core/engine';
import { judgedSet } from '../core/uncertainty';
import { modelTitle, type Figure } from './figures';
import { linearAxis, logAxis } from './ticks';
import { logY, MODEL_COLORS, smallLayout, type View } from './viewFigures';

export interface HistoryPoint {
  step: number;
  /**
   * The models' metrics at that step, each with its model's id; miscalibration area and CRPS on the set the model
   * is judged on (the clean held-out set, or your own data's training inliers), NaN for mean-only models.
   */
  models: {
    id: string;
    rmse: number;
    nll: number;
    outlierWeightShare: number;
    miscalibrationArea: number;
    crps: number;
  }[];
}

/** A snapshot's point on the training curves. */
export function historyPointOf(snapshot: Snapshot): HistoryPoint {
  return {
    step: snapshot.step,
    models: snapshot.models.map((m) => {
      const judged = judgedSet(m.uncertainty)?.metrics;
      return {
        id: m.id,
        rmse: m.metrics.rmse,
        nll: m.metrics.nll,
        outlierWeightShare: m.metrics.outlierWeightShare,
        miscalibrationArea: judged?.miscalibrationArea ?? NaN,
        crps: judged?.crps ?? NaN,
      };
    }),
  };
}

/** The training curves' metrics, in the row's order; `none` says why a metric has no curve for any model here. */
export const CURVE_METRICS = [
  { key: 'rmse', title: 'RMSE to the truth', log: true, none: 'the run has no known truth to measure against' },
  { key: 'nll', title: 'clean NLL', log: false, none: 'no model here predicts a variance, which NLL needs' },
  { key: 'outlierWeightShare', title: 'outlier weight share', log: false, none: 'the data has no injected outliers' },
  {
    key: 'miscalibrationArea',
    title: 'miscalibration area',
    log: false,
    none: 'no model here predicts a variance to calibrate',
  },
  { key: 'crps', title: 'CRPS', log: true, none: 'no model here predicts a distribution, which CRPS needs' },
] as const;
export type CurveKey = (typeof CURVE_METRICS)[number]['key'];

/**
 * Training curves for all models: RMSE to the truth, clean NLL, outlier weight share, miscalibration area and CRPS,
 * on log-scaled steps; a metric no model has a value for is a note, not empty axes. `large`: that metric alone,
 * as one larger plot; `outliers`: whether the data has injected outliers (a share of weight on none is no curve).
 */
export function curvesView(
  history: HistoryPoint[],
  specs: ModelSpec[],
  revision: string,
  { large = null, outliers = true }: { large?: CurveKey | null; outliers?: boolean } = {},
): View {
  const steps = history.map((h) => Math.max(1, h.step));
  const last = steps[steps.length - 1] ?? 1;
  const xaxis = last > 1 ? logAxis(1, last, { title: large ? { text: 'step' } : undefined }) : linearAxis();
  const metrics = CURVE_METRICS.filter((m) => large === null || m.key === large);
  return {
    title: 'Training curves',
    plots: metrics.map(({ key, title, log, none }): Figure => {
      const series = specs.map((s) => history.map((h) => h.models.find((m) => m.id === s.id)?.[key] ?? null));
      const heading = { title: `${title} against step` };
      const empty =
        (key === 'outlierWeightShare' && !outliers) ||
        !series.some((y) => y.some((v) => v !== null && Number.isFinite(v)));
      if (empty) return { data: [], layout: {}, heading, note: `No curve: ${none}.` };
      const yaxis =
        key === 'outlierWeightShare'
          ? { range: [0, 1] }
          : log
            ? logY(series)
            : key === 'miscalibrationArea'
              ? { rangemode: 'tozero' }
              : {};
      return {
        data: specs.map((s, k) => ({
          type: 'scatter',
          mode: 'lines',
          x: steps,
          y: series[k],
          line: { color: MODEL_COLORS[k % MODEL_COLORS.length], width: 2 },
          name: `${k + 1}: ${modelTitle(s)}`,
        })),
        heading,
        layout: smallLayout(xaxis, yaxis, revision),
      };
    }),
    legend: specs.map((s, k) => ({
      name: `${k + 1}: ${modelTitle(s)}`,
      color: MODEL_COLORS[k % MODEL_COLORS.length],
      mark: 'line' as const,
    })),
  };
}
