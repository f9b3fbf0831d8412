import { useEffect, useRef } from 'react';
import Plotly from 'plotly.js-basic-dist-min';
import type { Figure } from './figures';
import { queueDraw } from './drawQueue';

/** A Plotly figure, redrawn with Plotly.react whenever the figure object changes. */
export function Plot({ figure, height = 300, testId }: { figure: Figure | null; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && figure) queueDraw(el, () => void Plotly.react(el, figure.data, figure.layout, { displaylogo: false, responsive: true }));
  }, [figure]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) Plotly.purge(el);
    };
  }, []);
  return <div ref={ref} className="plot" style={{ height }} data-testid={testId} />;
}
