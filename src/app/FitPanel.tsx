import { useMemo } from 'react';
import type { Points } from '../core/datasets';
import type { ModelSnapshot, Snapshot } from '../core/engine';
import type { ModelSpec } from '../core/config';
import type { Warmup } from '../core/state';
import { dataFigure, fitFigure } from './fitFigure';
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
  onAddPoint?: (x: number, y: number, outlier: boolean) => void;
  /** Alt-click on a point: remove it. */
  onRemovePoint?: (index: number) => void;
  /** Scale of the camera button's PNG. */
  pngScale?: number;
  /** The model's warm-up schedule (warmupOf), for the heading's "warm-up: mean only (step M of N)". */
  warmup?: Warmup;
  /** Why the run has no step yet, when it is not simply starting (paused while a sweep trains). */
  idle?: string;
  /** Draw this model's conformal band (Post-hoc card). */
  conformal?: boolean;
}

/** One model's fit, with the test hooks a browser test reads (id, loss, steps, RMSE, status). */
export function FitPanel({
  index,
  spec,
  snapshot,
  points,
  revision,
  status,
  onAddPoint,
  onRemovePoint,
  pngScale = 2,
  warmup,
  idle,
  conformal = false,
}: Props) {
  // The snapshot's model with this panel's id: a panel never shows another model's fit after a removal.
  const model: ModelSnapshot | undefined = snapshot?.models.find((m) => m.id === spec.id);
  const [meanSteps, nllSteps] = [warmup?.meanSteps, warmup?.nllSteps];
  const figure = useMemo(() => {
    const options = {
      revision,
      conformal,
      ...(meanSteps !== undefined && nllSteps !== undefined ? { warmup: { meanSteps, nllSteps } } : {}),
    };
    if (snapshot && model) {
      const fig = fitFigure(snapshot, model, spec, points, options);
      // Paused on purpose (a sweep trains): the heading says so beside the last figures.
      return idle && fig.heading
        ? { ...fig, heading: { ...fig.heading, subtitle: `${fig.heading.subtitle} · ${idle}` } }
        : fig;
    }
    return dataFigure(
      spec,
      points,
      { revision },
      idle ?? (status === 'paused' ? 'paused before the first training step' : undefined),
    );
  }, [snapshot, spec, points, revision, model, meanSteps, nllSteps, status, idle, conformal]);
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
      data-phase={model ? String(model.phase) : ''}
      data-conformal-q={model?.posthoc ? String(model.posthoc.conformal.q) : ''}
    >
      <Plot
        figure={figure}
        pngName={`panel-${index + 1}-${spec.loss}`}
        pngScale={pngScale}
        onPlotClick={onAddPoint}
        onPointAltClick={onRemovePoint}
      />
      {model?.message && (
        <p className="panel-message" role="alert">
          {model.message}
        </p>
      )}
    </section>
  );
}
