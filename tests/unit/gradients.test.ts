// The engine's gradients, seen through ONE plain SGD step ((θ₀ − θ₁)/lr is the gradient itself, so no
// optimiser's scale invariance can hide a factor), against gradients worked out by hand in float64 for every
// base loss × wrapper: dℓ/dμ and dℓ/dσ² per sample, times the wrapper's weight of sample j (1/B for the mean,
// αⱼ of eq. 7 for Robust, wⱼ for constant weights, σ*ⱼ/B for SuperLoss), through a linear mean/variance model.
// Then Adam's first steps, which only the bias correction makes exactly lr per parameter.
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { Engine } from '../../src/core/engine';
import { DEFAULT_TRAIN, modelSpec, withIds, type ModelSpec, type TrainSettings } from '../../src/core/config';
import { defaultDataSpec, inputScale, makePoints } from '../../src/core/datasets';
import {
  barronPsi,
  barronRho,
  BASE_LOSS_IDS,
  logPartition,
  parseLossId,
  superlossSigma,
  WRAPPER_IDS,
  WRAPPERS,
} from '../../src/core/losses';
import { ADAPTIVE_ALPHA_RANGE, ADAPTIVE_SCALE_MIN } from '../../src/core/losses/barronAdaptive';
import { studentTConstant } from '../../src/core/losses/studentT';
import { ADAM } from '../../src/core/state';

const SPEC = { ...defaultDataSpec('hetero-sine'), n: 40, outlierRate: 0.25 };
const POINTS = makePoints(SPEC);
const ARCH = { hidden: [] as number[], activation: 'relu' as const, shared: true, varianceFloor: 1e-6 };
const FLOOR = ARCH.varianceFloor;
// Full batch, straight into each model's own loss.
const TRAIN: TrainSettings = {
  ...DEFAULT_TRAIN,
  optimizer: 'sgd',
  learningRate: 1e-2,
  batchSize: 1000,
  warmupMeanSteps: 0,
  warmupNllSteps: 0,
  architecture: ARCH,
};
const HYPER = { T: 1, beta: 0.5, alpha: 0.5, c: 1.5, nu: 3, lambda: 1, tau: 2, tauMode: 'fixed' as const };

beforeAll(async () => {
  await useNodeBackend('cpu');
});

const softplus = (s: number) => Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s)));
const sigmoid = (s: number) => 1 / (1 + Math.exp(-s));

/** Per-sample loss and its partial derivatives in μ and σ² (the variance head's output), by hand. */
function baseLoss(
  base: string,
  mu: number,
  v: number,
  y: number,
  spec: ModelSpec,
  latents: [number, number],
): { l: number; dmu: number; dv: number } {
  const r = y - mu;
  const r2 = r * r;
  const nll = 0.5 * Math.log(v) + r2 / (2 * v);
  const nllMu = -r / v;
  const nllV = 0.5 / v - r2 / (2 * v * v);
  switch (base) {
    case 'nll':
      return { l: nll, dmu: nllMu, dv: nllV };
    case 'mse':
      return { l: r2, dmu: -2 * r, dv: 0 };
    case 'beta-nll': {
      // σ^{2β} is a constant to the gradient (stop-gradient, β-NLL eq. 7).
      const w = v ** spec.beta;
      return { l: w * nll, dmu: w * nllMu, dv: w * nllV };
    }
    case 'student-t': {
      const nu = spec.nu;
      const q = r2 / (nu * v);
      return {
        l: studentTConstant(nu) + 0.5 * Math.log(v) + ((nu + 1) / 2) * Math.log1p(q),
        dmu: (((nu + 1) / 2) * ((-2 * r) / (nu * v))) / (1 + q),
        dv: 0.5 / v - (((nu + 1) / 2) * (r2 / (nu * v * v))) / (1 + q),
      };
    }
    case 'faithful':
      // The NLL term sees a detached μ: the mean learns from the squared error alone.
      return { l: r2 + nll, dmu: -2 * r, dv: nllV };
    case 'moment-matching': {
      const s = Math.sqrt(v);
      return { l: r2 + (Math.abs(r) - s) ** 2, dmu: -2 * r, dv: (s - Math.abs(r)) / s };
    }
    case 'barron':
      return { l: barronRho(mu - y, spec.alpha, spec.c), dmu: barronPsi(mu - y, spec.alpha, spec.c), dv: 0 };
    case 'barron-adaptive': {
      const [lo, hi] = ADAPTIVE_ALPHA_RANGE;
      const alpha = lo + (hi - lo) * sigmoid(latents[0]);
      const c = softplus(latents[1]) + ADAPTIVE_SCALE_MIN;
      return {
        l: barronRho(mu - y, alpha, c) + Math.log(c) + logPartition(alpha),
        dmu: barronPsi(mu - y, alpha, c),
        dv: 0,
      };
    }
  }
  throw new Error(base);
}

/** The wrapper's weight of each sample's gradient in the batch objective. */
function sampleGradWeights(wrapper: string, losses: number[], spec: ModelSpec): number[] {
  const b = losses.length;
  if (wrapper === 'none') return losses.map(() => 1 / b);
  if (wrapper === 'superloss') return losses.map((l) => superlossSigma(l, spec.tau, spec.lambda) / b);
  const m = Math.max(...losses.map((l) => -l / spec.T));
  const e = losses.map((l) => Math.exp(-l / spec.T - m));
  const z = e.reduce((a, x) => a + x, 0);
  const w = e.map((x) => x / z);
  if (wrapper === 'boltzmann-const') return w;
  const mean = w.reduce((a, wi, i) => a + wi * losses[i], 0);
  const alpha = w.map((wi, i) => wi * (1 + (mean - losses[i]) / spec.T));
  return wrapper === 'boltzmann-clipped' ? alpha.map((a) => Math.max(a, 0)) : alpha;
}

/**
 * The hand gradient of a linear model (params [w_μ, w_s, b_μ, b_s, αlatent, clatent]: layout Wout [1, 2], bout
 * [1, 2], then the latents). The adaptive latents' gradient by central differences of the float64 objective.
 */
function handGradient(params: Float32Array, spec: ModelSpec): number[] {
  const { base, wrapper } = parseLossId(spec.loss);
  const { mean, std } = inputScale(POINTS.x);
  const xs = Array.from(POINTS.x, (x) => (x - mean) / std);
  const objective = (latents: [number, number]) => {
    const per = xs.map((x, j) => {
      const mu = params[0] * x + params[2];
      const s = params[1] * x + params[3];
      return { s, x, ...baseLoss(base, mu, softplus(s) + FLOOR, POINTS.y[j], spec, latents) };
    });
    return per;
  };
  const per = objective([params[4], params[5]]);
  const g = sampleGradWeights(
    wrapper,
    per.map((p) => p.l),
    spec,
  );
  const grad = [0, 0, 0, 0, 0, 0];
  per.forEach((p, j) => {
    const ds = p.dv * sigmoid(p.s);
    grad[0] += g[j] * p.dmu * p.x;
    grad[2] += g[j] * p.dmu;
    grad[1] += g[j] * ds * p.x;
    grad[3] += g[j] * ds;
  });
  if (base === 'barron-adaptive') {
    // The weights g are the wrapper's at the point: the envelope of Σgℓ in the latents is Σ g ∂ℓ/∂latent.
    const h = 1e-5;
    for (const i of [0, 1] as const) {
      const lat = (d: number): [number, number] => (i === 0 ? [params[4] + d, params[5]] : [params[4], params[5] + d]);
      const up = objective(lat(h));
      const down = objective(lat(-h));
      grad[4 + i] = per.reduce((a, _, j) => a + (g[j] * (up[j].l - down[j].l)) / (2 * h), 0);
    }
  }
  return grad;
}

const ALL: ModelSpec[] = withIds(
  WRAPPER_IDS.flatMap((w) =>
    BASE_LOSS_IDS.map((b, i) => modelSpec(WRAPPERS[w].prefix + b, { ...HYPER, initSeed: 7 + i })),
  ),
);

describe('one SGD step equals the hand-derived gradient, for every base loss × wrapper', () => {
  it(`${ALL.length} models in one stacked engine`, async () => {
    const engine = new Engine(POINTS, SPEC, ALL, TRAIN);
    const before = await engine.exportState();
    engine.run(1);
    const after = await engine.exportState();
    engine.dispose();
    const failures: string[] = [];
    ALL.forEach((spec, k) => {
      const p0 = before.models[k].params;
      const measured = Array.from(p0, (v, i) => (v - after.models[k].params[i]) / TRAIN.learningRate);
      const expected = handGradient(p0, spec);
      const scale = Math.max(1e-3, ...expected.map(Math.abs));
      expected.forEach((e, i) => {
        if (Math.abs(measured[i] - e) > 2e-3 * scale)
          failures.push(`${spec.loss} param ${i}: engine ${measured[i].toPrecision(6)}, by hand ${e.toPrecision(6)}`);
      });
    });
    expect(failures).toEqual([]);
  });

  it('the check has teeth: constant or clipped weights in place of eq. 6, or a missing 1/B, would be seen', () => {
    const spec = ALL.find((s) => s.loss === 'robust-nll')!;
    const p = Float32Array.from([0.3, -0.2, 0.1, 0.5, 0, 0]);
    const eq6 = handGradient(p, spec);
    const constant = handGradient(p, { ...spec, loss: 'tilted-nll' });
    const rel = Math.max(...eq6.map((v, i) => Math.abs(v - constant[i]))) / Math.max(...eq6.map(Math.abs));
    // Far above the 2e-3 tolerance: a swap of the two would fail the test above.
    expect(rel).toBeGreaterThan(0.05);
    // Some αⱼ are negative here, so clipping them at 0 changes the gradient as much.
    const clipped = handGradient(p, { ...spec, loss: 'clipped-nll' });
    expect(Math.max(...eq6.map((v, i) => Math.abs(v - clipped[i]))) / Math.max(...eq6.map(Math.abs))).toBeGreaterThan(
      0.05,
    );
    expect(POINTS.x.length).toBeGreaterThan(1);
  });
});

describe("Adam's bias correction", () => {
  it('the first step moves every parameter by lr (m̂ = g, v̂ = g²), and a restored t continues the correction', async () => {
    const specs = withIds([modelSpec('nll', { initSeed: 3 })]);
    const train = { ...TRAIN, optimizer: 'adam' as const, learningRate: 1e-3 };
    const engine = new Engine(POINTS, SPEC, specs, train);
    const s0 = await engine.exportState();
    engine.run(1);
    const s1 = await engine.exportState();
    const step = Array.from(s0.models[0].params, (v, i) => Math.abs(v - s1.models[0].params[i]));
    // The latents get no gradient (nll): they stay. Everything else moves by lr to float precision.
    step.slice(0, 4).forEach((d) => expect(d / train.learningRate).toBeCloseTo(1, 3));
    expect(s1.models[0].t).toBe(1);
    // Without bias correction the first step would be lr·(1 − β₁)/√(1 − β₂) ≈ 3.16 lr.
    expect((1 - ADAM.beta1) / Math.sqrt(1 - ADAM.beta2)).toBeGreaterThan(3);
    engine.dispose();
  });
});
