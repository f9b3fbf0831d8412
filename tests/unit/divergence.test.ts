// The divergence study's bookkeeping, by hand: when a curve counts as diverged, and the per-variant summary.
import { describe, expect, it } from 'vitest';
import { DIVERGED_RMSE, firstDivergence, summarise, type Curve } from '../../src/core/experiments/divergence';

const curve = (loss: string, trajectory: number, rmse: number[], sigmaError = rmse.map(() => 1)): Curve => ({
  loss,
  trajectory,
  seed: 1 + trajectory,
  steps: rmse.map((_, i) => 100 * (i + 1)),
  rmse,
  sigmaError,
});

describe('divergence study bookkeeping', () => {
  it('a curve diverges at its first checkpoint at or above the threshold, or non-finite', () => {
    expect(DIVERGED_RMSE).toBe(5);
    expect(firstDivergence(curve('robust-nll', 0, [0.5, 0.6, 4.99]))).toBeNull();
    expect(firstDivergence(curve('robust-nll', 0, [0.5, 5, 0.6]))).toBe(200);
    expect(firstDivergence(curve('robust-nll', 0, [0.5, 0.6, NaN]))).toBe(300);
    expect(firstDivergence(curve('robust-nll', 0, [12, 20, 30]))).toBe(100);
  });

  it('summarises per variant: how many, still at the end, when, and the others’ medians', () => {
    const curves = [
      curve('robust-nll', 0, [0.5, 12, 20]),
      curve('robust-nll', 1, [0.4, 0.5, 0.6], [0.5, 0.5, 0.7]),
      curve('robust-nll', 2, [6, 0.9, 0.8]),
      curve('tilted-nll', 0, [0.5, 0.5, 0.5], [3, 3, 3]),
      curve('tilted-nll', 1, [0.7, 0.7, 0.9], [2, 2, 2.5]),
      curve('tilted-nll', 2, [0.7, 0.7, 0.7], [2, 2, 2]),
      curve('clipped-nll', 0, [0.5, 0.5, 0.3], [0.6, 0.6, 0.6]),
      curve('clipped-nll', 1, [0.5, 0.5, 0.5], [0.6, 0.6, 0.8]),
      curve('clipped-nll', 2, [0.5, 0.5, 0.4], [0.6, 0.6, 0.4]),
    ];
    const [eq6, constant, clipped] = summarise(curves);
    expect(eq6).toMatchObject({
      loss: 'robust-nll',
      n: 3,
      diverged: 2,
      divergedAtEnd: 1,
      when: [200, 100],
      divergedTrajectories: [0, 2],
    });
    expect(eq6.stableRmse).toBeCloseTo(0.6, 12);
    expect(eq6.stableSigmaError).toBeCloseTo(0.7, 12);
    expect(constant).toMatchObject({ diverged: 0, divergedAtEnd: 0 });
    expect(constant.stableRmse).toBeCloseTo(0.7, 12);
    expect(constant.stableSigmaError).toBeCloseTo(2.5, 12);
    expect(clipped.stableRmse).toBeCloseTo(0.4, 12);
    expect(clipped.stableSigmaError).toBeCloseTo(0.6, 12);
  });
});
