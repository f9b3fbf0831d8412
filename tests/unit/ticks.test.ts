// Axis ticks that fit a small plot: at most five, inside the range, labelled as numbers a learner reads.
import { describe, expect, it } from 'vitest';
import { logTicks, positiveExtent, tickLabel } from '../../src/app/ticks';

describe('ticks', () => {
  it('labels without SI prefixes', () => {
    expect([1e-8, 1e-4, 0.001, 0.01, 0.5, 1, 250, 1000, 1e4, 3e5, -1e6].map(tickLabel)).toEqual([
      '10⁻⁸',
      '10⁻⁴',
      '0.001',
      '0.01',
      '0.5',
      '1',
      '250',
      '1000',
      '10⁴',
      '3·10⁵',
      '−10⁶',
    ]);
  });

  it('puts at most five decades on a long log axis, keeping 1', () => {
    const t = logTicks(1e-9, 5);
    expect(t.tickvals.length).toBeLessThanOrEqual(5);
    expect(t.tickvals).toContain(1);
    expect(t.ticktext).not.toContain('100μ');
    expect(logTicks(1, 14000).tickvals).toEqual([1, 10, 100, 1000, 10000]);
    expect(logTicks(1, 3e5).tickvals.length).toBeLessThanOrEqual(5);
  });

  it('gives a short log range two or more ticks inside it', () => {
    for (const [lo, hi] of [
      [0.3, 0.8],
      [0.31, 0.44],
      [0.02, 0.9],
      [2, 7],
    ]) {
      const t = logTicks(lo, hi).tickvals;
      expect(t.length, `${lo}–${hi}`).toBeGreaterThanOrEqual(2);
      expect(t.length).toBeLessThanOrEqual(5);
      for (const v of t) expect(v >= lo * 0.99 && v <= hi * 1.01, `${v} in ${lo}–${hi}`).toBe(true);
    }
  });

  it('finds the positive extent of series with gaps', () => {
    expect(
      positiveExtent([
        [null, 0.5, NaN],
        [3, -1, 0],
      ]),
    ).toEqual([0.5, 3]);
    expect(positiveExtent([[null, NaN]])).toBeNull();
  });
});
