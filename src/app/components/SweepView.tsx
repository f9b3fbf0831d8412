// The sweep view: two per-model settings over a grid (≤ 8 × 8, or two grids of one loss each), trained as ONE
// stacked run in its own worker; a heat-map per grid updated live; a click on a cell opens it as a panel.
import { useEffect, useMemo, useState } from 'react';
import type { ModelSpec, RunConfig } from '../../core/config';
import { LOSS_IDS, lossLabel } from '../../core/losses';
import { LIMITS } from '../../core/messages';
import {
  gridValues,
  MAX_AXIS_VALUES,
  NOT_SWEPT,
  SWEEP_METRICS,
  SWEEP_SETTINGS,
  sweepCells,
  sweepGrids,
  sweepProblem,
  sweepSize,
  type SweepMetric,
  type SweepSetting,
  type SweepSpec,
} from '../../core/sweep';
import { Plot, download } from '../Plot';
import { cellAt, colorRange, gridTitle, settingLabel, sweepFigure, sweepJson } from '../sweepFigures';
import type { SweepRun } from '../sweepSession';

interface AxisForm {
  setting: SweepSetting;
  lo: number;
  hi: number;
  n: number;
}

const DEFAULT_AXES: Record<SweepSetting, Omit<AxisForm, 'setting'>> = {
  learningRate: { lo: 1e-3, hi: 3e-2, n: 4 },
  initScale: { lo: 3, hi: 100, n: 4 },
  beta: { lo: 0, hi: 1, n: 5 },
  T: { lo: 1, hi: 64, n: 4 },
  alpha: { lo: -4, hi: 2, n: 4 },
  c: { lo: 0.1, hi: 10, n: 4 },
  initSeed: { lo: 0, hi: 7, n: 8 },
};

function axisValues(a: AxisForm): number[] {
  const info = SWEEP_SETTINGS[a.setting];
  if (a.n === 1) return [a.lo];
  return gridValues(a.lo, a.hi, a.n, info.scale, info.integer);
}

function axisOf(values: number[], setting: SweepSetting): AxisForm {
  return { setting, lo: values[0], hi: values[values.length - 1], n: values.length };
}

interface Props {
  /** The main run: its data, training settings and selected model are the sweep's defaults. */
  config: RunConfig;
  selected: ModelSpec;
  sweep: SweepRun;
  /** The main run trains on the user's own points (a CSV or clicked points), not on config.data's. */
  ownData: boolean;
  /** A lesson's sweep: shown and started as soon as it changes. */
  preset: SweepSpec | null;
  /**
   * Opens a cell as a model of the main run: with the cell's trained weights when `sweepId` names it in the
   * sweep's worker (the sweep ran with the main run's data and training settings), else from fresh weights.
   */
  onOpenCell: (spec: ModelSpec, label: string, sweepId: string | null) => void;
}

function AxisControls({ name, axis, onChange }: { name: 'x' | 'y'; axis: AxisForm; onChange: (a: AxisForm) => void }) {
  const info = SWEEP_SETTINGS[axis.setting];
  return (
    <fieldset className="sweep-axis">
      <legend>{name}</legend>
      <select
        value={axis.setting}
        aria-label={`${name} setting`}
        data-testid={`sweep-${name}-setting`}
        onChange={(e) =>
          onChange({ setting: e.target.value as SweepSetting, ...DEFAULT_AXES[e.target.value as SweepSetting] })
        }
      >
        {(Object.keys(SWEEP_SETTINGS) as SweepSetting[]).map((s) => (
          <option key={s} value={s}>
            {SWEEP_SETTINGS[s].label}
          </option>
        ))}
      </select>
      <label>
        from{' '}
        <input
          type="number"
          value={axis.lo}
          step="any"
          aria-label={`${name} from`}
          onChange={(e) => onChange({ ...axis, lo: Number(e.target.value) })}
        />
      </label>
      <label>
        to{' '}
        <input
          type="number"
          value={axis.hi}
          step="any"
          aria-label={`${name} to`}
          onChange={(e) => onChange({ ...axis, hi: Number(e.target.value) })}
        />
      </label>
      <label>
        values{' '}
        <select
          value={axis.n}
          aria-label={`${name} values`}
          onChange={(e) => onChange({ ...axis, n: Number(e.target.value) })}
        >
          {Array.from({ length: MAX_AXIS_VALUES }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <span className="note">{info.scale === 'log' ? 'log-spaced' : 'evenly spaced'}</span>
    </fieldset>
  );
}

export function SweepView({ config, selected, sweep, preset, ownData, onOpenCell }: Props) {
  const [x, setX] = useState<AxisForm>({ setting: 'learningRate', ...DEFAULT_AXES.learningRate });
  const [y, setY] = useState<AxisForm>({ setting: 'initScale', ...DEFAULT_AXES.initScale });
  const [compare, setCompare] = useState<string>('beta-nll');
  const [metric, setMetric] = useState<SweepMetric>('rmse');

  useEffect(() => {
    if (!preset) return;
    setX(axisOf(preset.x.values, preset.x.setting));
    setY(axisOf(preset.y.values, preset.y.setting));
    setCompare(preset.compare ?? '');
    setMetric(preset.metric);
    sweep.start(preset);
    // Only a new preset (a lesson opened) starts a sweep.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [preset]);

  const form = useMemo((): { spec: SweepSpec | null; problem: string | null } => {
    try {
      const spec: SweepSpec = {
        data: config.data,
        train: config.train,
        base: selected,
        x: { setting: x.setting, values: axisValues(x) },
        y: { setting: y.setting, values: axisValues(y) },
        compare: compare || undefined,
        metric,
      };
      return { spec, problem: sweepProblem(spec) };
    } catch (err) {
      return { spec: null, problem: err instanceof Error ? err.message : String(err) };
    }
  }, [config.data, config.train, selected, x, y, compare, metric]);

  const shown = useMemo(() => (sweep.spec ? { ...sweep.spec, metric } : null), [sweep.spec, metric]);
  const grids = useMemo(() => (shown ? sweepGrids(shown, sweep.snapshot) : []), [shown, sweep.snapshot]);
  const figures = useMemo(() => {
    if (!shown) return [];
    const range = colorRange(shown, grids);
    return grids.map((_, k) => sweepFigure(shown, grids, k, range));
  }, [shown, grids]);

  const open = (k: number, px: number, py: number) => {
    if (!shown) return;
    const c = cellAt(shown, px, py);
    if (!c) return;
    const cell = sweepCells(shown).find((q) => q.grid === k && q.i === c.i && q.j === c.j)!;
    // The cell's learning rate in the main run's terms (its lrScale is relative to the sweep's shared rate).
    const lrScale = (shown.train.learningRate * cell.spec.lrScale) / config.train.learningRate;
    const label = `${gridTitle(shown, grids[k].loss)}, ${SWEEP_SETTINGS[shown.x.setting].label} ${settingLabel(shown.x.values[c.i])}, ${SWEEP_SETTINGS[shown.y.setting].label} ${settingLabel(shown.y.values[c.j])}`;
    onOpenCell({ ...cell.spec, lrScale }, label, sameSetup ? cell.spec.id : null);
  };

  const k = form.spec ? sweepSize(form.spec) : 0;
  const sameSetup =
    !shown ||
    (!ownData &&
      JSON.stringify(shown.data) === JSON.stringify(config.data) &&
      JSON.stringify(shown.train) === JSON.stringify(config.train));
  return (
    <section
      className="card view sweep"
      data-testid="sweep-view"
      data-step={sweep.snapshot?.step ?? 0}
      data-cells-ok={grids.reduce((n, g) => n + g.status.flat().filter((st) => st === 'ok').length, 0)}
      data-running={sweep.running}
    >
      <h3 className="view-title">Sweep: two settings over a grid, every cell a model of one stacked run</h3>
      <div className="sweep-controls">
        <AxisControls name="x" axis={x} onChange={setX} />
        <AxisControls name="y" axis={y} onChange={setY} />
        <label>
          loss <b>{lossLabel(selected.loss)}</b> (the selected model) beside{' '}
          <select
            value={compare}
            aria-label="second loss"
            data-testid="sweep-compare"
            onChange={(e) => setCompare(e.target.value)}
          >
            <option value="">nothing</option>
            {LOSS_IDS.map((id) => (
              <option key={id} value={id}>
                {lossLabel(id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          metric{' '}
          <select value={metric} aria-label="sweep metric" onChange={(e) => setMetric(e.target.value as SweepMetric)}>
            {(Object.keys(SWEEP_METRICS) as SweepMetric[]).map((m) => (
              <option key={m} value={m}>
                {SWEEP_METRICS[m].label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          data-testid="sweep-start"
          disabled={!form.spec || form.problem !== null}
          onClick={() => form.spec && sweep.start(form.spec)}
        >
          Start ({k} models)
        </button>
        <button type="button" data-testid="sweep-stop" disabled={!sweep.running} onClick={sweep.stop}>
          Stop
        </button>
        <button
          type="button"
          onClick={() => {
            setX({ setting: 'initSeed', lo: 0, hi: 7, n: 8 });
            setY({ setting: 'initSeed', lo: 0, hi: 56, n: 8 });
            setCompare('');
          }}
        >
          Seeds view (64 initial weights)
        </button>
        <button
          type="button"
          disabled={!shown}
          onClick={() =>
            shown &&
            download(
              `sweep-step-${sweep.snapshot?.step ?? 0}.json`,
              `data:application/json;charset=utf-8,${encodeURIComponent(sweepJson(shown, grids, sweep.snapshot?.step ?? 0))}`,
            )
          }
        >
          Export figures (JSON)
        </button>
      </div>
      {(form.problem || sweep.error) && (
        <p className="note warn" role="alert">
          {sweep.error ?? form.problem}
        </p>
      )}
      <p className="note">
        {sweep.running
          ? `Training ${sweep.spec ? sweepSize(sweep.spec) : 0} models in one stack, step ${sweep.snapshot?.step ?? 0}, ${Math.round(sweep.stepsPerSecond)} steps/s${sweep.status ? ` (${sweep.status.path === 'fused' ? 'fused kernel' : (sweep.status.backend ?? '…')})` : ''}; the main run is paused until you press Stop.`
          : `Up to ${LIMITS.maxSweepModels} models: 8 × 8 cells, or two grids of 32 with a second loss. The main run pauses while a sweep trains.`}{' '}
        {NOT_SWEPT} The seeds view varies the initial weights alone: the data and the minibatch order are shared by a
        stack, so it is not the divergence study’s 64 trajectories (npm run reproduce -- robust-nll-divergence).
      </p>
      {!sameSetup && (
        <p className="note">
          This sweep ran on other data or training settings than the main run now has: a cell opened as a panel starts
          from fresh weights and trains with the main run’s.
        </p>
      )}
      <div
        className="view-plots"
        style={{ gridTemplateColumns: `repeat(${Math.max(1, figures.length)}, minmax(0, 1fr))` }}
      >
        {figures.map((f, g) => (
          <Plot
            key={g}
            figure={f}
            height={280}
            testId={`sweep-grid-${g}`}
            pngName={`sweep-${grids[g].loss}`}
            onPlotClick={(px, py) => open(g, px, py)}
          />
        ))}
      </div>
    </section>
  );
}
