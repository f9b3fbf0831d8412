// Axis ticks chosen here rather than by Plotly: at most five per axis with labels that fit a 360 px plot and
// read as numbers ("0.01", "10⁴"), never Plotly's SI prefixes ("100μ", "10n") or a label on every digit of a short
// log range. Pure; tested in tests/unit/ticks.test.ts.

/** The most ticks an axis gets. */
export const MAX_TICKS = 5;

const SUPERSCRIPT: Record<string, string> = {
  '-': '⁻',
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

/** A tick's label: plain from 0.001 to 9999 ("0.01", "250"), a power of ten beyond ("10⁻⁶", "10⁴", "3·10⁵"). */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e4) return String(Number(v.toPrecision(3)));
  const e = Math.floor(Math.log10(a) + 1e-9);
  const m = Number((v / 10 ** e).toPrecision(2));
  const power = `10${String(e).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c])}`;
  return m === 1 ? power : m === -1 ? `−${power}` : `${m}·${power}`;
}

export interface Ticks {
  tickvals: number[];
  ticktext: string[];
}

/**
 * Ticks for a log axis showing [lo, hi] (both > 0): whole decades, every k-th so that at most `max` remain; a
 * range of two decades or less gets 1–2–5 (or finer) steps inside it, so a short axis still has two labels.
 */
export function logTicks(lo: number, hi: number, max = MAX_TICKS): Ticks {
  if (!(lo > 0) || !(hi >= lo)) return { tickvals: [], ticktext: [] };
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.ceil(Math.log10(hi) - 1e-9);
  const inside = (v: number) => v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9);
  let vals: number[] = [];
  if (b - a <= 2) {
    // A short range: the densest of 1, 1–2–5 or 1–2–3–5–7 steps that gives two ticks inside it, at most `max`.
    for (const steps of [[1], [1, 2, 5], [1, 2, 3, 5, 7]]) {
      const c: number[] = [];
      for (let e = a; e <= b; e++)
        for (const m of steps) if (inside(m * Number(`1e${e}`))) c.push(m * Number(`1e${e}`));
      if (c.length > max) break;
      vals = c;
      if (c.length >= 2) break;
    }
    // Narrower still (0.31 to 0.44): its two ends, to two digits.
    if (vals.length < 2)
      vals = [Number(lo.toPrecision(2)), Number(hi.toPrecision(2))].filter((v, i, all) => all.indexOf(v) === i);
  } else {
    // The decades inside the range (those outside would not show).
    const [first, last] = [Math.ceil(Math.log10(lo) - 1e-9), Math.floor(Math.log10(hi) + 1e-9)];
    const decades = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const every = Math.ceil(decades.length / max);
    // Every k-th decade counted from 10⁰, so that 1 stays a tick when it is in range.
    vals = decades.filter((e) => e % every === 0).map((e) => Number(`1e${e}`));
  }
  vals = vals.slice(-max);
  return { tickvals: vals, ticktext: vals.map(tickLabel) };
}

/** A Plotly log axis over [lo, hi] with these ticks, its range padded to the decades around the data. */
export function logAxis(lo: number, hi: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const t = logTicks(lo, hi);
  // The range is the data's, padded by a twentieth of its decades: ticks outside it would not show anyway.
  const [l, h] = [Math.log10(lo), Math.log10(hi)];
  const pad = Math.max(0.02, 0.05 * (h - l));
  return {
    type: 'log',
    range: [l - pad, h + pad],
    tickvals: t.tickvals,
    ticktext: t.ticktext,
    tickangle: 0,
    automargin: true,
    ...extra,
  };
}

/** A linear axis with at most MAX_TICKS ticks, never rotated, its labels given room. */
export function linearAxis(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { nticks: MAX_TICKS, tickangle: 0, automargin: true, exponentformat: 'power', ...extra };
}

/** The smallest and largest finite, positive values of some series (for a log axis), or null. */
export function positiveExtent(series: Iterable<ArrayLike<number | null>>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series)
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (v === null || !Number.isFinite(v) || v <= 0) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  return lo <= hi ? [lo, hi] : null;
}
