// The one place that reads Plotly's internals: where each axis sits in pixels and what range it shows.
// Plotly has no public API for this; `_fullLayout.<axis>._offset`, `._length`, `.range` and `.type` are what
// its own code uses. tests/unit/plotly-adapter.test.ts pins these fields, so a Plotly upgrade that moves them
// fails a test instead of misplacing every point silently.

/** An axis as the page needs it: its pixel span inside the plot element and the data range it shows. */
export interface AxisGeometry {
  /** Pixels from the plot element's left (x) or top (y) edge to the axis's start. */
  offset: number;
  /** The axis's length in pixels. */
  length: number;
  /** The data range shown: [left, right] or [bottom, top]. */
  range: [number, number];
  /** Only linear axes are placed here (log, date and category axes are not). */
  linear: boolean;
}

export type Ranges = Record<string, [number, number]>;

/** Plotly's fields, as read: kept private to this module. */
interface PlotlyAxis {
  _offset?: unknown;
  _length?: unknown;
  range?: unknown;
  type?: unknown;
}

/** Plotly's axis key for a trace's axis reference: 'x' → 'xaxis', 'x2' → 'xaxis2'. */
export function axisName(ref: string | undefined, letter: 'x' | 'y'): string {
  const id = ref ?? letter;
  return id === letter ? `${letter}axis` : `${letter}axis${id.slice(1)}`;
}

/** The axis `name` ('xaxis', 'yaxis2') of a drawn Plotly element, or null when it has none (yet). */
export function axisGeometry(el: HTMLElement, name: string): AxisGeometry | null {
  const full = (el as HTMLElement & { _fullLayout?: Record<string, unknown> })._fullLayout;
  const ax = full?.[name] as PlotlyAxis | undefined;
  if (
    !ax ||
    typeof ax._offset !== 'number' ||
    typeof ax._length !== 'number' ||
    !Array.isArray(ax.range) ||
    ax.range.length !== 2
  )
    return null;
  const range: [number, number] = [Number(ax.range[0]), Number(ax.range[1])];
  if (!range.every(Number.isFinite)) return null;
  return { offset: ax._offset, length: ax._length, range, linear: ax.type === undefined || ax.type === 'linear' };
}

/** Whether Plotly has laid the element out (it has axes to read). */
export const isLaidOut = (el: HTMLElement) => axisGeometry(el, 'xaxis') !== null && axisGeometry(el, 'yaxis') !== null;

/** The pixel of data value v on an axis (y grows downwards), with an optional range override (mid-drag). */
export function toPixel(ax: AxisGeometry, v: number, vertical: boolean, range: [number, number] = ax.range): number {
  const f = (v - range[0]) / (range[1] - range[0]);
  return ax.offset + (vertical ? 1 - f : f) * ax.length;
}

/** The data value at pixel p on an axis: the inverse of toPixel. */
export function toData(ax: AxisGeometry, p: number, vertical: boolean): number {
  const f = (p - ax.offset) / ax.length;
  return ax.range[0] + (vertical ? 1 - f : f) * (ax.range[1] - ax.range[0]);
}

/** Data coordinates of a pixel in the main axes of a drawn plot (null off a linear plot or not yet drawn). */
export function pixelToData(el: HTMLElement, px: number, py: number): { x: number; y: number } | null {
  const xa = axisGeometry(el, 'xaxis');
  const ya = axisGeometry(el, 'yaxis');
  if (!xa || !ya || !xa.linear || !ya.linear) return null;
  return { x: toData(xa, px, false), y: toData(ya, py, true) };
}

/** Range overrides from a plotly_relayouting event ({'xaxis.range[0]': …} or {'xaxis.range': […]}). */
export function rangesFromEvent(e: Record<string, unknown>): Ranges {
  const out: Ranges = {};
  for (const [key, value] of Object.entries(e)) {
    const m = /^([xy]axis\d*)\.range(?:\[([01])\])?$/.exec(key);
    if (!m) continue;
    const r = (out[m[1]] ??= [NaN, NaN]);
    if (m[2] === undefined && Array.isArray(value)) {
      r[0] = Number(value[0]);
      r[1] = Number(value[1]);
    } else r[Number(m[2])] = Number(value);
  }
  for (const [k, r] of Object.entries(out)) if (!r.every(Number.isFinite)) delete out[k];
  return out;
}

/** Where data point (x, y) is on the page now, in the main axes of a drawn plot (for browser tests). */
export function dataToPage(el: HTMLElement, x: number, y: number): { x: number; y: number } | null {
  const xa = axisGeometry(el, 'xaxis');
  const ya = axisGeometry(el, 'yaxis');
  if (!xa || !ya || !xa.linear || !ya.linear) return null;
  const box = el.getBoundingClientRect();
  return { x: box.left + toPixel(xa, x, false), y: box.top + toPixel(ya, y, true) };
}
