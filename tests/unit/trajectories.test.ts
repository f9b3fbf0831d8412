// Trajectories: K models, each on its own data, init and batch order, in one stacked run. Each must equal an
// engine run of its own data alone (the same step), and a state handed over mid-way must continue it exactly.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN, modelSpec, type TrainSettings } from '../../src/core/config';
import { defaultDataSpec, makePoints } from '../../src/core/datasets';
import { Engine } from '../../src/core/engine';
import { Trajectories, type Trajectory } from '../../src/core/trajectories';
import { useNodeBackend } from '../../src/platform/node';

beforeAll(async () => {
  await useNodeBackend('wasm');
});

const TRAIN: TrainSettings = {
  ...DEFAULT_TRAIN,
  batchSize: 32,
  warmupMeanSteps: 6,
  warmupNllSteps: 6,
  architecture: { hidden: [12], activation: 'relu', shared: true, varianceFloor: 1e-6 },
};
const TRAJ: Trajectory[] = [1, 2, 3].map((s) => ({
  data: { ...defaultDataSpec('hetero-sine'), n: 120, seed: s },
  batchSeed: 10 + s,
  spec: modelSpec(['robust-nll', 'clipped-nll', 'tilted-nll'][s - 1], { id: `t${s}`, T: 2, initSeed: 20 + s }),
}));

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('trajectories in one stacked run', () => {
  it('each trajectory equals an engine run of its own data, init and batch seed', async () => {
    const run = new Trajectories(TRAJ, TRAIN);
    run.run(24);
    const state = await run.exportState();
    const metrics = await run.metrics();
    run.dispose();
    for (const [k, t] of TRAJ.entries()) {
      const engine = new Engine(makePoints(t.data), t.data, [t.spec], { ...TRAIN, batchSeed: t.batchSeed });
      engine.run(24);
      const alone = await engine.exportState();
      const snap = await engine.snapshot();
      engine.dispose();
      expect(maxDiff(state.models[k].params, alone.models[0].params), t.spec.loss).toBeLessThan(1e-5);
      expect(maxDiff(state.models[k].params, new Float32Array(alone.models[0].params.length))).toBeGreaterThan(1e-2);
      expect(state.models[k].t).toBe(24);
      expect(metrics[k].rmse).toBeCloseTo(snap.models[0].metrics.rmse, 4);
      expect(metrics[k].sigmaError).toBeCloseTo(snap.models[0].metrics.sigmaError, 4);
      expect(metrics[k].finite).toBe(true);
    }
    // Different data, inits and batches: the trajectories differ.
    expect(maxDiff(state.models[0].params, state.models[1].params)).toBeGreaterThan(1e-2);
  });

  it('a state exported mid-way continues the trajectories exactly (branching after a shared warm-up)', async () => {
    const straight = new Trajectories(TRAJ, TRAIN);
    straight.run(20);
    const end = await straight.exportState();
    straight.dispose();
    const first = new Trajectories(TRAJ, TRAIN);
    first.run(9);
    const mid = await first.exportState();
    first.dispose();
    const second = new Trajectories(TRAJ, TRAIN, mid);
    expect(second.step).toBe(9);
    second.run(11);
    const resumed = await second.exportState();
    second.dispose();
    resumed.models.forEach((m, k) => expect(maxDiff(m.params, end.models[k].params)).toBe(0));
  });

  it('refuses trajectories on different data sets or sizes, and SuperLoss, with a message', () => {
    expect(() => new Trajectories([TRAJ[0], { ...TRAJ[1], data: { ...TRAJ[1].data, n: 50 } }], TRAIN)).toThrow(
      /same data set and N/,
    );
    expect(() => new Trajectories([{ ...TRAJ[0], spec: modelSpec('superloss-nll', { id: 's' }) }], TRAIN)).toThrow(
      /SuperLoss/,
    );
  });
});
