// The tfjs engine: K stacked models behave exactly like K separate ones, live hyperparameters, warm-up,
// divergence, what the snapshot reports for each wrapper and for Student-t, and leaks. WASM backend.
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { tf } from '../../src/core/tf';
import { Engine } from '../../src/core/engine';
import { DEFAULT_TRAIN, modelSpec, withIds, type ModelSpec, type TrainSettings } from '../../src/core/config';
import { defaultDataSpec, makePoints } from '../../src/core/datasets';
import { paramLayout } from '../../src/core/model';
import { freshState, type TrainingState } from '../../src/core/state';

const SPEC = { ...defaultDataSpec('hetero-sine'), n: 300 };
const POINTS = makePoints(SPEC);
const TRAIN: TrainSettings = {
  ...DEFAULT_TRAIN,
  batchSize: 64,
  warmupMeanSteps: 5,
  warmupNllSteps: 5,
  architecture: { ...DEFAULT_TRAIN.architecture, hidden: [16] },
};

beforeAll(async () => {
  expect(await useNodeBackend('wasm')).toBe('wasm');
});

const params = async (engine: Engine): Promise<Float32Array[]> =>
  (await engine.exportState()).models.map((m) => m.params);

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** The values of parameter `name` within one model's flattened parameters. */
function slot(arch: TrainSettings['architecture'], flat: Float32Array, name: string): Float32Array {
  const layout = paramLayout(arch, 1);
  let offset = 0;
  for (let p = 0; p < layout.names.length; p++) {
    const size = layout.shapes[p].reduce((a, b) => a * b, 1);
    if (layout.names[p] === name) return flat.slice(offset, offset + size);
    offset += size;
  }
  throw new Error(`no parameter ${name}`);
}

describe('Engine', () => {
  it('trains K stacked models to the same parameters as K separate runs with the same seeds and batches', async () => {
    const specs = withIds([
      modelSpec('nll', { initSeed: 11 }),
      modelSpec('robust-nll', { initSeed: 12, T: 4 }),
      modelSpec('superloss-beta-nll', { initSeed: 13, tauMode: 'running' }),
      modelSpec('barron-adaptive', { initSeed: 14 }),
    ]);
    const stacked = new Engine(POINTS, SPEC, specs, TRAIN);
    stacked.run(25);
    const together = await params(stacked);
    for (let k = 0; k < specs.length; k++) {
      const alone = new Engine(POINTS, SPEC, [specs[k]], TRAIN);
      alone.run(25);
      expect(maxDiff(together[k], (await params(alone))[0])).toBeLessThan(1e-4);
      alone.dispose();
    }
    stacked.dispose();
  });

  it('the warm-up trains the mean alone first: the variance output weights do not move', async () => {
    const train = { ...TRAIN, warmupMeanSteps: 20 };
    const engine = new Engine(POINTS, SPEC, withIds([modelSpec('nll')]), train);
    const before = slot(train.architecture, (await params(engine))[0], 'Wout');
    engine.run(20);
    const after = slot(train.architecture, (await params(engine))[0], 'Wout');
    // Wout is [H, 2]: even entries feed μ, odd ones σ².
    let muMoved = 0;
    after.forEach((v, i) => {
      if (i % 2 === 1) expect(v).toBe(before[i]);
      else muMoved += Math.abs(v - before[i]);
    });
    expect(muMoved).toBeGreaterThan(0);
    engine.run(1);
    const nllPhase = slot(train.architecture, (await params(engine))[0], 'Wout');
    expect(nllPhase.some((v, i) => i % 2 === 1 && v !== before[i])).toBe(true);
    engine.dispose();
  });

  it('a hyperparameter change takes effect on the next step, without a reset', async () => {
    const train = { ...TRAIN, warmupMeanSteps: 0, warmupNllSteps: 0 };
    const spec = withIds([modelSpec('robust-nll', { T: 16 })]);
    const base = new Engine(POINTS, SPEC, spec, train);
    const changed = new Engine(POINTS, SPEC, spec, train);
    base.run(10);
    changed.run(10);
    expect(maxDiff((await params(base))[0], (await params(changed))[0])).toBe(0);
    changed.updateModel(0, { ...spec[0], T: 0.5 });
    const weightsBefore = (await base.snapshot()).models[0].weight;
    const weightsAfter = (await changed.snapshot()).models[0].weight;
    expect(Math.max(...weightsAfter)).toBeGreaterThan(2 * Math.max(...weightsBefore));
    base.run(1);
    changed.run(1);
    expect(changed.step).toBe(11);
    expect(maxDiff((await params(base))[0], (await params(changed))[0])).toBeGreaterThan(0);
    base.dispose();
    changed.dispose();
  });

  it('does not leak tensors: runs, frames with and without state, live changes, exports and rebuilt engines', async () => {
    const specs = withIds([
      modelSpec('robust-nll'),
      modelSpec('superloss-nll', { tauMode: 'running' }),
      modelSpec('barron-adaptive'),
      modelSpec('faithful'),
    ]);
    const train = { ...TRAIN, architecture: { ...TRAIN.architecture, hidden: [4] } };
    let engine = new Engine(POINTS, SPEC, specs, train);
    engine.run(50);
    await engine.frame(true);
    const early = tf.memory().numTensors;
    for (let i = 0; i < 6; i++) {
      engine.run(50);
      engine.updateModel(0, { ...specs[0], T: 1 + i });
      await engine.frame(i % 2 === 0);
      const state = await engine.exportState();
      engine.dispose();
      engine = new Engine(POINTS, SPEC, engine.models.slice(), train, state);
    }
    expect(tf.memory().numTensors).toBe(early);
    engine.dispose();
  });

  it('stops a diverging model alone and says why; the others go on', async () => {
    // Plain SGD at a huge learning rate (Adam's steps are bounded by lr, so it would merely wander).
    const specs = withIds([modelSpec('nll', { lrScale: 1e8 }), modelSpec('nll')]);
    const engine = new Engine(POINTS, SPEC, specs, {
      ...TRAIN,
      optimizer: 'sgd',
      warmupMeanSteps: 0,
      warmupNllSteps: 0,
    });
    engine.run(20);
    const snap = await engine.snapshot();
    expect(snap.models[0].status).toBe('diverged');
    expect(snap.models[0].message).toMatch(/diverged at step \d+: .*NaN or infinite.*learning rate/);
    expect(snap.models[1].status).toBe('training');
    const stepsBefore = snap.models[1].steps;
    engine.run(5);
    const later = await engine.snapshot();
    expect(later.models[1].steps).toBe(stepsBefore + 5);
    expect(later.models[0].steps).toBe(snap.models[0].steps);
    // The state keeps the diverged model as it was: non-finite parameters and its message.
    const state = await engine.exportState();
    expect(state.models[0].diverged).toMatch(/diverged/);
    expect(state.models[0].params.some((v) => !Number.isFinite(v))).toBe(true);
    engine.dispose();
  });

  it('trains separate mean and variance networks (two towers, tanh) as well as a shared trunk', async () => {
    const arch = { hidden: [8, 8], activation: 'tanh' as const, shared: false, varianceFloor: 1e-6 };
    const engine = new Engine(POINTS, SPEC, withIds([modelSpec('nll'), modelSpec('faithful')]), {
      ...TRAIN,
      architecture: arch,
    });
    const first = await engine.snapshot();
    engine.run(60);
    const later = await engine.snapshot();
    later.models.forEach((m, k) => expect(m.metrics.rmse).toBeLessThan(first.models[k].metrics.rmse));
    expect(paramLayout(arch, 1).names.filter((n) => n.startsWith('var.')).length).toBe(6);
    engine.dispose();
  });

  it('snapshots carry what the views need, with metrics against the truth, and the model ids', async () => {
    const engine = new Engine(POINTS, SPEC, withIds([modelSpec('robust-nll', { id: 'a7' })]), TRAIN);
    const snap = await engine.snapshot();
    const m = snap.models[0];
    expect(m.id).toBe('a7');
    expect(snap.grid.length).toBeGreaterThanOrEqual(200);
    expect(m.mu.length).toBe(snap.grid.length);
    expect(m.sigma.length).toBe(snap.grid.length);
    expect(m.weight.length).toBe(POINTS.x.length);
    for (const v of Object.values(m.metrics)) expect(Number.isFinite(v)).toBe(true);
    engine.dispose();
  });

  it("reports each model's real gradient weight: α (eq. 7) for eq. 6, w for constant weights, σ* for SuperLoss, 1 for a plain loss", async () => {
    const specs = withIds([
      modelSpec('robust-nll', { T: 0.5 }),
      modelSpec('tilted-nll', { T: 0.5 }),
      modelSpec('superloss-nll', { tauMode: 'fixed', tau: 1 }),
      modelSpec('nll'),
    ]);
    const engine = new Engine(POINTS, SPEC, specs, { ...TRAIN, warmupMeanSteps: 0, warmupNllSteps: 0 });
    engine.run(30);
    const [robust, tilted, superloss, plain] = (await engine.snapshot()).models;
    // Eq. 7 at a small T pushes high-loss points away: negative α. Constant weights never do.
    expect(Math.min(...robust.gradWeight)).toBeLessThan(0);
    expect(Math.min(...tilted.gradWeight)).toBeGreaterThanOrEqual(0);
    expect(maxDiff(tilted.gradWeight, tilted.weight)).toBe(0);
    expect(maxDiff(superloss.gradWeight, superloss.sigmaStar)).toBe(0);
    expect(plain.gradWeight.every((v) => v === 1)).toBe(true);
    // And the α shown is eq. 7 of the model's own weights and losses: αⱼ = wⱼ(1 + (Σwℓ − ℓⱼ)/T), times N.
    const n = robust.weight.length;
    const w = Array.from(robust.weight, (v) => v / n);
    const mean = w.reduce((s, wi, i) => s + wi * robust.sampleLoss[i], 0);
    const alpha = w.map((wi, i) => n * wi * (1 + (mean - robust.sampleLoss[i]) / 0.5));
    expect(maxDiff(robust.gradWeight, alpha)).toBeLessThan(1e-3 * Math.max(1, ...alpha.map(Math.abs)));
    engine.dispose();
  });

  it('Clipped-Robust shows max(αⱼ, 0) of its own weights and losses: never negative, equal to eq. 7 where that is positive', async () => {
    const specs = withIds([modelSpec('clipped-nll', { T: 0.5 })]);
    const engine = new Engine(POINTS, SPEC, specs, { ...TRAIN, warmupMeanSteps: 0, warmupNllSteps: 0 });
    engine.run(30);
    const [clipped] = (await engine.snapshot()).models;
    engine.dispose();
    const n = clipped.weight.length;
    const w = Array.from(clipped.weight, (v) => v / n);
    const mean = w.reduce((s, wi, i) => s + wi * clipped.sampleLoss[i], 0);
    const alpha = w.map((wi, i) => n * wi * (1 + (mean - clipped.sampleLoss[i]) / 0.5));
    // Some αⱼ are negative here, so the clipping is seen.
    expect(Math.min(...alpha)).toBeLessThan(0);
    expect(
      maxDiff(
        clipped.gradWeight,
        alpha.map((a) => Math.max(a, 0)),
      ),
    ).toBeLessThan(1e-3 * Math.max(1, ...alpha.map(Math.abs)));
  });

  it("draws Student-t's band at its standard deviation scale·√(ν/(ν−2)), and its scale (flagged) when ν ≤ 2", async () => {
    const specs = withIds([modelSpec('student-t', { nu: 4 }), modelSpec('student-t', { nu: 2 }), modelSpec('nll')]);
    const engine = new Engine(POINTS, SPEC, specs, TRAIN);
    const state = await engine.exportState();
    const snap = await engine.snapshot();
    // All three start from the same output bias (σ² or scale² = 1 + floor) but different weights: compare at one
    // point through the ratio to a Gaussian model with the same raw output would need equal weights, so restart
    // them from one state instead.
    engine.dispose();
    const same: TrainingState = {
      step: 0,
      models: state.models.map((m) => ({ ...m, params: state.models[2].params.slice() })),
    };
    const again = new Engine(POINTS, SPEC, specs, TRAIN, same);
    const [t4, t2, gauss] = (await again.snapshot()).models;
    expect(t4.bandIsScale).toBe(false);
    expect(t2.bandIsScale).toBe(true);
    t4.sigma.forEach((s, i) => expect(s / gauss.sigma[i]).toBeCloseTo(Math.SQRT2, 5));
    t2.sigma.forEach((s, i) => expect(s).toBeCloseTo(gauss.sigma[i], 6));
    expect(Number.isNaN(t2.metrics.sigmaError)).toBe(true);
    expect(Number.isFinite(t4.metrics.sigmaError)).toBe(true);
    expect(snap.models[0].metrics.nll).not.toBe(snap.models[2].metrics.nll);
    again.dispose();
  });

  it("SuperLoss's running τ averages the model's own-loss steps only (the warm-up does not anchor it), per model", async () => {
    const specs: ModelSpec[] = withIds([
      modelSpec('superloss-nll', { tauMode: 'running', tau: 100 }),
      modelSpec('superloss-nll', { tauMode: 'running', tau: 100, warmup: { meanSteps: 0, nllSteps: 0 } }),
    ]);
    const engine = new Engine(POINTS, SPEC, specs, {
      ...TRAIN,
      warmupMeanSteps: 40,
      warmupNllSteps: 40,
      batchSize: 300,
    });
    engine.run(80);
    let state = await engine.exportState();
    // Model 1 has been in its own phase for 80 steps; model 0 not yet: its τ is untouched.
    expect(state.models[0].tau).toBe(100);
    expect(state.models[0].tauCount).toBe(0);
    expect(state.models[1].tauCount).toBe(80);
    engine.run(1);
    state = await engine.exportState();
    // The first own-loss step takes the batch's mean loss itself (full batch: the training set's mean NLL).
    expect(state.models[0].tauCount).toBe(1);
    const snap = await engine.snapshot();
    const meanLoss = snap.models[0].sampleLoss.reduce((a, b) => a + b, 0) / POINTS.x.length;
    expect(Math.abs(state.models[0].tau - meanLoss)).toBeLessThan(0.05 * Math.abs(meanLoss) + 0.05);
    engine.dispose();
  });

  it('refuses a state that does not fit, naming what is wrong', () => {
    const specs = withIds([modelSpec('nll'), modelSpec('mse')]);
    const state = freshState(TRAIN.architecture, specs);
    expect(() => new Engine(POINTS, SPEC, specs.slice(0, 1), TRAIN, state)).toThrow(
      /2 models; the configuration has 1/,
    );
    const short = { ...state, models: state.models.map((m) => ({ ...m, params: m.params.slice(1) })) };
    expect(() => new Engine(POINTS, SPEC, specs, TRAIN, short)).toThrow(
      /params has \d+ values; the architecture needs/,
    );
    const nan = { ...state, models: state.models.map((m) => ({ ...m, params: m.params.map(() => NaN) })) };
    expect(() => new Engine(POINTS, SPEC, specs, TRAIN, nan)).toThrow(
      /not finite, yet the model is not marked diverged/,
    );
  });
});
