// The Post-hoc view (issue 26): q̂ beside each learned multiplier, both bands' held-out coverage pooled and along x,
// and the proper scores side by side with their ranks, before or after recalibration.
import { useMemo, useState } from 'react';
import type { ModelSpec } from '../../core/config';
import type { Snapshot } from '../../core/engine';
import { SCORE_RULE_LABEL } from '../../core/scoreRanks';
import type { UncertaintySet } from '../../core/uncertainty';
import { setLabel } from '../calibrationFigures';
import { coverageAlongXView, posthocRows, scoreTable } from '../posthocFigures';
import { ViewPanel } from '../ViewPanel';

interface Props {
  models: readonly ModelSpec[];
  snapshot: Snapshot | null;
  pngScale: number;
}

export function PosthocView({ models, snapshot, pngScale }: Props) {
  const [set, setSet] = useState<UncertaintySet>('inliers');
  const [after, setAfter] = useState(false);
  const ph = snapshot?.posthoc;
  const view = useMemo(() => coverageAlongXView(snapshot, models), [snapshot, models]);
  const rows = useMemo(() => posthocRows(snapshot, models), [snapshot, models]);
  const scores = useMemo(() => scoreTable(snapshot, models, set, after), [snapshot, models, set, after]);
  const noTruth = snapshot && !snapshot.truthMean;
  if (!ph)
    return (
      <section className="card view" data-testid="posthoc-view">
        <h3 className="view-title">Post-hoc: conformal bands and recalibration</h3>
        <p className="note">
          Off. Turn it on in the Post-hoc card: a calibration share of the training data is held back, and every model
          gets a split-conformal band and a recalibration fitted on it.
        </p>
      </section>
    );
  const s = ph.settings;
  return (
    <ViewPanel view={view} testId="posthoc-view" pngScale={pngScale}>
      <p className="note">
        Calibration share: {ph.n} points ({Math.round(s.share * 100)} % of the training data, seed {s.seed}
        {s.calibration === 'clean'
          ? `, the oracle dropped its injected outliers`
          : ph.outliers
            ? `, ${ph.outliers} of them injected outliers`
            : ''}
        ), never trained on. Level {Math.round(s.level * 100)} %; score{' '}
        {s.score === 'abs'
          ? '|y − μ̂|: q̂ is in y’s units, a band of constant width'
          : '|y − μ̂|/σ̂: q̂ multiplies σ̂, beside the learned band’s own multiplier (z for a Gaussian)'}
        . Coverage is of {setLabel('heldOut', snapshot)}
        {noTruth ? ' — no truth is known for these data: held-out points are all that judge the bands.' : '.'} Conformal
        guarantees the pooled coverage, not the coverage at each x.
      </p>
      <div className="table-scroll">
        <table className="metrics-table" data-testid="posthoc-table">
          <thead>
            <tr>
              <th>model</th>
              <th title="The conformal multiplier: the ⌈(n + 1)(1 − α)⌉-th smallest calibration score">q̂</th>
              <th title="The learned band's multiplier at the same level: z = Φ⁻¹(1 − α/2), or the Student-t quantile">
                {s.score === 'abs' ? 'learned z' : 'z (learned)'}
              </th>
              <th>coverage, learned</th>
              <th>coverage, conformal</th>
              <th>width, learned</th>
              <th>width, conformal</th>
              <th title="One global σ scale fitted on the calibration share by minimising the NLL (σ scaling)">
                σ scale
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-model-id={r.id}>
                <td>{r.label}</td>
                <td data-metric="q" title={r.note ?? r.missing ?? undefined}>
                  {r.q}
                  {r.note ? ' ⚠' : ''}
                </td>
                <td>{r.learned}</td>
                <td data-metric="coverageLearned">{r.coverageLearned}</td>
                <td data-metric="coverageConformal">{r.coverageConformal}</td>
                <td>{r.widthLearned}</td>
                <td>{r.widthConformal}</td>
                <td>{r.scale}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows
        .filter((r) => r.note || r.missing)
        .map((r) => (
          <p
            className="note"
            role={r.note ? 'status' : undefined}
            data-testid={r.note ? 'conformal-guard' : undefined}
            key={r.id}
          >
            {r.label}: {r.note ?? r.missing}.
          </p>
        ))}
      <h4>Proper scores side by side (lower is better; the rank each gives)</h4>
      <label className="note">
        on{' '}
        <select data-testid="scores-set" value={set} onChange={(e) => setSet(e.target.value as UncertaintySet)}>
          {(['heldOut', 'inliers', 'outliers'] as const).map((x) => (
            <option key={x} value={x}>
              {setLabel(x, snapshot)}
            </option>
          ))}
        </select>{' '}
        <label>
          <input
            type="checkbox"
            data-testid="scores-after"
            checked={after}
            disabled={s.recalibration === 'none'}
            onChange={(e) => setAfter(e.target.checked)}
          />{' '}
          after recalibration
        </label>
      </label>
      <div className="table-scroll">
        <table className="metrics-table" data-testid="scores-table">
          <thead>
            <tr>
              <th>model</th>
              {(['nll', 'crps', 'intervalScore95', 'dss'] as const).map((r) => (
                <th key={r}>{SCORE_RULE_LABEL[r]}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {scores.rows.map((r) => (
              <tr
                key={r.id}
                data-model-id={r.id}
                className={r.disputed ? 'disputed' : undefined}
                title={r.disputed ? 'two scores rank this model differently' : undefined}
              >
                <td>
                  {r.label}
                  {r.disputed ? ' ≠' : ''}
                </td>
                {r.cells.map((c) => (
                  <td key={c.rule} data-metric={c.rule}>
                    {c.text} <small>#{c.rank}</small>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="note" data-testid="scores-disagree">
        {scores.rows.length < 2
          ? 'Two models or more are needed to rank.'
          : scores.disagreements.length
            ? `The scores disagree: ${scores.disagreements.join('; ')} (≠ marks the models concerned). NLL punishes a tail miss without bound, CRPS and the interval score linearly, Dawid–Sebastiani sees two moments only.`
            : 'Every score ranks the models alike on this set.'}
      </p>
    </ViewPanel>
  );
}
