import { useMemo, useState } from 'react';
import type { ModelSpec, TrainSettings } from '../../core/config';
import { warmupOf } from '../../core/state';
import type { Snapshot } from '../../core/engine';
import type { UncertaintySet } from '../../core/uncertainty';
import {
  calibrationView,
  defaultSet,
  hasHeldOut,
  METRIC_COLUMNS,
  metricsTable,
  missingReason,
  setLabel,
  sortRows,
  type SortOrder,
} from '../calibrationFigures';
import { ViewPanel } from '../ViewPanel';
import { recalibratedSnapshot } from '../posthocFigures';

interface Props {
  models: readonly ModelSpec[];
  selected: ModelSpec;
  snapshot: Snapshot | null;
  pngScale: number;
  /** The warm-up schedule (greys the views of models still in it). */
  train?: TrainSettings;
}

/** The step the table's figures were judged at: the judge may lag the snapshot by a few frames (uncertainty.ts). */
function judgedAt(snapshot: Snapshot): number {
  let step = snapshot.step;
  for (const m of snapshot.models) if (m.uncertainty) step = Math.min(step, m.uncertainty.step);
  return step;
}

/** The selected model's reliability curve and PIT histogram, and every model's uncertainty metrics in a sortable table. */
export function CalibrationView({ models, selected, snapshot: raw, pngScale, train }: Props) {
  const [chosen, setChosen] = useState<UncertaintySet | null>(null);
  // Before or after the recalibration fitted on the calibration share (Post-hoc card; posthocFigures.ts).
  const [after, setAfter] = useState(false);
  const canRecal = Boolean(raw?.posthoc && raw.posthoc.settings.recalibration !== 'none');
  const snapshot = useMemo(() => (after && canRecal ? recalibratedSnapshot(raw) : raw), [after, canRecal, raw]);
  const [order, setOrder] = useState<SortOrder>({ key: 'model', descending: false });
  const held = hasHeldOut(snapshot);
  // Your own data holding nothing out: fall back to the inliers rather than an empty view.
  const set: UncertaintySet = chosen === 'heldOut' && snapshot && !held ? 'inliers' : (chosen ?? defaultSet(snapshot));
  const model = snapshot?.models.find((m) => m.id === selected.id);
  const view = useMemo(
    () => (model ? calibrationView(model, selected, set, snapshot, train && warmupOf(selected, train)) : null),
    [model, selected, set, snapshot, train],
  );
  const rows = useMemo(
    () => sortRows(metricsTable(snapshot, models, set, train), order),
    [snapshot, models, set, order, train],
  );
  const sortBy = (key: string) => setOrder((o) => ({ key, descending: o.key === key ? !o.descending : false }));
  const arrow = (key: string) => (order.key === key ? (order.descending ? ' ▼' : ' ▲') : '');
  const why = missingReason(model, set, held);
  const split = snapshot?.heldOut?.kind === 'split' ? snapshot.heldOut.n : null;
  const mix = model?.ensemble && model.uncertainty?.[set]?.ensemble;
  return (
    <ViewPanel view={view} testId="calibration-view" pngScale={pngScale}>
      <p className="note">
        {after &&
          canRecal &&
          `After ${raw!.posthoc!.settings.recalibration === 'scale' ? 'σ scaling' : 'isotonic recalibration'} fitted on the calibration share (${raw!.posthoc!.n} points, never trained on). `}
        {split !== null
          ? `The predicted distribution judged without a true σ on the held-out share of your data: ${split} points, chosen by seed, never trained on (violet dots; the Data card sets the share).`
          : held || !snapshot
            ? 'The predicted distribution judged as the uncertainty community does, without the true σ: the clean held-out set stands in for new data.'
            : 'Your own data holds nothing out (the Data card sets a held-out share): these metrics judge the training inliers the models were fit to, so they flatter.'}{' '}
        {mix &&
          `An ensemble is judged as its members' mixture (1/M) Σ N(μₘ, σₘ²): mean aleatoric variance ${mix.meanAleatoric.toPrecision(3)}, epistemic ${mix.meanEpistemic.toPrecision(3)} on this set.`}{' '}
        {!view && `Model ${models.indexOf(selected) + 1}: ${why ?? 'nothing to show yet'}.`}
      </p>
      <label className="note">
        judged on{' '}
        <select data-testid="calibration-set" value={set} onChange={(e) => setChosen(e.target.value as UncertaintySet)}>
          {(['heldOut', 'inliers', 'outliers'] as const).map((s) => (
            <option key={s} value={s} disabled={s === 'heldOut' && Boolean(snapshot) && !held}>
              {setLabel(s, snapshot)}
            </option>
          ))}
        </select>{' '}
        <label title="Every metric recomputed after the recalibration fitted on the calibration share (Post-hoc card)">
          <input
            type="checkbox"
            data-testid="calibration-after"
            checked={after && canRecal}
            disabled={!canRecal}
            onChange={(e) => setAfter(e.target.checked)}
          />{' '}
          after recalibration
        </label>
      </label>
      {snapshot && (
        <p className="note" data-testid="calibration-step">
          Figures at step {judgedAt(snapshot)}
          {rows.some((r) => r.warmup)
            ? '; greyed rows are still in their warm-up (hover for where): their σ is not their loss’s yet.'
            : '.'}
        </p>
      )}
      <div className="table-scroll">
        <table className="metrics-table" data-testid="metrics-table">
          <thead>
            <tr>
              <th
                title="The models in their order; click to restore it"
                onClick={() => sortBy('model')}
                data-sort-key="model"
              >
                model{arrow('model')}
              </th>
              {METRIC_COLUMNS.map((c) => (
                <th
                  key={c.key}
                  title={`${c.title}. Click to sort.`}
                  onClick={() => sortBy(c.key)}
                  data-sort-key={c.key}
                >
                  {c.label}
                  {arrow(c.key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id}
                data-model-id={r.id}
                className={
                  [r.id === selected.id ? 'selected' : '', r.warmup ? 'warming' : ''].join(' ').trim() || undefined
                }
                title={r.warmup ?? undefined}
              >
                <td>
                  {r.label}
                  {r.warmup && <span className="row-phase"> (warm-up)</span>}
                </td>
                {r.cells.map((c) => (
                  <td key={c.key} data-metric={c.key} title={c.why ?? undefined}>
                    {c.text}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ViewPanel>
  );
}
