// A Plotly figure of the classification mode, redrawn with Plotly.react when its figure changes; hover reports
// the training index a point carries (customdata). And the PNG of every plot on the page, tiled.
import Plotly from 'plotly.js-basic-dist-min';
import { useEffect, useRef } from 'react';
import { download, tiledPng } from '../Plot';
import type { PlotFigure } from './figures';

type HoverEvent = { points?: { customdata?: unknown }[] };
type PlotEl = HTMLDivElement & { on?: (event: string, cb: (e: HoverEvent) => void) => void };

export function ClsPlot({
  figure,
  height = 300,
  testId,
  onHoverIndex,
}: {
  figure: PlotFigure | null;
  height?: number;
  testId?: string;
  onHoverIndex?: (index: number) => void;
}) {
  const ref = useRef<PlotEl>(null);
  const hoverRef = useRef(onHoverIndex);
  hoverRef.current = onHoverIndex;
  const bound = useRef(false);
  useEffect(() => {
    const el = ref.current;
    if (!el || !figure) return;
    void Plotly.react(
      el,
      figure.data,
      { ...figure.layout, height, autosize: true },
      { displayModeBar: false, responsive: true },
    ).then(() => {
      if (bound.current || !el.on) return;
      bound.current = true;
      el.on('plotly_hover', (e) => {
        const index = e.points?.find((p) => typeof p.customdata === 'number')?.customdata;
        if (typeof index === 'number') hoverRef.current?.(index);
      });
    });
  }, [figure, height]);
  return <div ref={ref} data-testid={testId} className="cls-plot" style={{ height }} />;
}

export function pixelsUrl(pixels: Uint8ClampedArray, g: number): string {
  const canvas = document.createElement('canvas');
  canvas.width = g;
  canvas.height = g;
  canvas.getContext('2d')!.putImageData(new ImageData(new Uint8ClampedArray(pixels), g, g), 0, 0);
  return canvas.toDataURL();
}

/** Every drawn plot under `root` as one PNG (4 per row, each 480 × 360 at `scale`), white background. */
export async function exportPlotsPng(root: HTMLElement, scale: number, name: string): Promise<void> {
  const plots = Array.from(root.querySelectorAll<HTMLDivElement>('.cls-plot')).filter((el) =>
    el.querySelector('.main-svg'),
  );
  if (!plots.length) throw new Error('nothing drawn yet');
  const [w, h] = [480, 360];
  const images = await Promise.all(
    plots.map((el) => Plotly.toImage(el, { format: 'png', width: w, height: h, scale })),
  );
  download(name, await tiledPng(images, w, h, scale));
}
