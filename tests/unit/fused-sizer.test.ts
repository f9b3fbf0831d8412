// Steps per dispatch: fitted from synthetic timings T(S) = overhead + perStep·S, as a read would measure them.
import { describe, expect, it } from 'vitest';
import { DispatchSizer, MAX_DISPATCH_MS, MAX_STEPS, TARGET_MS } from '../../src/fused/sizer';

function converge(overhead: number, perStep: number, start = 10): number {
  const sizer = new DispatchSizer(start);
  for (let i = 0; i < 6; i++) {
    const s = sizer.steps;
    // Three dispatches of s steps between two reads.
    sizer.observe(3, 3 * s, 3 * (overhead + perStep * s));
  }
  return sizer.steps;
}

describe('DispatchSizer', () => {
  it('a GPU (0.05 ms overhead, 20 µs a step): dispatches of about TARGET_MS', () => {
    expect(converge(0.05, 0.02)).toBe(Math.round(TARGET_MS / 0.02));
  });
  it('a CPU emulation (30 ms overhead, 5 ms a step): four overheads, at most MAX_DISPATCH_MS', () => {
    expect(converge(30, 5)).toBe(Math.round(120 / 5));
    expect(converge(3, 0.5)).toBe(Math.round(12 / 0.5));
    expect(converge(400, 20)).toBe(Math.round(MAX_DISPATCH_MS / 20));
  });
  it('stays within [1, MAX_STEPS] and ignores empty observations', () => {
    expect(converge(0, 1e-6)).toBe(MAX_STEPS);
    expect(converge(1, 1000)).toBe(1);
    const sizer = new DispatchSizer(7);
    sizer.observe(0, 0, 0);
    sizer.observe(1, 5, Number.NaN);
    expect(sizer.steps).toBe(7);
  });
});
