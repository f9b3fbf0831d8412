// The fused trainer's host side through Dawn (skipped without an adapter): no GPU buffer made after start-up,
// one pipeline per device and shape, the hyper buffer written only when a spec changes, live loss changes
// without state loss, divergence freezing a model, unsupported settings refused with a reason, no read
// after dispose.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN, modelSpec, type TrainSettings } from '../../src/core/config';
import { defaultDataSpec, makePoints } from '../../src/core/datasets';
import { freshState } from '../../src/core/state';
import { FusedTrainer, fusedUnsupported } from '../../src/fused/fused';
import { testDevice } from './fused-harness';

const POINTS = makePoints({ ...defaultDataSpec('hetero-sine'), n: 200 });
const TRAIN: TrainSettings = {
  ...DEFAULT_TRAIN,
  batchSize: 32,
  warmupMeanSteps: 3,
  warmupNllSteps: 3,
  architecture: { ...DEFAULT_TRAIN.architecture, hidden: [16] },
};
const SPECS = [
  modelSpec('nll', { id: 'm1', initSeed: 1 }),
  modelSpec('superloss-mse', { id: 'm2', initSeed: 2, tauMode: 'running' }),
  modelSpec('robust-barron-adaptive', { id: 'm3', initSeed: 3 }),
];

let device: GPUDevice | null = null;
beforeAll(async () => {
  device = await testDevice();
  if (!device) console.warn('SKIPPED fused host tests: no WebGPU adapter in Node');
});

function fresh(train = TRAIN, specs = SPECS): FusedTrainer {
  return new FusedTrainer(device!, POINTS, specs, train, freshState(train.architecture, specs));
}

describe('FusedTrainer host', () => {
  it('makes no GPU buffer and no pipeline after start-up; writes hyperparameters only when they change', async () => {
    if (!device) return;
    const d = device;
    const first = fresh();
    first.run(2);
    await first.readState();
    const counts = { buffers: 0, pipelines: 0, hyperWrites: 0 };
    const createBuffer = d.createBuffer.bind(d);
    const createComputePipeline = d.createComputePipeline.bind(d);
    const writeBuffer = d.queue.writeBuffer.bind(d.queue);
    d.createBuffer = (desc) => (counts.buffers++, createBuffer(desc));
    d.createComputePipeline = (desc) => (counts.pipelines++, createComputePipeline(desc));
    try {
      // Same device and shape: the pipeline is the cached one.
      const trainer = fresh();
      const hyper = (trainer as unknown as { hyperBuffer: GPUBuffer }).hyperBuffer;
      d.queue.writeBuffer = ((buffer: GPUBuffer, ...rest: unknown[]) => {
        if (buffer === hyper) counts.hyperWrites++;
        return (writeBuffer as (...a: unknown[]) => void)(buffer, ...rest);
      }) as GPUQueue['writeBuffer'];
      expect(counts.pipelines).toBe(0);
      trainer.run(1);
      await trainer.readState();
      const afterStart = { ...counts };
      for (let i = 0; i < 30; i++) {
        trainer.run(1 + (i % 4));
        if (i % 3 === 0) await trainer.readState();
      }
      await trainer.readState();
      expect(counts.buffers - afterStart.buffers).toBe(0);
      expect(counts.pipelines).toBe(0);
      expect(afterStart.hyperWrites).toBe(1);
      expect(counts.hyperWrites).toBe(1);
      trainer.updateModel(0, { ...SPECS[0], lrScale: 0.5 });
      trainer.run(3);
      trainer.run(3);
      expect(counts.hyperWrites).toBe(2);
      trainer.dispose();
    } finally {
      d.createBuffer = createBuffer;
      d.createComputePipeline = createComputePipeline;
      d.queue.writeBuffer = writeBuffer;
      first.dispose();
    }
  });

  it('counts steps, t and τ per model; a live loss change keeps θ, m, v and t', async () => {
    if (!device) return;
    const trainer = fresh();
    trainer.run(10);
    expect(trainer.step).toBe(10);
    expect(trainer.modelSteps).toEqual([10, 10, 10]);
    const s10 = await trainer.readState();
    expect(s10.step).toBe(10);
    expect(s10.models.map((m) => [m.steps, m.t])).toEqual([
      [10, 10],
      [10, 10],
      [10, 10],
    ]);
    // SuperLoss's τ moves only in its own phase: steps 6..9 are 4 updates (running mean of the batch losses).
    expect(s10.models[1].tauCount).toBe(4);
    expect(s10.models[1].tau).not.toBe(SPECS[1].tau);
    expect(s10.models[0].tauCount).toBe(0);
    // The host's mirror (read without the device) says the same.
    expect(trainer.counters()).toEqual({
      t: s10.models.map((m) => m.t),
      tauCount: s10.models.map((m) => m.tauCount),
      diverged: [null, null, null],
    });
    trainer.updateModel(0, { ...SPECS[0], loss: 'robust-student-t' });
    const s10b = await trainer.readState();
    expect(s10b.models[0].params).toEqual(s10.models[0].params);
    expect(s10b.models[0].m).toEqual(s10.models[0].m);
    trainer.run(5);
    const s15 = await trainer.readState();
    expect(s15.models[0].t).toBe(15);
    expect(s15.models[0].params).not.toEqual(s10.models[0].params);
    trainer.dispose();
  });

  it('a diverged model takes no step: θ, m, v, t and steps freeze while the others go on', async () => {
    if (!device) return;
    const trainer = fresh();
    trainer.run(4);
    trainer.setDiverged(1, 'diverged at step 4');
    const before = await trainer.readState();
    trainer.run(6);
    const after = await trainer.readState();
    expect(after.step).toBe(10);
    expect(trainer.modelSteps).toEqual([10, 4, 10]);
    expect(after.models[1]).toEqual({ ...before.models[1] });
    expect(after.models[1].diverged).toBe('diverged at step 4');
    expect(after.models[0].steps).toBe(10);
    trainer.setDiverged(1, null);
    trainer.run(1);
    expect((await trainer.readState()).models[1].steps).toBe(5);
    trainer.dispose();
  });

  it('serialises overlapping reads and refuses to read or run after dispose', async () => {
    if (!device) return;
    const trainer = fresh();
    trainer.run(3);
    const [a, b] = await Promise.all([trainer.readState(), trainer.readState()]);
    expect(a.models[0].params).toEqual(b.models[0].params);
    trainer.run(1);
    const pending = trainer.readState();
    trainer.dispose();
    await expect(pending).rejects.toThrow(/disposed/);
    await expect(trainer.readState()).rejects.toThrow(/disposed/);
    expect(() => trainer.run(1)).toThrow(/disposed/);
  });

  it('says why a setting cannot take the fused path', () => {
    const arch = TRAIN.architecture;
    expect(fusedUnsupported(SPECS[0], TRAIN, 200)).toBeNull();
    expect(fusedUnsupported(SPECS[0], { ...TRAIN, architecture: { ...arch, hidden: [8, 8, 8, 8, 8] } }, 200)).toMatch(
      /at most 4 hidden layers/,
    );
    expect(fusedUnsupported(SPECS[0], { ...TRAIN, architecture: { ...arch, hidden: [300] } }, 200)).toMatch(/widths/);
    expect(fusedUnsupported(SPECS[0], { ...TRAIN, batchSize: 2000 }, 5000)).toMatch(/batch size/);
    expect(fusedUnsupported(SPECS[0], { ...TRAIN, batchSize: 6000 }, 5012)).toBeNull();
    expect(fusedUnsupported(modelSpec('barron', { alpha: Infinity }), TRAIN, 200)).toMatch(/α/);
    expect(fusedUnsupported(modelSpec('nope'), TRAIN, 200)).toMatch(/unknown loss/);
    if (!device) return;
    const trainer = fresh();
    expect(() => trainer.updateModel(0, modelSpec('barron', { id: 'm1', alpha: Infinity }))).toThrow(/α/);
    expect(() => trainer.updateModel(7, SPECS[0])).toThrow(/index/);
    trainer.dispose();
  });
});
