// Rates over seeds: Wilson's interval against published values and its edge cases, and verdict words that
// follow from the interval alone.
import { describe, expect, it } from 'vitest';
import { rateOf, rateText, verdictOf, verdictText, wilson } from '../../src/core/lessons/rates';

describe('Wilson score interval', () => {
  it('matches values worked by hand from the closed form', () => {
    // k = 8, n = 10: p = 0.8, z² = 3.8415; centre = (0.8 + 0.19207)/1.38415 = 0.71674;
    // half = (1.96/1.38415)·√(0.016 + 0.0096037) = 1.41601·0.16001 = 0.22658 → [0.4902, 0.9433].
    const a = wilson(8, 10);
    expect(a.lo).toBeCloseTo(0.4902, 4);
    expect(a.hi).toBeCloseTo(0.9433, 4);
    // k = 0, n = 16: lo = 0, hi = z²/(n + z²) = 3.8415/19.8415 = 0.19361.
    const b = wilson(0, 16);
    expect(b.lo).toBe(0);
    expect(b.hi).toBeCloseTo(0.19361, 4);
    // k = n = 8: lo = n/(n + z²) = 8/11.8415 = 0.67559, hi = 1.
    const c = wilson(8, 8);
    expect(c.lo).toBeCloseTo(0.67559, 4);
    expect(c.hi).toBe(1);
  });

  it('is symmetric: the interval of k failures mirrors that of k successes', () => {
    for (const [k, n] of [
      [3, 16],
      [1, 8],
      [5, 9],
    ]) {
      const a = wilson(k, n);
      const b = wilson(n - k, n);
      expect(a.lo).toBeCloseTo(1 - b.hi, 12);
      expect(a.hi).toBeCloseTo(1 - b.lo, 12);
    }
  });

  it('rejects counts that are not counts, NaN included', () => {
    expect(() => wilson(3, 2)).toThrow(/invalid k/);
    expect(() => wilson(-1, 2)).toThrow(/invalid k/);
    expect(() => wilson(NaN, 2)).toThrow(/invalid k/);
    expect(() => wilson(1, 2.5)).toThrow(/invalid n/);
    expect(wilson(0, 0)).toEqual({ lo: 0, hi: 1 });
  });
});

describe('verdicts from rates', () => {
  it('holds only when the whole interval is above one half', () => {
    expect(verdictOf(rateOf(Array(8).fill(true)))).toBe('holds'); // [0.68, 1]
    expect(verdictOf(rateOf([...Array(13).fill(true), ...Array(3).fill(false)]))).toBe('holds'); // 13/16: [0.57, 0.93]
    expect(verdictOf(rateOf([...Array(6).fill(true), false, false]))).toBe('mixed'); // 6/8: [0.41, 0.93]
    expect(verdictOf(rateOf([true, ...Array(15).fill(false)]))).toBe('fails'); // 1/16: [0.01, 0.28]
    expect(verdictOf(rateOf([]))).toBe('untested');
  });

  it('words say k of n and the interval, generated from the counts', () => {
    expect(rateText(rateOf([true, true, false]))).toBe('holds on 2 of 3 seeds (95 % interval 21–94 %)');
    expect(verdictText(rateOf(Array(16).fill(true)))).toBe(
      'reproduces: holds on all 16 seeds (95 % interval 81–100 %)',
    );
    expect(verdictText(rateOf(Array(16).fill(false)))).toBe(
      'does not reproduce: holds on none of 16 seeds (95 % interval 0–19 %)',
    );
    expect(verdictText(rateOf([true, false]))).toMatch(/^seed-dependent: holds on 1 of 2 seeds/);
    expect(verdictText(rateOf([true, true]))).toBe(
      'too few seeds to conclude (holds on every one): holds on all 2 seeds (95 % interval 34–100 %)',
    );
  });
});
