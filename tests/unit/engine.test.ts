// The batched engine: K stacked models behave exactly like K separate ones, live hyperparameters,
// warm-up, per-model reset, divergence and leaks. WASM backend (as the reproduction command uses).
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { tf } from '../../src/core/tf';
import { Engine } from '../../src/core/engine';
import { DEFAULT_TRAIN, modelSpec, type TrainSettings } from '../../src/core/config';
import { defaultDataSpec, makePoints } from '../../src/core/datasets';
import { paramLayout } from '../../src/core/model';

const SPEC = { ...defaultDataSpec('hetero-sine'), n: 300 };
const POINTS = makePoints(SPEC);
const TRAIN: TrainSettings = { ...DEFAULT_TRAIN, batchSize: 64, warmupMeanSteps: 5, warmupNllSteps: 5, architecture: { ...DEFAULT_TRAIN.architecture, hidden: [16] } };

beforeAll(async () => {
  expect(await useNodeBackend('wasm')).toBe('wasm');
});

/** Model k's slice of every stacked parameter. */
async function sliceOf(engine: Engine, k: number): Promise<Float32Array[]> {
  const { values, shapes } = await engine.getWeights();
  return values.map((v, p) => {
    const per = shapes[p].slice(1).reduce((a, b) => a * b, 1);
    return v.slice(k * per, (k + 1) * per);
  });
}

function maxDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((arr, p) => arr.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[p][i])))));
  return worst;
}

describe('Engine', () => {
  it('trains K stacked models to the same parameters as K separate runs with the same seeds and batches', async () => {
    const specs = [
      modelSpec('nll', { initSeed: 11 }),
      modelSpec('robust-nll', { initSeed: 12, T: 4 }),
      modelSpec('superloss-beta-nll', { initSeed: 13 }),
      modelSpec('barron-adaptive', { initSeed: 14 }),
    ];
    const stacked = new Engine(POINTS, SPEC, specs, TRAIN);
    stacked.run(25);
    for (let k = 0; k < specs.length; k++) {
      const alone = new Engine(POINTS, SPEC, [specs[k]], TRAIN);
      alone.run(25);
      expect(maxDiff(await sliceOf(stacked, k), await sliceOf(alone, 0))).toBeLessThan(1e-4);
      alone.dispose();
    }
    stacked.dispose();
  });

  it('the warm-up trains the mean alone first: the variance output weights do not move', async () => {
    const engine = new Engine(POINTS, SPEC, [modelSpec('nll')], { ...TRAIN, warmupMeanSteps: 20 });
    const layout = paramLayout(TRAIN.architecture, 1);
    const out = layout.names.indexOf('Wout');
    const before = (await engine.getWeights()).values[out];
    engine.run(20);
    const after = (await engine.getWeights()).values[out];
    // Wout is [1, H, 2]: even entries feed μ, odd ones σ².
    let muMoved = 0;
    after.forEach((v, i) => {
      if (i % 2 === 1) expect(v).toBe(before[i]);
      else muMoved += Math.abs(v - before[i]);
    });
    expect(muMoved).toBeGreaterThan(0);
    engine.run(1);
    const nllPhase = (await engine.getWeights()).values[out];
    expect(nllPhase.some((v, i) => i % 2 === 1 && v !== before[i])).toBe(true);
    engine.dispose();
  });

  it('a hyperparameter change takes effect on the next step, without a reset', async () => {
    const base = new Engine(POINTS, SPEC, [modelSpec('robust-nll', { T: 16 })], { ...TRAIN, warmupMeanSteps: 0, warmupNllSteps: 0 });
    const changed = new Engine(POINTS, SPEC, [modelSpec('robust-nll', { T: 16 })], { ...TRAIN, warmupMeanSteps: 0, warmupNllSteps: 0 });
    base.run(10);
    changed.run(10);
    expect(maxDiff(await sliceOf(base, 0), await sliceOf(changed, 0))).toBe(0);
    changed.updateModel(0, { T: 0.5 });
    const weightsBefore = (await base.snapshot()).models[0].weight;
    const weightsAfter = (await changed.snapshot()).models[0].weight;
    expect(Math.max(...weightsAfter)).toBeGreaterThan(2 * Math.max(...weightsBefore));
    base.run(1);
    changed.run(1);
    expect(changed.step).toBe(11);
    expect(maxDiff(await sliceOf(base, 0), await sliceOf(changed, 0))).toBeGreaterThan(0);
    base.dispose();
    changed.dispose();
  });

  it('does not leak tensors: the count after 1500 steps equals the count after 100', async () => {
    const engine = new Engine(POINTS, SPEC, [modelSpec('robust-nll'), modelSpec('superloss-nll'), modelSpec('barron-adaptive'), modelSpec('faithful')], {
      ...TRAIN,
      architecture: { ...TRAIN.architecture, hidden: [4] },
    });
    engine.run(100);
    await engine.snapshot();
    const early = tf.memory().numTensors;
    for (let i = 0; i < 7; i++) {
      engine.run(200);
      engine.updateModel(0, { T: 1 + i });
      await engine.snapshot();
    }
    expect(tf.memory().numTensors).toBe(early);
    engine.dispose();
  });

  it('pauses a diverging model alone, says why, and lets the user reset it', async () => {
    // Plain SGD at learning rate 1e6 (Adam's steps are bounded by lr, so it would merely wander).
    const engine = new Engine(POINTS, SPEC, [modelSpec('nll', { lrScale: 1e8 }), modelSpec('nll')], {
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
    engine.updateModel(0, { lrScale: 1 });
    engine.resetModel(0);
    engine.run(3);
    const reset = await engine.snapshot();
    expect(reset.models[0].status).toBe('training');
    expect(reset.models[0].steps).toBe(3);
    expect(Number.isFinite(reset.models[0].metrics.rmse)).toBe(true);
    engine.dispose();
  });

  it('resetting one model restores its initial weights and leaves the others alone; duplicating copies weights', async () => {
    const specs = [modelSpec('nll', { initSeed: 3 }), modelSpec('mse', { initSeed: 4 })];
    const engine = new Engine(POINTS, SPEC, specs, TRAIN);
    const init0 = await sliceOf(engine, 0);
    engine.run(10);
    const trained1 = await sliceOf(engine, 1);
    engine.resetModel(0);
    expect(maxDiff(await sliceOf(engine, 0), init0)).toBe(0);
    expect(maxDiff(await sliceOf(engine, 1), trained1)).toBe(0);
    engine.restack([0, 1, 1], [specs[0], specs[1], modelSpec('robust-mse', { initSeed: 4 })]);
    expect(maxDiff(await sliceOf(engine, 2), trained1)).toBe(0);
    expect(engine.modelCount).toBe(3);
    engine.dispose();
  });

  it('trains separate mean and variance networks (two towers, tanh) as well as a shared trunk', async () => {
    const arch = { hidden: [8, 8], activation: 'tanh' as const, shared: false, varianceFloor: 1e-6 };
    const engine = new Engine(POINTS, SPEC, [modelSpec('nll'), modelSpec('faithful')], { ...TRAIN, architecture: arch });
    const first = await engine.snapshot();
    engine.run(60);
    const later = await engine.snapshot();
    later.models.forEach((m, k) => expect(m.metrics.rmse).toBeLessThan(first.models[k].metrics.rmse));
    expect(paramLayout(arch, 1).names.filter((n) => n.startsWith('var.')).length).toBe(6);
    engine.dispose();
  });

  it('snapshots carry what the views need, with metrics against the truth', async () => {
    const engine = new Engine(POINTS, SPEC, [modelSpec('robust-nll')], TRAIN);
    const snap = await engine.snapshot();
    const m = snap.models[0];
    expect(snap.grid.length).toBeGreaterThanOrEqual(200);
    expect(m.mu.length).toBe(snap.grid.length);
    expect(m.sigma.length).toBe(snap.grid.length);
    expect(m.weight.length).toBe(POINTS.x.length);
    // Relative weights average to 1 over the training set.
    expect(m.weight.reduce((a, b) => a + b, 0) / m.weight.length).toBeCloseTo(1, 3);
    for (const v of Object.values(m.metrics)) expect(Number.isFinite(v)).toBe(true);
    engine.dispose();
  });
});
