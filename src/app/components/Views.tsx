import { useMemo, useState } from 'react';
import type { ModelSpec, RunConfig } from '../../core/config';
import type { Points } from '../../core/datasets';
import type { Snapshot } from '../../core/engine';
import { barronPsi, barronRho } from '../../core/losses';
import { CURVE_METRICS, curvesView, type CurveKey, type HistoryPoint } from '../curvesView';
import { shapeView, weightsView } from '../viewFigures';
import { warmupOf } from '../../core/state';
import { ViewPanel } from '../ViewPanel';
import { CalibrationView } from './CalibrationView';

interface Props {
  config: RunConfig;
  selected: ModelSpec;
  snapshot: Snapshot | null;
  history: HistoryPoint[];
  points: Points;
  /** Plotly's uirevision: the user's zoom survives redraws of the same data. */
  uiRevision: string;
  pngScale: number;
  /** The compact layout (a teacher's projection): the weights view alone. */
  compact?: boolean;
}

/** The selected model's weights, its loss's shape, every model's curves, and the calibration of the predicted σ. */
export function Views({
  config,
  selected: sel,
  snapshot,
  history,
  points,
  uiRevision,
  pngScale,
  compact = false,
}: Props) {
  const [large, setLarge] = useState<CurveKey | null>(null);
  const { meanSteps, nllSteps } = warmupOf(sel, config.train);
  const weightsFig = useMemo(() => {
    const m = snapshot?.models.find((x) => x.id === sel.id);
    return m ? weightsView(m, sel, points, uiRevision, { meanSteps, nllSteps }) : null;
  }, [snapshot, sel, points, uiRevision, meanSteps, nllSteps]);
  const shapeFig = useMemo(
    () =>
      shapeView(
        {
          alpha: sel.alpha,
          c: sel.c,
          T: sel.T,
          batch: Math.min(config.train.batchSize, points.x.length),
          beta: sel.beta,
        },
        barronRho,
        barronPsi,
      ),
    [sel.alpha, sel.c, sel.T, sel.beta, config.train.batchSize, points.x.length],
  );
  const outliers = useMemo(() => points.isOutlier.some((o) => o === 1), [points]);
  const curvesFig = useMemo(
    () => (history.length ? curvesView(history, config.models, uiRevision, { large, outliers }) : null),
    [history, config.models, uiRevision, large, outliers],
  );
  const weights = (
    <ViewPanel view={weightsFig} testId="weights-view" pngScale={pngScale}>
      <p className="note">
        Weights of model {config.models.indexOf(sel) + 1} (click a model on the left to select it). Relative weight 1 is
        what plain averaging gives every point.
      </p>
    </ViewPanel>
  );
  if (compact) return <div className="views views-wide">{weights}</div>;
  const curvesChoice = (
    <label className="note">
      <select
        value={large ?? ''}
        onChange={(e) => setLarge((e.target.value || null) as CurveKey | null)}
        data-testid="curves-layout"
        aria-label="curves layout"
      >
        <option value="">every metric, side by side</option>
        {CURVE_METRICS.map((m) => (
          <option key={m.key} value={m.key}>
            one large plot: {m.title}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <div className="views views-wide">
      {weights}
      <ViewPanel view={shapeFig} testId="shape-view" pngScale={pngScale} minWidth={240} height={260} />
      <ViewPanel
        view={curvesFig}
        testId="curves-view"
        pngScale={pngScale}
        height={large ? 420 : 240}
        minWidth={large ? 360 : 260}
        controls={curvesChoice}
      />
      <CalibrationView
        models={config.models}
        selected={sel}
        snapshot={snapshot}
        pngScale={pngScale}
        train={config.train}
      />
    </div>
  );
}
