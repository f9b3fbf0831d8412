// A sweep: one model's settings varied over a grid of two settings, every cell a model of ONE stacked run
// (so a cell can only vary what is per model: learning-rate scale, ω, β, T, Barron α and c, init seed), and
// optionally a second loss on the same grid beside it. Pure: cells out, the metric per cell back in.
import { withIds, type ModelSpec, type RunConfig, type TrainSettings } from './config';
import type { DataSpec } from './datasets';
import { LOSS_IDS } from './losses';
import { LIMITS } from './messages';
import type { Snapshot } from './evaluator';

export type SweepSetting = 'learningRate' | 'initScale' | 'beta' | 'T' | 'alpha' | 'c' | 'initSeed';
export type SweepMetric = 'rmse' | 'sigmaError' | 'heldOutNll';
export type GridScale = 'log' | 'linear';

export interface SettingInfo {
  label: string;
  /** How values between two bounds are spaced by default. */
  scale: GridScale;
  /** Bounds a value must lie in (inclusive); `infinite` also allows +∞ (T). */
  min: number;
  max: number;
  infinite?: boolean;
  /** Whole numbers only (seeds). */
  integer?: boolean;
  /** The cell's model: the base with this setting at `value`. */
  apply: (spec: ModelSpec, value: number, train: TrainSettings) => ModelSpec;
  /** The setting's value in a model (the base's, for the cell in the main run). */
  read: (spec: ModelSpec, train: TrainSettings) => number;
}

/**
 * The settings a sweep may vary, each a per-model field (a sweep cell is a model of one stack). The learning
 * rate is the shared one times the model's lrScale; ω falls back on the architecture's (undefined: He/Glorot,
 * shown as NaN); the init seed is an offset from the base's, so that x and y may both be seeds (the seeds view:
 * the offsets add up, 0…7 on x and 0, 8, …, 56 on y give 64 initial weights).
 */
export const SWEEP_SETTINGS: Record<SweepSetting, SettingInfo> = {
  learningRate: {
    label: 'learning rate',
    scale: 'log',
    min: 1e-6,
    max: 10,
    apply: (s, v, t) => ({ ...s, lrScale: v / t.learningRate }),
    read: (s, t) => t.learningRate * s.lrScale,
  },
  initScale: {
    label: 'first-layer ω',
    scale: 'log',
    min: 0.1,
    max: 100,
    apply: (s, v) => ({ ...s, initScale: v }),
    read: (s, t) => s.initScale ?? t.architecture.initScale ?? NaN,
  },
  beta: { label: 'β', scale: 'linear', min: 0, max: 1, apply: (s, v) => ({ ...s, beta: v }), read: (s) => s.beta },
  T: {
    label: 'T',
    scale: 'log',
    min: LIMITS.minT,
    max: 1e6,
    infinite: true,
    apply: (s, v) => ({ ...s, T: v }),
    read: (s) => s.T,
  },
  alpha: {
    label: 'Barron α',
    scale: 'linear',
    min: -20,
    max: 2,
    apply: (s, v) => ({ ...s, alpha: v }),
    read: (s) => s.alpha,
  },
  c: { label: 'Barron c', scale: 'log', min: 1e-3, max: 100, apply: (s, v) => ({ ...s, c: v }), read: (s) => s.c },
  initSeed: {
    label: 'init seed (offset)',
    scale: 'linear',
    min: 0,
    max: 1e6,
    integer: true,
    apply: (s, v) => ({ ...s, initSeed: s.initSeed + v }),
    read: () => 0,
  },
};

export const SWEEP_METRICS: Record<SweepMetric, { label: string }> = {
  rmse: { label: 'RMSE of μ' },
  sigmaError: { label: 'σ error (mean |σ − σ_true|)' },
  heldOutNll: { label: 'held-out NLL' },
};

/** What cannot be swept in one stack, said where the settings are chosen. */
export const NOT_SWEPT =
  'Only per-model settings can be swept: every cell is a model of one stacked run, and the models of a stack share the data, the batch size, the minibatch order and the architecture. An outlier rate, N or a data seed would need a run per value.';

export interface SweepAxis {
  setting: SweepSetting;
  values: number[];
}

export interface SweepSpec {
  data: DataSpec;
  train: TrainSettings;
  /** The model every cell starts from (an ensemble count is dropped: a cell is one network). */
  base: ModelSpec;
  x: SweepAxis;
  y: SweepAxis;
  /** A second loss on the same grid, drawn beside the first (the base's loss). */
  compare?: string;
  metric: SweepMetric;
}

export const MAX_AXIS_VALUES = 8;

export interface SweepCell {
  id: string;
  /** 0: the base's loss; 1: the compared loss. */
  grid: number;
  /** Indices into x.values and y.values. */
  i: number;
  j: number;
  spec: ModelSpec;
}

/** A cell's id: the grid's letter (a, b) and its indices, e.g. 'b-x3-y0'. */
export function cellId(grid: number, i: number, j: number): string {
  return `${grid === 0 ? 'a' : 'b'}-x${i}-y${j}`;
}

/** The losses of the sweep's grids, in order. */
export function sweepLosses(s: SweepSpec): string[] {
  return s.compare ? [s.base.loss, s.compare] : [s.base.loss];
}

export function sweepSize(s: Pick<SweepSpec, 'x' | 'y' | 'compare'>): number {
  return s.x.values.length * s.y.values.length * (s.compare ? 2 : 1);
}

const fmt = (v: number) => (Number.isFinite(v) || Number.isNaN(v) ? String(v) : v > 0 ? '∞' : '−∞');

/** Why this sweep cannot run, or null. */
export function sweepProblem(s: SweepSpec): string | null {
  for (const loss of sweepLosses(s)) if (!LOSS_IDS.includes(loss)) return `unknown loss "${loss}"`;
  if (s.x.setting === s.y.setting && s.x.setting !== 'initSeed')
    return `x and y both vary ${SWEEP_SETTINGS[s.x.setting].label}: pick two different settings (only init seeds may share both axes)`;
  for (const [name, axis] of [
    ['x', s.x],
    ['y', s.y],
  ] as const) {
    const info = SWEEP_SETTINGS[axis.setting];
    if (!info) return `${name}: unknown setting "${String(axis.setting)}"`;
    if (axis.values.length < 1 || axis.values.length > MAX_AXIS_VALUES)
      return `${name}: ${axis.values.length} values; an axis has 1 to ${MAX_AXIS_VALUES}`;
    for (const v of axis.values) {
      const ok =
        (v === Infinity && info.infinite) ||
        (Number.isFinite(v) && v >= info.min && v <= info.max && (!info.integer || Number.isInteger(v)));
      if (!ok)
        return `${name}: ${info.label} = ${fmt(v)} is outside [${info.min}, ${info.max}]${info.infinite ? ' (∞ allowed)' : ''}${info.integer ? ', whole numbers' : ''}`;
    }
  }
  const k = sweepSize(s);
  if (k > LIMITS.maxSweepModels)
    return `${k} cells: a sweep trains at most ${LIMITS.maxSweepModels} models in one stack (with a second loss, at most ${LIMITS.maxSweepModels / 2} cells per grid)`;
  return null;
}

/** Every cell's model, grid by grid, y outer and x inner. Throws the problem when the sweep cannot run. */
export function sweepCells(s: SweepSpec): SweepCell[] {
  const why = sweepProblem(s);
  if (why) throw new Error(why);
  const { ensemble: _dropped, ...base } = s.base;
  const cells: SweepCell[] = [];
  sweepLosses(s).forEach((loss, grid) => {
    s.y.values.forEach((vy, j) =>
      s.x.values.forEach((vx, i) => {
        const spec = SWEEP_SETTINGS[s.y.setting].apply(
          SWEEP_SETTINGS[s.x.setting].apply({ ...base, loss }, vx, s.train),
          vy,
          s.train,
        );
        cells.push({ id: cellId(grid, i, j), grid, i, j, spec: { ...spec, id: cellId(grid, i, j) } });
      }),
    );
  });
  return cells;
}

/** The sweep as one run: its cells are the models. */
export function sweepConfig(s: SweepSpec): RunConfig {
  return { data: s.data, train: s.train, models: withIds(sweepCells(s).map((c) => c.spec)) };
}

/** n values (2–8) from lo to hi, evenly spaced on a log or a linear scale; seeds are rounded to whole numbers. */
export function gridValues(lo: number, hi: number, n: number, scale: GridScale, integer = false): number[] {
  if (!(Number.isInteger(n) && n >= 2 && n <= MAX_AXIS_VALUES))
    throw new Error(`invalid grid size; not a whole number in [2, ${MAX_AXIS_VALUES}]: ${n}`);
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) throw new Error(`invalid bounds; not finite: ${lo}, ${hi}`);
  if (scale === 'log' && !(lo > 0 && hi > 0))
    throw new Error(`invalid bounds for a log scale; not both > 0: ${lo}, ${hi}`);
  const at = (t: number) =>
    scale === 'log' ? Math.exp(Math.log(lo) + t * (Math.log(hi) - Math.log(lo))) : lo + t * (hi - lo);
  // Round to 4 significant digits so that labels and links stay short; ends exactly at the bounds.
  const values = Array.from({ length: n }, (_, k) =>
    k === 0 ? lo : k === n - 1 ? hi : Number(at(k / (n - 1)).toPrecision(4)),
  );
  return integer ? values.map(Math.round) : values;
}

export type CellStatus = 'ok' | 'diverged' | 'undefined' | 'pending';

export interface SweepGrid {
  loss: string;
  /** z[j][i]: the metric of cell (x_i, y_j); NaN where it has none (see status). */
  z: number[][];
  status: CellStatus[][];
}

/** A cell's metric in a snapshot's model (NaN where the model has none, e.g. the σ error of a mean-only loss). */
export function cellMetric(metrics: { rmse: number; sigmaError: number; nll: number }, metric: SweepMetric): number {
  return metric === 'rmse' ? metrics.rmse : metric === 'sigmaError' ? metrics.sigmaError : metrics.nll;
}

/**
 * The metric per cell from a snapshot of the sweep's run. A diverged cell says so (its last figure may be
 * NaN or huge: it is not a colour); a model without this metric is 'undefined'; a cell not in the snapshot
 * (a frame of an older run) is 'pending'.
 */
export function sweepGrids(s: SweepSpec, snapshot: Pick<Snapshot, 'models'> | null): SweepGrid[] {
  const byId = new Map(snapshot?.models.map((m) => [m.id, m]) ?? []);
  return sweepLosses(s).map((loss, grid) => {
    const z: number[][] = [];
    const status: CellStatus[][] = [];
    s.y.values.forEach((_, j) => {
      z.push([]);
      status.push([]);
      s.x.values.forEach((_, i) => {
        const m = byId.get(cellId(grid, i, j));
        const v = m ? cellMetric(m.metrics, s.metric) : NaN;
        const st: CellStatus = !m
          ? 'pending'
          : m.status === 'diverged'
            ? 'diverged'
            : Number.isFinite(v)
              ? 'ok'
              : 'undefined';
        z[j].push(st === 'ok' ? v : NaN);
        status[j].push(st);
      });
    });
    return { loss, z, status };
  });
}

/** The share of cells where grid b's metric is at most grid a's (a diverged or undefined cell loses to a finite one). */
export function shareBelow(a: SweepGrid, b: SweepGrid): number {
  let wins = 0;
  let n = 0;
  a.z.forEach((row, j) =>
    row.forEach((va, i) => {
      const vb = b.z[j][i];
      n++;
      if (Number.isFinite(vb) && (!Number.isFinite(va) || vb <= va)) wins++;
    }),
  );
  return n ? wins / n : NaN;
}

/** The median of a grid's finite cells (NaN when none is). */
export function gridMedian(g: SweepGrid): number {
  const v = g.z
    .flat()
    .filter(Number.isFinite)
    .sort((p, q) => p - q);
  if (!v.length) return NaN;
  const h = v.length >> 1;
  return v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}
