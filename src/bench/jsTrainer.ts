// The TensorFlow-Playground-style baseline for the benchmark only: a shared-trunk mean/variance MLP of any depth
// and activation, NLL or Robust-NLL with the eq. 6 gradient, Adam, in plain Float32Arrays on one thread. Same
// parameter layout, initial weights and minibatches as the engine and the fused kernel.
import type { ModelSpec, TrainSettings } from '../core/config';
import { inputScale, type Points } from '../core/datasets';
import { hash32, STREAM } from '../core/rng';
import { freshModelState } from '../core/state';

type Act = (z: number) => number;
const ACT: Record<string, { f: Act; slope: Act }> = {
  relu: { f: (z) => (z > 0 ? z : 0), slope: (h) => (h > 0 ? 1 : 0) },
  tanh: { f: Math.tanh, slope: (h) => 1 - h * h },
  elu: { f: (z) => (z >= 0 ? z : Math.expm1(z)), slope: (h) => (h >= 0 ? 1 : h + 1) },
  sigmoid: { f: (z) => 1 / (1 + Math.exp(-z)), slope: (h) => h * (1 - h) },
};

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
    if (!train.architecture.shared) throw new Error('the JS baseline covers a shared trunk only');
    const { mean, std } = inputScale(points.x);
    this.x = Float32Array.from(points.x, (v) => (v - mean) / std);
    this.params = specs.map((s) => freshModelState(train.architecture, s).params);
    this.m1 = this.params.map((p) => new Float32Array(p.length));
    this.m2 = this.params.map((p) => new Float32Array(p.length));
  }

  run(steps: number): void {
    const arch = this.train.architecture;
    const widths = [1, ...arch.hidden];
    const L = arch.hidden.length;
    const act = ACT[arch.activation];
    const B = Math.min(this.train.batchSize, this.x.length);
    const n = this.x.length;
    // Offsets of W_l, b_l, Wout, bout in the flattened layout.
    const offW: number[] = [];
    const offB: number[] = [];
    let o = 0;
    for (let l = 0; l < L; l++) {
      offW.push(o);
      o += widths[l] * widths[l + 1];
      offB.push(o);
      o += widths[l + 1];
    }
    const oWo = o;
    const oBo = o + 2 * widths[L];
    const P = this.params[0].length;
    const h = widths.map((w) => new Float32Array(B * w));
    const delta = widths.map((w) => new Float32Array(B * w));
    const gm = new Float32Array(B);
    const gs = new Float32Array(B);
    const loss = new Float32Array(B);
    const grad = new Float32Array(P);
    for (let s = 0; s < steps; s++, this.step++) {
      for (let r = 0; r < B; r++)
        h[0][r] = this.x[B >= n ? r : hash32(this.train.batchSeed, STREAM.batch, this.step, r) % n];
      this.specs.forEach((spec, k) => {
        const p = this.params[k];
        const invT = spec.loss === 'robust-nll' && Number.isFinite(spec.T) ? 1 / spec.T : 0;
        for (let l = 0; l < L; l++) {
          const wi = widths[l];
          const wo = widths[l + 1];
          for (let r = 0; r < B; r++) {
            for (let u = 0; u < wo; u++) {
              let z = p[offB[l] + u];
              for (let i = 0; i < wi; i++) z += h[l][r * wi + i] * p[offW[l] + i * wo + u];
              h[l + 1][r * wo + u] = act.f(z);
            }
          }
        }
        let zmax = -Infinity;
        const wl = widths[L];
        for (let r = 0; r < B; r++) {
          const i = B >= n ? r : hash32(this.train.batchSeed, STREAM.batch, this.step, r) % n;
          let mu = p[oBo];
          let sv = p[oBo + 1];
          for (let u = 0; u < wl; u++) {
            mu += h[L][r * wl + u] * p[oWo + 2 * u];
            sv += h[L][r * wl + u] * p[oWo + 2 * u + 1];
          }
          const v = Math.max(sv, 0) + Math.log1p(Math.exp(-Math.abs(sv))) + arch.varianceFloor;
          const res = mu - this.points.y[i];
          loss[r] = 0.5 * Math.log(v) + (res * res) / (2 * v);
          gm[r] = res / v;
          gs[r] = (v - res * res) / (2 * v * v) / (1 + Math.exp(-sv));
          zmax = Math.max(zmax, -loss[r] * invT);
        }
        let z = 0;
        let lz = 0;
        for (let r = 0; r < B; r++) {
          const e = Math.exp(-loss[r] * invT - zmax);
          z += e;
          lz += e * loss[r];
        }
        for (let r = 0; r < B; r++) {
          const w = Math.exp(-loss[r] * invT - zmax) / z;
          const g = invT > 0 ? w * (1 + invT * (lz / z - loss[r])) : 1 / B;
          gm[r] *= g;
          gs[r] *= g;
        }
        grad.fill(0);
        for (let r = 0; r < B; r++) {
          grad[oBo] += gm[r];
          grad[oBo + 1] += gs[r];
          for (let u = 0; u < wl; u++) {
            const hv = h[L][r * wl + u];
            grad[oWo + 2 * u] += hv * gm[r];
            grad[oWo + 2 * u + 1] += hv * gs[r];
            delta[L][r * wl + u] = (gm[r] * p[oWo + 2 * u] + gs[r] * p[oWo + 2 * u + 1]) * act.slope(hv);
          }
        }
        for (let l = L - 1; l >= 0; l--) {
          const wi = widths[l];
          const wo = widths[l + 1];
          for (let r = 0; r < B; r++) {
            for (let i = 0; i < wi; i++) {
              const hin = h[l][r * wi + i];
              let back = 0;
              for (let u = 0; u < wo; u++) {
                const d = delta[l + 1][r * wo + u];
                grad[offW[l] + i * wo + u] += hin * d;
                back += p[offW[l] + i * wo + u] * d;
              }
              if (l > 0) delta[l][r * wi + i] = back * act.slope(hin);
            }
            for (let u = 0; u < wo; u++) grad[offB[l] + u] += delta[l + 1][r * wo + u];
          }
        }
        const t = this.step + 1;
        const lr = (this.train.learningRate * spec.lrScale) / (1 - 0.9 ** t);
        const c2 = 1 - 0.999 ** t;
        const m1 = this.m1[k];
        const m2 = this.m2[k];
        for (let q = 0; q < P; q++) {
          m1[q] = 0.9 * m1[q] + 0.1 * grad[q];
          m2[q] = 0.999 * m2[q] + 0.001 * grad[q] * grad[q];
          p[q] -= (lr * m1[q]) / (Math.sqrt(m2[q] / c2) + 1e-8);
        }
      });
    }
  }
}
