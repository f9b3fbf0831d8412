import { useEffect, useRef, useState } from 'react';
import Plotly from 'plotly.js-basic-dist-min';
import { pointTraces, type Figure } from './figures';
import { queueDraw } from './drawQueue';
import { drawPoints, nearestPoint } from './pointLayer';
import { isLaidOut, pixelToData, rangesFromEvent } from './plotlyAdapter';

type Root = HTMLElement & { layout?: Record<string, unknown>; data?: Record<string, unknown>[] };

/** The figure last drawn in each plot element: what its canvas shows, its hover reads and its PNG exports. */
const drawn = new WeakMap<HTMLElement, Figure>();

/**
 * A PNG of the plot as it is on screen (the user's zoom included), with its canvas points as SVG markers
 * and a white background.
 */
export async function plotPng(
  el: HTMLElement,
  opts: { width: number; height: number; scale: number },
): Promise<string> {
  const fig = drawn.get(el);
  const gd = el as Root;
  if (!fig) throw new Error('nothing drawn yet');
  // Points first, under the band and the lines, as on screen.
  const data = [...pointTraces(fig.points ?? []), ...(gd.data ?? fig.data)];
  const base = gd.layout ?? fig.layout;
  const h = fig.heading;
  const title = h
    ? {
        text: `<b>${h.title}</b>${h.subtitle ? `<br><span style="font-size:12px">${h.subtitle}</span>` : ''}`,
        font: { size: 14 },
        x: 0.02,
        xanchor: 'left',
      }
    : undefined;
  const margin = { ...(base.margin as object), ...(h ? { t: h.subtitle ? 56 : 34 } : {}) };
  const layout = {
    ...base,
    title,
    margin,
    paper_bgcolor: '#fff',
    plot_bgcolor: '#fff',
    width: opts.width,
    height: opts.height,
  };
  // The colour scale, which the page shows as HTML in the heading, becomes a Plotly colour bar.
  const cs = h?.colorScale;
  if (cs) {
    const mid = (cs.cmin + cs.cmax) / 2;
    const colorbar = {
      title: { text: cs.label, side: 'right' },
      thickness: 10,
      len: 0.7,
      tickvals: [cs.cmin, mid, cs.cmax],
      ticktext: [String(cs.cmin), String(mid), `≥${cs.cmax}`],
    };
    data.push({
      type: 'scatter',
      mode: 'markers',
      x: [null],
      y: [null],
      showlegend: false,
      hoverinfo: 'skip',
      marker: { color: [cs.cmin], cmin: cs.cmin, cmax: cs.cmax, colorscale: cs.scale, showscale: true, colorbar },
    });
  }
  return Plotly.toImage({ data, layout }, { format: 'png', width: opts.width, height: opts.height, scale: opts.scale });
}

/** PNG images (data URLs) of one size, tiled four to a row on white: the grid's and the classification mode's export. */
export async function tiledPng(images: string[], width: number, height: number, scale: number): Promise<string> {
  const cols = Math.min(4, images.length);
  const [cw, ch] = [width * scale, height * scale];
  const canvas = document.createElement('canvas');
  canvas.width = cols * cw;
  canvas.height = Math.ceil(images.length / cols) * ch;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  await Promise.all(
    images.map(
      (src, i) =>
        new Promise<void>((resolve, reject) => {
          const img = new Image();
          img.onload = () => (ctx.drawImage(img, (i % cols) * cw, Math.floor(i / cols) * ch), resolve());
          img.onerror = () => reject(new Error('a plot could not be rendered'));
          img.src = src;
        }),
    ),
  );
  return canvas.toDataURL('image/png');
}

export function download(name: string, href: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** The points' colour scale as a small horizontal key: label, cmin, a gradient, cmax (and beyond). */
function ColorKey({
  label,
  scale,
  cmin,
  cmax,
}: {
  label: string;
  scale: [number, string][];
  cmin: number;
  cmax: number;
}) {
  const gradient = `linear-gradient(to right, ${scale.map(([f, c]) => `${c} ${f * 100}%`).join(', ')})`;
  return (
    <span className="color-key" title={`point colour: ${label}, from ${cmin} to ${cmax} or more`}>
      {label} {cmin} <i style={{ background: gradient }} /> ≥{cmax}
    </span>
  );
}

interface Props {
  figure: Figure | null;
  height?: number;
  testId?: string;
  /** File name (without .png) and scale of the camera button's PNG. */
  pngName?: string;
  pngScale?: number;
  /** A click on empty plot area, in data coordinates (Plotly itself reports clicks on traces only). */
  onPlotClick?: (x: number, y: number, shift: boolean) => void;
  /** An alt-click on one of the figure's points: its data index (PointSet.index). */
  onPointAltClick?: (index: number) => void;
}

/**
 * A Plotly figure, redrawn with Plotly.react whenever the figure object changes (the user's zoom survives
 * through uirevision), with the figure's scatter points on a canvas underneath.
 */
export function Plot({
  figure,
  height = 320,
  testId,
  pngName = 'plot',
  pngScale = 2,
  onPlotClick,
  onPointAltClick,
}: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const boundRef = useRef(false);
  // The newest figure, drawn or still waiting for its frame: clicks hit what the data now is.
  const latestRef = useRef<Figure | null>(figure);
  latestRef.current = figure;
  const [tip, setTip] = useState<{ x: number; y: number; lines: string[] } | null>(null);
  const pngRef = useRef({ name: pngName, scale: pngScale });
  pngRef.current = { name: pngName, scale: pngScale };
  // One config object for the plot's life: Plotly.react replots from scratch when the config changes.
  const configRef = useRef({
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ['lasso2d', 'select2d', 'toImage'],
    modeBarButtonsToAdd: [
      {
        name: 'Download as PNG',
        icon: Plotly.Icons.camera,
        click: () => {
          const el = ref.current;
          const { name, scale } = pngRef.current;
          if (el)
            void plotPng(el, { width: el.clientWidth, height: el.clientHeight, scale }).then((src) =>
              download(`${name}.png`, src),
            );
        },
      },
    ],
  });

  useEffect(() => {
    const el = ref.current;
    if (!el || !figure) return;
    queueDraw(el, () => {
      drawn.set(el, figure);
      void Plotly.react(el, figure.data, figure.layout, configRef.current).then((gd) => {
        // The first plot gives the element Plotly's `on`: follow zoom, pan and resizes (all relayouts) from then on.
        if (boundRef.current || !gd.on) return;
        boundRef.current = true;
        const redraw = (ranges = {}) =>
          canvasRef.current && drawPoints(canvasRef.current, el, drawn.get(el)?.points ?? [], ranges);
        gd.on('plotly_relayout', () => redraw());
        gd.on('plotly_relayouting', (e) => redraw(rangesFromEvent(e as Record<string, unknown>)));
      });
      // Plotly.react draws synchronously; the axes it just laid out place the points.
      if (canvasRef.current) drawPoints(canvasRef.current, el, figure.points ?? []);
    });
  }, [figure]);

  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) Plotly.purge(el);
    };
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el || (!onPlotClick && !onPointAltClick)) return;
    const handler = (e: MouseEvent) => {
      const target = e.target as Element | null;
      if (!isLaidOut(el) || !target?.closest('.nsewdrag')) return;
      const box = el.getBoundingClientRect();
      if (e.altKey) {
        const sets = latestRef.current?.points ?? [];
        const hit = nearestPoint(el, sets, e.clientX - box.left, e.clientY - box.top);
        const index = hit && sets[hit[0]].index?.[hit[1]];
        if (index !== undefined && index !== null) onPointAltClick?.(index);
        return;
      }
      if (!onPlotClick) return;
      const p = pixelToData(el, e.clientX - box.left, e.clientY - box.top);
      if (p && Number.isFinite(p.x) && Number.isFinite(p.y)) onPlotClick(p.x, p.y, e.shiftKey);
    };
    el.addEventListener('click', handler);
    return () => el.removeEventListener('click', handler);
  }, [onPlotClick, onPointAltClick]);

  const onMove = (e: React.MouseEvent) => {
    const el = ref.current;
    const sets = el && drawn.get(el)?.points;
    if (!el || !sets?.length || e.buttons) return setTip(null);
    const box = el.getBoundingClientRect();
    const x = e.clientX - box.left;
    const y = e.clientY - box.top;
    const hit = nearestPoint(el, sets, x, y);
    setTip(hit ? { x, y, lines: sets[hit[0]].hover!(hit[1]).split('<br>') } : null);
  };

  return (
    <figure className="plot-figure">
      {figure?.heading && (
        <figcaption className="plot-heading">
          {/* The title keeps one line beside the colour key, cut with an ellipsis where it must; hover shows it whole. */}
          <span className="plot-heading-top">
            <b title={figure.heading.title}>{figure.heading.title}</b>
            {figure.heading.colorScale && <ColorKey {...figure.heading.colorScale} />}
          </span>
          {figure.heading.subtitle && <span className="plot-subtitle">{figure.heading.subtitle}</span>}
        </figcaption>
      )}
      <div className="plot-wrap" style={{ height }} onMouseMove={onMove} onMouseLeave={() => setTip(null)}>
        <canvas ref={canvasRef} className="plot-points" aria-hidden="true" />
        <div ref={ref} className="plot" style={{ height }} data-testid={testId} />
        {tip && (
          <div className="plot-tip" style={{ left: tip.x + 12, top: tip.y + 12 }} role="tooltip">
            {tip.lines.map((l, i) => (
              <div key={i}>{l}</div>
            ))}
          </div>
        )}
      </div>
    </figure>
  );
}
