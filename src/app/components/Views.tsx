import { useMemo } from 'react';
import type { ModelSpec, RunConfig } from '../../core/config';
import type { Points } from '../../core/datasets';
import type { Snapshot } from '../../core/engine';
import { barronPsi, barronRho } from '../../core/losses';
import { curvesView, shapeView, weightsView, type HistoryPoint } from '../viewFigures';
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
}

/** The selected model's weights, its loss's shape, every model's curves, and the calibration of the predicted σ. */
export function Views({ config, selected: sel, snapshot, history, points, uiRevision, pngScale }: Props) {
  const weightsFig = useMemo(() => {
    const m = snapshot?.models.find((x) => x.id === sel.id);
    return m ? weightsView(m, sel, points, uiRevision) : null;
  }, [snapshot, sel, points, uiRevision]);
  const shapeFig = useMemo(
    () => shapeView({ alpha: sel.alpha, c: sel.c, T: sel.T, batch: Math.min(config.train.batchSize, points.x.length), beta: sel.beta }, barronRho, barronPsi),
    [sel.alpha, sel.c, sel.T, sel.beta, config.train.batchSize, points.x.length],
  );
  const curvesFig = useMemo(() => (history.length ? curvesView(history, config.models, uiRevision) : null), [history, config.models, uiRevision]);
  return (
    <div className="views">
      <ViewPanel view={weightsFig} testId="weights-view" pngScale={pngScale}>
        <p className="note">Weights of model {config.models.indexOf(sel) + 1} (click a model on the left to select it). Relative weight 1 is what plain averaging gives every point.</p>
      </ViewPanel>
      <ViewPanel view={shapeFig} testId="shape-view" pngScale={pngScale} />
      <ViewPanel view={curvesFig} testId="curves-view" pngScale={pngScale} />
      <CalibrationView models={config.models} selected={sel} snapshot={snapshot} pngScale={pngScale} />
    </div>
  );
}
