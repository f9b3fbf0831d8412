// The snapshot's fit metrics in float64, fed by plain arrays (no tensors): values worked out by hand.
import { describe, expect, it } from 'vitest';
import { modelSpec } from '../../src/core/config';
import {
  bandIsScale,
  fitMetrics,
  outlierWeightShare,
  predictiveNll,
  predictiveOf,
  predictiveStd,
} from '../../src/core/metrics';
import { studentTConstant } from '../../src/core/losses/studentT';

describe('fit metrics', () => {
  it('what the variance head means: σ² for Gaussian losses, scale² for Student-t, nothing for mean-only losses', () => {
    expect(predictiveOf(modelSpec('robust-nll'))).toEqual({ kind: 'gaussian' });
    expect(predictiveOf(modelSpec('tilted-student-t', { nu: 5 }))).toEqual({ kind: 'student-t', nu: 5 });
    expect(predictiveOf(modelSpec('superloss-barron'))).toEqual({ kind: 'none' });
    // ν = 4: std = scale·√(4/2) = √2·scale; ν = 2 has no finite variance: the scale, flagged.
    expect(predictiveStd(9, { kind: 'student-t', nu: 4 })).toBeCloseTo(3 * Math.SQRT2, 12);
    expect(predictiveStd(9, { kind: 'student-t', nu: 2 })).toBe(3);
    expect(bandIsScale({ kind: 'student-t', nu: 2 })).toBe(true);
    expect(bandIsScale({ kind: 'gaussian' })).toBe(false);
  });

  it('RMSE, σ error and held-out NLL by hand', () => {
    const m = fitMetrics({
      gridMu: [0, 2],
      gridV: [4, 1],
      truthMean: [1, 1],
      truthStd: [1, 1],
      heldMu: [0],
      heldV: [1],
      heldY: [1],
      predictive: { kind: 'gaussian' },
    });
    expect(m.rmse).toBeCloseTo(1, 12); // errors 1 and 1
    expect(m.sigmaError).toBeCloseTo(0.5, 12); // |2 − 1| and |1 − 1|
    expect(m.nll).toBeCloseTo(0.5 * Math.log(2 * Math.PI) + 0.5, 12);
    // The held-out NLL of a Student-t is the t's own: C(ν) + ½ log s² + (ν+1)/2 log(1 + r²/(ν s²)).
    expect(predictiveNll(1, 0, 1, { kind: 'student-t', nu: 3 })).toBeCloseTo(
      studentTConstant(3) + 2 * Math.log1p(1 / 3),
      12,
    );
    // Without a truth there is no RMSE; mean-only models have no σ error and no NLL.
    const none = fitMetrics({
      gridMu: [0],
      gridV: [1],
      truthMean: null,
      truthStd: null,
      heldMu: [],
      heldV: [],
      heldY: [],
      predictive: { kind: 'none' },
    });
    expect([none.rmse, none.sigmaError, none.nll].every(Number.isNaN)).toBe(true);
  });

  it("the outliers' share of the weight", () => {
    expect(outlierWeightShare([1, 3, 0, 4], [0, 1, 0, 1])).toBeCloseTo(7 / 8, 12);
    expect(Number.isNaN(outlierWeightShare([0, 0], [1, 0]))).toBe(true);
  });
});
