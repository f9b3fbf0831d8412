// The sweep's heat-maps as Plotly figures (pure): one per grid, cells as square markers coloured by the metric
// (the basic Plotly bundle has no heatmap trace), diverged cells as red crosses, cells without a figure yet open.
import { SWEEP_METRICS, SWEEP_SETTINGS, type SweepGrid, type SweepSpec } from '../core/sweep';
import { toJson } from '../core/schema';
import { modelTitle, type Figure } from './figures';

/** Lighter is better, as in β-NLL's Fig. 7: low values pale yellow, high values dark blue. */
const SCALE: [number, string][] = [
  [0, '#ffffcc'],
  [0.25, '#a1dab4'],
  [0.5, '#41b6c4'],
  [0.75, '#2c7fb8'],
  [1, '#253494'],
];

export interface ColorRange {
  cmin: number;
  cmax: number;
  /** Colour by log10 of the metric (RMSE and σ error: positive, spread over decades). */
  log: boolean;
}

/** One colour range for every grid, so the two grids compare by colour; null when no cell has a figure yet. */
export function colorRange(spec: SweepSpec, grids: SweepGrid[]): ColorRange | null {
  const log = spec.metric !== 'heldOutNll';
  const values = grids.flatMap((g) => g.z.flat()).filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (!values.length) return null;
  const t = (v: number) => (log ? Math.log10(v) : v);
  let cmin = Math.min(...values.map(t));
  let cmax = Math.max(...values.map(t));
  if (cmax - cmin < 1e-9) [cmin, cmax] = [cmin - 0.5, cmax + 0.5];
  return { cmin, cmax, log };
}

/** A setting's value as a label: 3 significant digits, ∞ for T = ∞. */
export function settingLabel(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '∞' : Number.isNaN(v) ? '–' : '−∞';
  return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(1);
}

const figureValue = (v: number) =>
  Number.isFinite(v) ? (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toFixed(4) : v.toExponential(2)) : 'n/a';

/** A grid's display name: its models' title as panels give it (β-NLL (β=0.5)), less the settings the grid varies. */
export function gridTitle(spec: SweepSpec, loss: string): string {
  return modelTitle({ ...spec.base, loss }, [spec.x.setting, spec.y.setting]);
}

/** What a cell's hover says: its loss, both settings and the figure (or why there is none). */
export function cellHover(spec: SweepSpec, g: SweepGrid, i: number, j: number): string {
  const x = SWEEP_SETTINGS[spec.x.setting];
  const y = SWEEP_SETTINGS[spec.y.setting];
  const st = g.status[j][i];
  const what =
    st === 'ok'
      ? `${SWEEP_METRICS[spec.metric].label}: ${figureValue(g.z[j][i])}`
      : st === 'diverged'
        ? 'diverged'
        : st === 'pending'
          ? 'no figure yet'
          : `${SWEEP_METRICS[spec.metric].label}: not defined for this loss`;
  return `${gridTitle(spec, g.loss)}<br>${x.label} = ${settingLabel(spec.x.values[i])}<br>${y.label} = ${settingLabel(spec.y.values[j])}<br>${what}<br>(click: open as a panel)`;
}

/** Grid k's heat-map. `range` is shared by all grids (colorRange); the last grid carries the colour bar. */
export function sweepFigure(spec: SweepSpec, grids: SweepGrid[], k: number, range: ColorRange | null): Figure {
  const g = grids[k];
  const nx = spec.x.values.length;
  const ny = spec.y.values.length;
  // Markers sized to the cells of a plot about 300 × 240 px inside its margins.
  const size = Math.max(8, Math.min(260 / nx, 200 / ny) * 0.92);
  const cells = { ok: [] as [number, number][], diverged: [] as [number, number][], open: [] as [number, number][] };
  g.status.forEach((row, j) =>
    row.forEach((st, i) => (st === 'ok' ? cells.ok : st === 'diverged' ? cells.diverged : cells.open).push([i, j])),
  );
  const t = (v: number) => (range?.log ? Math.log10(v) : v);
  const trace = (list: [number, number][], marker: Record<string, unknown>, name: string) => ({
    type: 'scatter',
    mode: 'markers',
    name,
    x: list.map((c) => c[0]),
    y: list.map((c) => c[1]),
    hovertext: list.map(([i, j]) => cellHover(spec, g, i, j)),
    hoverinfo: 'text',
    showlegend: false,
    marker,
  });
  const last = k === grids.length - 1;
  const ticks = range ? [range.cmin, (range.cmin + range.cmax) / 2, range.cmax] : [];
  const colorbar = {
    thickness: 10,
    len: 0.9,
    tickvals: ticks,
    ticktext: ticks.map((v) => figureValue(range?.log ? 10 ** v : v)),
  };
  const data = [
    trace(
      cells.ok,
      {
        symbol: 'square',
        size,
        color: cells.ok.map(([i, j]) => t(g.z[j][i])),
        cmin: range?.cmin,
        cmax: range?.cmax,
        colorscale: SCALE,
        showscale: last && range !== null,
        colorbar,
      },
      'cells',
    ),
    trace(cells.diverged, { symbol: 'x', size: size * 0.6, color: '#d62728', line: { width: 0 } }, 'diverged'),
    trace(cells.open, { symbol: 'square-open', size, color: '#bbb' }, 'no figure'),
  ];
  const axis = (values: number[], title: string) => ({
    title: { text: title },
    tickvals: values.map((_, i) => i),
    ticktext: values.map(settingLabel),
    range: [-0.5, values.length - 0.5],
    fixedrange: true,
    zeroline: false,
    showgrid: false,
  });
  const layout = {
    margin: { l: 56, r: last ? 64 : 12, t: 8, b: 44 },
    xaxis: axis(spec.x.values, SWEEP_SETTINGS[spec.x.setting].label),
    yaxis: axis(spec.y.values, SWEEP_SETTINGS[spec.y.setting].label),
    hovermode: 'closest',
    uirevision: 'sweep',
  };
  return { data, layout, heading: { title: gridTitle(spec, g.loss), subtitle: SWEEP_METRICS[spec.metric].label } };
}

/** The sweep's figures as a JSON file: the spec, the step, and every cell's settings, status and figure. */
export function sweepJson(spec: SweepSpec, grids: SweepGrid[], step: number): string {
  const cells = grids.flatMap((g) =>
    g.status.flatMap((row, j) =>
      row.map((status, i) => ({
        loss: g.loss,
        i,
        j,
        [spec.x.setting]: spec.x.values[i],
        [`${spec.y.setting}${spec.x.setting === spec.y.setting ? '_y' : ''}`]: spec.y.values[j],
        status,
        [spec.metric]: g.z[j][i],
      })),
    ),
  );
  return toJson({ format: 'robust-uncertainty-explorer-sweep', step, sweep: spec, cells }, 1);
}

/** The cell under a click in data coordinates (cells sit at whole x, y), or null outside the grid. */
export function cellAt(spec: SweepSpec, x: number, y: number): { i: number; j: number } | null {
  const i = Math.round(x);
  const j = Math.round(y);
  return i >= 0 && i < spec.x.values.length && j >= 0 && j < spec.y.values.length ? { i, j } : null;
}
