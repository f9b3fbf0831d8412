// The calibration view as pure data (issue 14): the reliability curve and PIT histogram of one model, and the
// metrics table of all models, judged without the true σ. No DOM here; tested in tests/unit/calibration-view.test.ts.
import type { UncertaintyMetrics } from '../core/calibration';
import type { ModelSpec, TrainSettings } from '../core/config';
import { warmupOf, type Warmup } from '../core/state';
import type { ModelSnapshot, Snapshot } from '../core/engine';
import type { UncertaintyBlock, UncertaintySet } from '../core/uncertainty';
import { modelTitle, warmupNote } from './figures';
import type { View } from './viewFigures';

export const SET_LABEL: Record<UncertaintySet, string> = {
  heldOut: 'clean held-out set',
  inliers: 'training inliers',
  outliers: 'injected outliers (training)',
};

const SET_COLOR: Record<UncertaintySet, string> = { heldOut: '#1f6fd1', inliers: '#2a9d8f', outliers: '#e4572e' };

/** The held-out set's name: the clean set of generated data, or your own data's held-out share. */
export function setLabel(set: UncertaintySet, snapshot: Snapshot | null): string {
  return set === 'heldOut' && snapshot?.heldOut?.kind === 'split' ? 'held-out share of your data' : SET_LABEL[set];
}

/** Whether the run judges on held-out points (snapshots made before the field existed: when the truth is known). */
export function hasHeldOut(snapshot: Snapshot | null): boolean {
  return snapshot?.heldOut !== undefined ? Boolean(snapshot.heldOut) : Boolean(snapshot?.truthMean);
}

/** Why a set has no metrics for this model, or null if it has them. */
export function missingReason(model: ModelSnapshot | undefined, set: UncertaintySet, heldOut: boolean): string | null {
  if (!model) return 'waiting for the first snapshot';
  if (!model.uncertainty) return 'a mean-only loss: it predicts no distribution to judge';
  if (model.uncertainty[set]) return null;
  if (model.status === 'diverged') return 'the model diverged: its μ or σ is not finite';
  if (set === 'heldOut' && !heldOut) return 'your own data holds nothing out (Data card: held out)';
  if (set === 'outliers') return 'the data has no injected outliers';
  return 'μ or σ is not finite on this set';
}

/** The set shown by default: the held-out set (clean, or your own data's share), else the training inliers. */
export function defaultSet(snapshot: Snapshot | null): UncertaintySet {
  return snapshot && !hasHeldOut(snapshot) ? 'inliers' : 'heldOut';
}

function smallLayout(xaxis: Record<string, unknown>, yaxis: Record<string, unknown>): Record<string, unknown> {
  return {
    xaxis,
    yaxis,
    showlegend: false,
    margin: { l: 46, r: 8, t: 6, b: 38 },
    hovermode: 'closest',
    plot_bgcolor: 'rgba(0,0,0,0)',
    paper_bgcolor: 'rgba(0,0,0,0)',
  };
}

/**
 * The selected model's reliability curve (share of targets below the predicted p-quantile against p, one line
 * per set, the diagonal is perfect calibration) and the PIT histogram of `set` (flat at 0.1 when calibrated,
 * ∪-shaped when overconfident, ∩-shaped when underconfident). Null when the model has nothing to judge.
 */
export function calibrationView(
  model: ModelSnapshot,
  spec: ModelSpec,
  set: UncertaintySet,
  snapshot: Snapshot | null = null,
  warmup?: Warmup,
): View | null {
  const block: UncertaintyBlock | null = model.uncertainty;
  if (!block) return null;
  const sets = (['heldOut', 'inliers', 'outliers'] as const).filter((s) => block[s]);
  const curves = sets.map((s) => {
    const m = block[s]!;
    return {
      type: 'scatter',
      mode: 'lines',
      x: [0, ...m.calibration.levels, 1],
      y: [0, ...m.calibration.observed, 1],
      name: `${setLabel(s, snapshot)} (n = ${m.n})`,
      line: { color: SET_COLOR[s], width: s === set ? 2.5 : 1.5 },
    };
  });
  const diagonal = {
    type: 'scatter',
    mode: 'lines',
    x: [0, 1],
    y: [0, 1],
    name: 'perfect calibration',
    line: { color: '#222', dash: 'dot', width: 1 },
    hoverinfo: 'skip',
  };
  const pit = block[set];
  const bins = pit ? pit.pitHistogram.length : 10;
  const centres = Array.from({ length: bins }, (_, i) => (i + 0.5) / bins);
  const pitPlot = {
    data: pit
      ? [
          {
            type: 'bar',
            x: centres,
            y: pit.pitHistogram,
            width: 1 / bins,
            name: `PIT, ${setLabel(set, snapshot)}`,
            marker: { color: SET_COLOR[set], opacity: 0.75 },
          },
          {
            type: 'scatter',
            mode: 'lines',
            x: [0, 1],
            y: [1 / bins, 1 / bins],
            name: 'uniform (calibrated)',
            line: { color: '#222', dash: 'dot', width: 1 },
            hoverinfo: 'skip',
          },
        ]
      : [],
    heading: {
      title: `PIT histogram, ${setLabel(set, snapshot)}`,
      subtitle: pit ? `n = ${pit.n}` : 'no targets in this set',
    },
    layout: smallLayout(
      { range: [0, 1], title: { text: 'PIT = F(y)' } },
      { rangemode: 'tozero', title: { text: 'share of targets' } },
    ),
  };
  return {
    title: `Calibration of ${modelTitle(spec)}${block.step !== model.steps ? ` (at step ${block.step})` : ''}`,
    plots: [
      {
        data: [diagonal, ...curves],
        heading: { title: 'reliability: observed against nominal quantile level' },
        layout: smallLayout(
          { range: [0, 1], title: { text: 'nominal level p' } },
          { range: [0, 1], title: { text: 'share of y ≤ F⁻¹(p)' } },
        ),
      },
      pitPlot,
    ],
    legend: [
      { name: 'perfect calibration / uniform PIT', color: '#222', mark: 'dot' as const },
      ...sets.map((s) => ({ name: setLabel(s, snapshot), color: SET_COLOR[s], mark: 'line' as const })),
    ],
    ...(model.phase < 2 ? { dimmed: warmupCalibration(model, warmup) } : {}),
  };
}

/** Why a model's calibration is not its loss's yet: the warm-up trains σ as NLL does, or not at all. */
export function warmupCalibration(model: Pick<ModelSnapshot, 'phase' | 'steps'>, warmup?: Warmup): string {
  return `${warmupNote(model, warmup)}: ${model.phase === 0 ? 'σ is not trained yet, so these figures judge the initial σ' : 'σ is trained by plain NLL so far, not by this loss'}`;
}

/** A column of the metrics table: how to read a value from a set's metrics and how to sort on it. */
export interface MetricColumn {
  key: string;
  label: string;
  /** The header's tooltip: what the number means and which way is better. */
  title: string;
  value: (m: UncertaintyMetrics) => number;
  /** Sort key (lower first): the value, or for coverage its distance to the nominal level. */
  rank: (v: number) => number;
  format: (v: number) => string;
}

const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
function num(v: number): string {
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 1e4)) return v.toExponential(2);
  return v.toFixed(3);
}

const NOMINAL = [0.6827, 0.9545, 0.9973];

export const METRIC_COLUMNS: MetricColumn[] = [
  ...[1, 2, 3].map((k) => ({
    key: `coverage${k}`,
    label: `${k}σ (${pct(NOMINAL[k - 1])})`,
    title: `Share of targets inside the central ${pct(NOMINAL[k - 1])} interval (μ ± ${k}σ for a Gaussian); sorted by the distance to ${pct(NOMINAL[k - 1])}`,
    value: (m: UncertaintyMetrics) => m.coverage[k - 1].observed,
    rank: (v: number) => Math.abs(v - NOMINAL[k - 1]),
    format: pct,
  })),
  {
    key: 'miscalibrationArea',
    label: 'miscal. area',
    title: 'Mean |observed − nominal| over 99 quantile levels: 0 is calibrated, 0.5 the worst',
    value: (m) => m.miscalibrationArea,
    rank: (v) => v,
    format: num,
  },
  {
    key: 'rmsCalibrationError',
    label: 'RMS cal. err.',
    title: 'Root mean square of observed − nominal over the levels: lower is better',
    value: (m) => m.rmsCalibrationError,
    rank: (v) => v,
    format: num,
  },
  {
    key: 'sharpness',
    label: 'sharpness',
    title: 'Mean predictive standard deviation: lower is sharper (only worth it when calibrated)',
    value: (m) => m.sharpness,
    rank: (v) => v,
    format: num,
  },
  {
    key: 'crps',
    label: 'CRPS',
    title: 'Mean continuous ranked probability score, in the units of y: lower is better',
    value: (m) => m.crps,
    rank: (v) => v,
    format: num,
  },
  {
    key: 'intervalScore95',
    label: '95 % IS',
    title: 'Mean interval score of the central 95 % interval (width plus 40× the miss): lower is better',
    value: (m) => m.intervalScore95,
    rank: (v) => v,
    format: num,
  },
  {
    key: 'nll',
    label: 'NLL',
    title: 'Mean negative log-likelihood in nats, with every constant: lower is better',
    value: (m) => m.nll,
    rank: (v) => v,
    format: num,
  },
];

export interface MetricCell {
  key: string;
  /** The value, or null when there is none (text "–", `why` says why). */
  value: number | null;
  text: string;
  why: string | null;
}

export interface MetricRow {
  id: string;
  index: number;
  label: string;
  cells: MetricCell[];
  /** The model's warm-up in words while it lasts (the row is greyed: its figures are not its loss's yet). */
  warmup: string | null;
}

/** Why a metric came out infinite or NaN. */
function nonFiniteReason(key: string, spec: ModelSpec, v: number): string {
  const heavy = spec.loss.includes('student-t');
  if (heavy && key === 'sharpness' && v === Infinity)
    return `a Student-t with ν = ${spec.nu} ≤ 2 has infinite variance`;
  if (heavy && key === 'crps' && v === Infinity) return `a Student-t with ν = ${spec.nu} ≤ 1 has no finite CRPS`;
  return 'not a finite number';
}

/** One row per model, in the models' order: the metrics of `set`, or "–" with the reason. */
export function metricsTable(
  snapshot: Snapshot | null,
  specs: readonly ModelSpec[],
  set: UncertaintySet,
  train?: TrainSettings,
): MetricRow[] {
  const held = hasHeldOut(snapshot);
  return specs.map((spec, index) => {
    const model = snapshot?.models.find((m) => m.id === spec.id);
    const missing = missingReason(model, set, held);
    const metrics = missing ? null : model!.uncertainty![set]!;
    const cells = METRIC_COLUMNS.map((c): MetricCell => {
      if (!metrics) return { key: c.key, value: null, text: '–', why: missing };
      const v = c.value(metrics);
      return Number.isFinite(v)
        ? { key: c.key, value: v, text: c.format(v), why: null }
        : { key: c.key, value: null, text: '–', why: nonFiniteReason(c.key, spec, v) };
    });
    const warmup = model && model.phase < 2 ? warmupCalibration(model, train && warmupOf(spec, train)) : null;
    return { id: spec.id, index, label: `${index + 1}: ${modelTitle(spec)}`, cells, warmup };
  });
}

export interface SortOrder {
  /** A column key, or 'model' for the models' own order. */
  key: string;
  descending: boolean;
}

/** Rows sorted on a column (coverage by the distance to its nominal level); rows without a value always last. */
export function sortRows(rows: readonly MetricRow[], order: SortOrder): MetricRow[] {
  const column = METRIC_COLUMNS.find((c) => c.key === order.key);
  const sign = order.descending ? -1 : 1;
  const rankOf = (r: MetricRow) => {
    if (!column) return r.index;
    const v = r.cells.find((c) => c.key === column.key)!.value;
    return v === null ? null : column.rank(v);
  };
  return [...rows].sort((a, b) => {
    const [x, y] = [rankOf(a), rankOf(b)];
    if (x === null || y === null) return x === null ? (y === null ? a.index - b.index : 1) : -1;
    return sign * (x - y) || a.index - b.index;
  });
}
