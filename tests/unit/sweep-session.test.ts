// A sweep's own trainer session: 64 cells in one stack (the page's session stops at 8 models / 32 networks),
// frames of the fit metrics alone (no curves, no per-point arrays), and the same metrics as a full frame.
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { tf } from '../../src/core/tf';
import { Engine } from '../../src/core/engine';
import { DEFAULT_TRAIN, modelSpec } from '../../src/core/config';
import { defaultDataSpec, makePoints } from '../../src/core/datasets';
import { sweepConfig, sweepGrids, type SweepSpec } from '../../src/core/sweep';
import { TrainerSession, type SessionPlatform } from '../../src/worker/session';
import type { Frame } from '../../src/worker/protocol';

const DATA = { ...defaultDataSpec('beta-sine'), n: 100 };
const TRAIN = {
  ...DEFAULT_TRAIN,
  batchSize: 20,
  warmupMeanSteps: 0,
  warmupNllSteps: 0,
  architecture: { ...DEFAULT_TRAIN.architecture, hidden: [4] },
};
const eight = [0, 1, 2, 3, 4, 5, 6, 7];
const SEEDS: SweepSpec = {
  data: DATA,
  train: TRAIN,
  base: modelSpec('nll'),
  x: { setting: 'initSeed', values: eight },
  y: { setting: 'initSeed', values: eight.map((v) => 8 * v) },
  metric: 'rmse',
};

beforeAll(async () => {
  await useNodeBackend('cpu');
});

const platform: SessionPlatform = {
  initBackend: async () => ({ backend: 'cpu', notes: [] }) as never,
  makeFused: () => null,
  deviceLost: () => null,
  isDeviceError: () => false,
  backendChanged: () => undefined,
  loseDevice: () => false,
  memory: () => ({ numTensors: tf.memory().numTensors, gpuBuffers: null }),
};

function session(): { s: TrainerSession; frames: Frame[] } {
  const frames: Frame[] = [];
  const s = new TrainerSession(platform, { frame: (f) => frames.push(f), status: () => undefined });
  return { s, frames };
}

describe('the sweep session', () => {
  it('trains 64 cells in one stack; the page’s session refuses them', async () => {
    const cfg = sweepConfig(SEEDS);
    const page = session();
    await expect(page.s.start(cfg, { autoplay: false })).rejects.toThrow(/64 models: the page trains at most 8/);
    const sweep = session();
    await sweep.s.start(cfg, { autoplay: false, sweep: true });
    await sweep.s.step(5);
    const last = sweep.frames.at(-1)!;
    expect(last.snapshot.step).toBe(5);
    expect(last.snapshot.models).toHaveLength(64);
    // Metrics only: no curves and no per-point arrays cross; every cell has its figure.
    expect(
      last.snapshot.models.every((m) => m.mu.length === 0 && m.sampleLoss.length === 0 && m.uncertainty === null),
    ).toBe(true);
    const [grid] = sweepGrids(SEEDS, last.snapshot);
    expect(grid.status.flat().every((st) => st === 'ok')).toBe(true);
    await expect(sweep.s.setModels([...cfg.models, modelSpec('nll', { id: 'extra' })])).rejects.toThrow(
      /65 models: a sweep trains at most 64/,
    );
  }, 60_000);

  it('a metrics-only frame gives the same fit metrics as a full one', async () => {
    const spec: SweepSpec = {
      ...SEEDS,
      x: { setting: 'learningRate', values: [1e-3, 3e-2] },
      y: { setting: 'beta', values: [0.5] },
      compare: 'beta-nll',
    };
    const cfg = sweepConfig(spec);
    const points = makePoints(cfg.data);
    const full = new Engine(points, cfg.data, cfg.models, cfg.train);
    const lean = new Engine(points, cfg.data, cfg.models, cfg.train, undefined, { metricsOnly: true });
    full.run(20);
    lean.run(20);
    const a = (await full.frame(false)).snapshot;
    const b = (await lean.frame(false)).snapshot;
    for (let k = 0; k < a.models.length; k++) {
      for (const key of ['rmse', 'sigmaError', 'nll', 'trainLoss'] as const)
        expect(b.models[k].metrics[key]).toBeCloseTo(a.models[k].metrics[key], 5);
    }
    expect(a.models[0].mu.length).toBe(200);
    expect(b.models[0].mu.length).toBe(0);
    full.dispose();
    lean.dispose();
  }, 60_000);
});
