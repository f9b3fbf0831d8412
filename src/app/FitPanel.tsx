import { useEffect, useRef } from 'react';
import Plotly from 'plotly.js-basic-dist-min';
import type { Points } from '../core/datasets';
import type { Snapshot } from '../core/engine';
import type { ModelSpec } from '../core/config';
import { fitFigure } from './figures';
import { queueDraw } from './drawQueue';

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
  /** Scale of the camera button's PNG. */
  pngScale?: number;
}

interface Axis {
  _offset: number;
  p2d(px: number): number;
}

/** One model's fit, redrawn with Plotly.react (the user's zoom survives through uirevision). */
export function FitPanel({ index, spec, snapshot, points, revision, status, onAddPoint, pngScale = 2 }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const model = snapshot?.models[index];
  useEffect(() => {
    const el = ref.current;
    if (!el || !snapshot || !model) return;
    const fig = fitFigure(snapshot, index, spec, points, { revision, showColorbar: index === snapshot.models.length - 1 });
    queueDraw(el, () => void Plotly.react(el, fig.data, fig.layout, { displaylogo: false, responsive: true, modeBarButtonsToRemove: ['lasso2d', 'select2d'], toImageButtonOptions: { format: 'png', scale: pngScale, filename: `panel-${index + 1}-${spec.loss}` } }));
  }, [snapshot, index, spec, points, revision, model, pngScale]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) Plotly.purge(el);
    };
  }, []);
  // Plotly reports clicks on points only; a click on empty plot area is converted with the axes' own maps.
  useEffect(() => {
    const el = ref.current;
    if (!el || !onAddPoint) return;
    const handler = (e: MouseEvent) => {
      const layout = (el as unknown as { _fullLayout?: { xaxis: Axis; yaxis: Axis } })._fullLayout;
      const target = e.target as Element | null;
      if (!layout || !target?.closest('.nsewdrag')) return;
      const box = el.getBoundingClientRect();
      const x = layout.xaxis.p2d(e.clientX - box.left - layout.xaxis._offset);
      const y = layout.yaxis.p2d(e.clientY - box.top - layout.yaxis._offset);
      if (Number.isFinite(x) && Number.isFinite(y)) onAddPoint(x, y, e.shiftKey);
    };
    el.addEventListener('click', handler);
    return () => el.removeEventListener('click', handler);
  }, [onAddPoint]);
  return (
    <section
      className={`panel panel-${status}`}
      data-testid={`panel-${index}`}
      data-loss={spec.loss}
      data-rmse={model ? String(model.metrics.rmse) : ''}
      data-status={status}
      data-outlier-share={model ? String(model.metrics.outlierWeightShare) : ''}
    >
      <div ref={ref} className="plot" />
      {model?.message && (
        <p className="panel-message" role="alert">
          {model.message}
        </p>
      )}
    </section>
  );
}
