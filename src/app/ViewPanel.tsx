import type { ReactNode } from 'react';
import type { LegendItem, View } from './viewFigures';
import { Plot } from './Plot';

function Swatch({ item }: { item: LegendItem }) {
  const { color, mark } = item;
  return (
    <svg width="22" height="10" aria-hidden="true">
      {mark === 'circle' && <circle cx="11" cy="5" r="3.5" fill={color} />}
      {mark === 'x' && <path d="M7.5 1.5l7 7M7.5 8.5l7-7" stroke={color} strokeWidth="1.8" />}
      {(mark === 'line' || mark === 'dash' || mark === 'dot') && (
        <line
          x1="1"
          y1="5"
          x2="21"
          y2="5"
          stroke={color}
          strokeWidth="2.2"
          strokeDasharray={mark === 'dash' ? '5 3' : mark === 'dot' ? '1.5 2.5' : undefined}
        />
      )}
    </svg>
  );
}

/**
 * A view: its title, its plots and one legend for them all. The plots wrap rather than shrink below `minWidth`
 * (their ticks and labels are made for that width); a dimmed view (a model in its warm-up) is greyed and says why.
 */
export function ViewPanel({
  view,
  height = 300,
  minWidth = 280,
  testId,
  pngScale,
  children,
  controls,
}: {
  view: View | null;
  height?: number;
  minWidth?: number;
  testId: string;
  pngScale?: number;
  children?: ReactNode;
  controls?: ReactNode;
}) {
  return (
    <section className={`card view${view?.dimmed ? ' view-dimmed' : ''}`} data-testid={testId}>
      <div className="view-head">
        <h3 className="view-title">{view?.title ?? ' '}</h3>
        {controls}
      </div>
      {view?.dimmed && (
        <p className="phase-label" data-testid="phase-label">
          {view.dimmed}
        </p>
      )}
      <div
        className="view-plots"
        style={{ gridTemplateColumns: `repeat(auto-fit, minmax(min(100%, ${minWidth}px), 1fr))` }}
      >
        {view?.plots.map((f, i) =>
          f.note ? (
            <div key={i} className="plot-note" style={{ height }}>
              <b>{f.heading?.title}</b>
              <p>{f.note}</p>
            </div>
          ) : (
            <Plot key={i} figure={f} height={height} pngName={`${testId}-${i + 1}`} pngScale={pngScale} />
          ),
        )}
      </div>
      {view && (
        <ul className="legend">
          {view.legend.map((item) => (
            <li key={item.name}>
              <Swatch item={item} />
              {item.name}
            </li>
          ))}
        </ul>
      )}
      {children}
    </section>
  );
}
