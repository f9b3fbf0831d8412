// Closed-form and linear-model helpers shared by the line experiments (Robust-NLL Fig. 3, Barron's line).
import type { TrainSettings } from '../config';
import { inputScale, type Points } from '../datasets';
import { paramLayout } from '../model';

/** Closed-form least squares with an intercept: [slope, intercept]. */
export function leastSquares(x: ArrayLike<number>, y: ArrayLike<number>): [number, number] {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
    sxx += x[i] * x[i];
    sxy += x[i] * y[i];
  }
  const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return [slope, (sy - slope * sx) / n];
}

/** Flattened weights of a linear mean/variance model (no hidden layer) predicting μ = a·x + b on raw x. */
export function linearWeights(
  a: number,
  b: number,
  variance: number,
  points: Points,
  arch: TrainSettings['architecture'],
): Float32Array {
  // The engine standardises x: μ = W·(x − m)/s + c, so W = a·s and c = a·m + b.
  const { mean: m, std: s } = inputScale(points.x);
  const layout = paramLayout(arch, 1);
  const out: number[] = [];
  const softplusInv = (v: number) => Math.log(Math.expm1(Math.max(v, 1e-6)));
  for (const name of layout.names) {
    if (name === 'Wout') out.push(a * s, 0);
    else if (name === 'bout') out.push(a * m + b, softplusInv(variance - arch.varianceFloor));
    else out.push(0);
  }
  return Float32Array.from(out);
}

/** Slope and intercept of model k's mean, from its flattened weights (linear models only). */
export function linearFit(weights: Float32Array, points: Points): [number, number] {
  const { mean: m, std: s } = inputScale(points.x);
  // Layout with no hidden layer: Wout [1, 1, 2] then bout [1, 1, 2]; index 0 of each feeds μ.
  const slope = weights[0] / s;
  return [slope, weights[2] - slope * m];
}
