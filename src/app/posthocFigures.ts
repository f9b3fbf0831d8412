// The Post-hoc view as pure data (issue 26): every model's conformal multiplier beside its learned one, held-out
// coverage of both bands pooled and along x, and the proper scores side by side with the rank each gives. No DOM.
import type { UncertaintyMetrics } from '../core/calibration';
import type { ModelSpec } from '../core/config';
import { minCalibrationSize } from '../core/conformal';
import type { Snapshot } from '../core/engine';
import { conformalInfinite } from '../core/messages';
import { rankByScores, SCORE_RULES, type ScoreRule } from '../core/scoreRanks';
import type { UncertaintySet } from '../core/uncertainty';
import { fmt, modelTitle } from './figures';
import type { View } from './viewFigures';

const PALETTE = ['#1f6fd1', '#e4572e', '#2a9d8f', '#8e44ad', '#f4a261', '#264653', '#d62828', '#6a994e'];
const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : '–');

export interface PosthocRow {
  id: string;
  label: string;
  /** q̂ and the learned band's multiplier (z, or the Student-t quantile), or '–' for a mean-only model. */
  q: string;
  learned: string;
  coverageLearned: string;
  coverageConformal: string;
  widthLearned: string;
  widthConformal: string;
  /** The σ scale fitted on the calibration share (σ scaling), or '–'. */
  scale: string;
  /** The infinite-interval guard in words; null when the band is finite. */
  note: string | null;
  /** Why the model has no post-hoc figures (mean-only, diverged, off, waiting); null when it has them. */
  missing: string | null;
}

/** One row per model: the conformal fit and both bands on the held-out set. */
export function posthocRows(snapshot: Snapshot | null, specs: readonly ModelSpec[]): PosthocRow[] {
  return specs.map((spec, k) => {
    const m = snapshot?.models.find((x) => x.id === spec.id);
    const ph = m?.posthoc;
    const base = { id: spec.id, label: `${k + 1}. ${modelTitle(spec)}` };
    const rec = m?.uncertainty?.recalibrated;
    const scale = rec?.kind === 'scale' ? fmt(rec.scale) : '–';
    if (!ph)
      return {
        ...base,
        q: '–',
        learned: '–',
        coverageLearned: '–',
        coverageConformal: '–',
        widthLearned: '–',
        widthConformal: '–',
        scale,
        note: null,
        missing: m
          ? m.posthoc === null
            ? m.status === 'diverged'
              ? 'diverged: no σ̂ to conform'
              : 'a mean-only loss: no σ̂ to conform'
            : 'post-hoc methods are off'
          : 'waiting for the first snapshot',
      };
    const c = ph.conformal;
    const note = Number.isFinite(c.q)
      ? null
      : c.k > c.n
        ? conformalInfinite(c.n, c.level, c.k, minCalibrationSize(1 - c.level))
        : 'a calibration score is not finite (σ̂ = 0 or a diverged μ̂): the band is infinite';
    return {
      ...base,
      q: fmt(c.q),
      learned: fmt(ph.learned),
      coverageLearned: pct(ph.coverage.learned),
      coverageConformal: pct(ph.coverage.conformal),
      widthLearned: fmt(ph.width.learned),
      widthConformal: fmt(ph.width.conformal),
      scale,
      note,
      missing: null,
    };
  });
}

/**
 * Coverage along x: per model, the share of held-out targets inside its learned band (dashed) and its conformal
 * band (solid) in each bin, against the nominal level (grey). Null before the first post-hoc frame.
 */
export function coverageAlongXView(snapshot: Snapshot | null, specs: readonly ModelSpec[]): View | null {
  const models = specs
    .map((s, k) => ({ s, k, m: snapshot?.models.find((x) => x.id === s.id) }))
    .filter((r) => r.m?.posthoc);
  if (!snapshot?.posthoc || models.length === 0) return null;
  const level = snapshot.posthoc.settings.level;
  const first = models[0].m!.posthoc!.alongX.conformal;
  const centres = first.edges.slice(0, -1).map((e, b) => (e + first.edges[b + 1]) / 2);
  const data: Record<string, unknown>[] = [
    {
      type: 'scatter',
      mode: 'lines',
      x: [first.edges[0], first.edges[first.edges.length - 1]],
      y: [level, level],
      line: { color: '#888', width: 1.5 },
      name: 'nominal',
      hoverinfo: 'skip',
    },
  ];
  for (const { s, k, m } of models) {
    const ph = m!.posthoc!;
    const color = PALETTE[k % PALETTE.length];
    const trace = (share: number[], dash: string, what: string) => ({
      type: 'scatter',
      mode: 'lines+markers',
      x: centres,
      y: share.map((v) => (Number.isFinite(v) ? v : null)),
      line: { color, width: 2, dash },
      marker: { size: 4, color },
      name: `${k + 1}. ${what}`,
      hovertemplate: `${k + 1}. ${modelTitle(s)} (${what})<br>x ≈ %{x:.3g}: %{y:.0%}<extra></extra>`,
    });
    data.push(
      trace(ph.alongX.learned.share, 'dash', 'learned band'),
      trace(ph.alongX.conformal.share, 'solid', 'conformal band'),
    );
  }
  const heldLabel = snapshot.heldOut?.kind === 'split' ? 'held-out share of your data' : 'clean held-out set';
  return {
    title: `Coverage along x at ${Math.round(level * 100)} % (${heldLabel}): dashed = learned band, solid = conformal`,
    plots: [
      {
        data,
        layout: {
          xaxis: { title: { text: 'x (bins of equal width)' }, zeroline: false },
          yaxis: { title: { text: 'share inside the band' }, range: [0, 1.02], tickformat: '.0%' },
          showlegend: false,
          margin: { l: 52, r: 8, t: 6, b: 40 },
          hovermode: 'closest',
          plot_bgcolor: 'rgba(0,0,0,0)',
          paper_bgcolor: 'rgba(0,0,0,0)',
        },
      },
    ],
    legend: [
      { name: 'nominal level', color: '#888', mark: 'line' },
      ...models.map(({ s, k }) => ({
        name: `${k + 1}. ${modelTitle(s)}`,
        color: PALETTE[k % PALETTE.length],
        mark: 'line' as const,
      })),
    ],
  };
}

export interface ScoreCell {
  rule: ScoreRule;
  text: string;
  rank: number;
}

export interface ScoreRow {
  id: string;
  label: string;
  cells: ScoreCell[];
  /** Two rules rank this model differently. */
  disputed: boolean;
}

/**
 * Proper scores side by side on one set (held-out, training inliers or outliers), before or after recalibration:
 * each model's NLL, CRPS, 95 % interval score and Dawid–Sebastiani with the rank each rule gives; models without
 * figures on the set are left out of the ranking.
 */
export function scoreTable(
  snapshot: Snapshot | null,
  specs: readonly ModelSpec[],
  set: UncertaintySet,
  after: boolean,
): { rows: ScoreRow[]; disagreements: string[] } {
  const judged = specs
    .map((spec, k) => {
      const u = snapshot?.models.find((x) => x.id === spec.id)?.uncertainty;
      const m: UncertaintyMetrics | null | undefined = after ? u?.recalibrated?.[set] : u?.[set];
      return m ? { spec, k, m } : null;
    })
    .filter((r): r is NonNullable<typeof r> => r !== null);
  const ranking = rankByScores(
    judged.map((r) => ({ nll: r.m.nll, crps: r.m.crps, intervalScore95: r.m.intervalScore95, dss: r.m.dss })),
  );
  const label = (rule: ScoreRule) => ({ nll: 'NLL', crps: 'CRPS', intervalScore95: 'IS95', dss: 'DSS' })[rule];
  const rows = judged.map((r, j) => ({
    id: r.spec.id,
    label: `${r.k + 1}. ${modelTitle(r.spec)}`,
    cells: SCORE_RULES.map((rule) => ({
      rule,
      text: fmt(rule === 'intervalScore95' ? r.m.intervalScore95 : r.m[rule]),
      rank: ranking.ranks[rule][j],
    })),
    disputed: ranking.disputed[j],
  }));
  return {
    rows,
    disagreements: ranking.disagreements.map(
      (d) =>
        `${label(d.a)} and ${label(d.b)} order ${d.discordant} pair${d.discordant === 1 ? '' : 's'} of models oppositely`,
    ),
  };
}

/**
 * The snapshot as the recalibration sees it: every model's uncertainty block replaced by its recalibrated sets
 * (null where none was fitted), so the calibration view's curves, PIT and table show "after" unchanged.
 */
export function recalibratedSnapshot(snapshot: Snapshot | null): Snapshot | null {
  if (!snapshot) return null;
  return {
    ...snapshot,
    models: snapshot.models.map((m) => {
      const r = m.uncertainty?.recalibrated;
      return {
        ...m,
        uncertainty:
          r && m.uncertainty
            ? { step: m.uncertainty.step, heldOut: r.heldOut, inliers: r.inliers, outliers: r.outliers }
            : null,
      };
    }),
  };
}
