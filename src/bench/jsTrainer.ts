// The TensorFlow-Playground-style baseline for the benchmark only: the same model and maths as the fused
// kernel (1 → H ReLU → μ, σ²; NLL or Robust-NLL with the eq. 6 gradient; Adam), in plain Float32Arrays.
import type { ModelSpec, TrainSettings } from '../core/config';
import { inputScale, type Points } from '../core/datasets';
import { batchIndex } from '../core/engine';
import { initialWeightsFlat } from '../core/initialWeights';

export class JsTrainer {
  private readonly params: Float32Array[];
  private readonly m1: Float32Array[];
  private readonly m2: Float32Array[];
  private readonly x: Float32Array;
  private step = 0;

  constructor(
    private readonly points: Points,
    private readonly specs: ModelSpec[],
    private readonly train: TrainSettings,
  ) {
    const { mean, std } = inputScale(points.x);
    this.x = Float32Array.from(points.x, (v) => (v - mean) / std);
    this.params = specs.map((s) => initialWeightsFlat(train.architecture, s));
    this.m1 = this.params.map((p) => new Float32Array(p.length));
    this.m2 = this.params.map((p) => new Float32Array(p.length));
  }

  run(steps: number): void {
    const H = this.train.architecture.hidden[0];
    const B = this.train.batchSize;
    const n = this.x.length;
    const gm = new Float32Array(B);
    const gs = new Float32Array(B);
    const xb = new Float32Array(B);
    const loss = new Float32Array(B);
    const grad = new Float32Array(4 * H + 2);
    for (let s = 0; s < steps; s++, this.step++) {
      this.specs.forEach((spec, k) => {
        const p = this.params[k];
        const invT = spec.loss === 'robust-nll' && Number.isFinite(spec.T) ? 1 / spec.T : 0;
        let zmax = -Infinity;
        for (let j = 0; j < B; j++) {
          const i = batchIndex(this.train.batchSeed, this.step, j, n);
          const x = this.x[i];
          let mu = p[4 * H];
          let sv = p[4 * H + 1];
          for (let h = 0; h < H; h++) {
            const a = Math.max(p[h] * x + p[H + h], 0);
            mu += a * p[2 * H + 2 * h];
            sv += a * p[2 * H + 2 * h + 1];
          }
          const v = Math.max(sv, 0) + Math.log1p(Math.exp(-Math.abs(sv))) + this.train.architecture.varianceFloor;
          const r = mu - this.points.y[i];
          loss[j] = 0.5 * Math.log(v) + (r * r) / (2 * v);
          gm[j] = r / v;
          gs[j] = ((v - r * r) / (2 * v * v)) / (1 + Math.exp(-sv));
          xb[j] = x;
          zmax = Math.max(zmax, -loss[j] * invT);
        }
        let z = 0;
        for (let j = 0; j < B; j++) z += Math.exp(-loss[j] * invT - zmax);
        let lbar = 0;
        for (let j = 0; j < B; j++) lbar += (Math.exp(-loss[j] * invT - zmax) / z) * loss[j];
        for (let j = 0; j < B; j++) {
          const w = Math.exp(-loss[j] * invT - zmax) / z;
          const g = invT > 0 ? w * (1 + invT * (lbar - loss[j])) : 1 / B;
          gm[j] *= g;
          gs[j] *= g;
        }
        grad.fill(0);
        for (let h = 0; h < H; h++) {
          const w0 = p[h];
          const b0 = p[H + h];
          const wm = p[2 * H + 2 * h];
          const wv = p[2 * H + 2 * h + 1];
          for (let j = 0; j < B; j++) {
            const pre = w0 * xb[j] + b0;
            if (pre > 0) {
              const back = gm[j] * wm + gs[j] * wv;
              grad[h] += back * xb[j];
              grad[H + h] += back;
              grad[2 * H + 2 * h] += gm[j] * pre;
              grad[2 * H + 2 * h + 1] += gs[j] * pre;
            }
          }
        }
        for (let j = 0; j < B; j++) {
          grad[4 * H] += gm[j];
          grad[4 * H + 1] += gs[j];
        }
        const t = this.step + 1;
        const c1 = 1 - 0.9 ** t;
        const c2 = 1 - 0.999 ** t;
        const lr = this.train.learningRate / c1;
        const m1 = this.m1[k];
        const m2 = this.m2[k];
        for (let q = 0; q < 4 * H + 2; q++) {
          m1[q] = 0.9 * m1[q] + 0.1 * grad[q];
          m2[q] = 0.999 * m2[q] + 0.001 * grad[q] * grad[q];
          p[q] -= (lr * m1[q]) / (Math.sqrt(m2[q] / c2) + 1e-8);
        }
      });
    }
  }
}
