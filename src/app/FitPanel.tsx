import { useMemo } from 'react';
import type { Points } from '../core/datasets';
import type { ModelSnapshot, Snapshot } from '../core/engine';
import type { ModelSpec } from '../core/config';
import { dataFigure, fitFigure } from './figures';
import { Plot } from './Plot';

interface Props {
  index: number;
  spec: ModelSpec;
  snapshot: Snapshot | null;
  points: Points;
  revision: string;
  /** training, paused (the whole run is paused) or diverged. */
  status: string;
  /** Click on the plot: add a point there (shift-click: an outlier). */
  onAddPoint?(x: number, y: number, outlier: boolean): void;
  /** Alt-click on a point: remove it. */
  onRemovePoint?(index: number): void;
  /** Scale of the camera button's PNG. */
  pngScale?: number;
  /** Draw this model's conformal band (Post-hoc card). */
  conformal?: boolean;
}

/** One model's fit, with the test hooks a browser test reads (id, loss, steps, RMSE, status). */
export function FitPanel({ index, spec, snapshot, points, revision, status, onAddPoint, onRemovePoint, pngScale = 2, conformal = false }: Props) {
  // The snapshot's model with this panel's id: a panel never shows another model's fit after a removal.
  const model: ModelSnapshot | undefined = snapshot?.models.find((m) => m.id === spec.id);
  const figure = useMemo(
    () => (snapshot && model ? fitFigure(snapshot, model, spec, points, { revision, conformal }) : dataFigure(spec, points, { revision })),
    [snapshot, spec, points, revision, model, conformal],
  );
  return (
    <section
      className={`panel panel-${status}`}
      data-testid={`panel-${index}`}
      data-model-id={spec.id}
      data-steps={model ? String(model.steps) : '0'}
      data-loss={spec.loss}
      data-rmse={model ? String(model.metrics.rmse) : ''}
      data-status={status}
      data-outlier-share={model ? String(model.metrics.outlierWeightShare) : ''}
      data-conformal-q={model?.posthoc ? String(model.posthoc.conformal.q) : ''}
    >
      <Plot figure={figure} pngName={`panel-${index + 1}-${spec.loss}`} pngScale={pngScale} onPlotClick={onAddPoint} onPointAltClick={onRemovePoint} />
      {model?.message && (
        <p className="panel-message" role="alert">
          {model.message}
        </p>
      )}
    </section>
  );
}
