// The JSON file: a run round-trips exactly (state, diverged models as diverged), version-1 files migrate,
// and every inconsistency across fields is refused with the field named, before anything is applied.
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { Engine } from '../../src/core/engine';
import { DEFAULT_TRAIN, modelSpec, withIds, type RunConfig } from '../../src/core/config';
import { defaultDataSpec, makePoints } from '../../src/core/datasets';
import { firstModels, parseRunFile, runFileJson } from '../../src/core/exportFile';
import { LIMITS } from '../../src/core/messages';
import { TrainerSession } from '../../src/worker/session';
import { toJson } from '../../src/core/schema';
import { ZERO_BIAS_ARCHITECTURE } from '../../src/core/model';

const DATA = { ...defaultDataSpec('hetero-sine'), n: 60 };
const POINTS = makePoints(DATA);
const TRAIN = {
  ...DEFAULT_TRAIN,
  optimizer: 'sgd' as const,
  learningRate: 10,
  warmupMeanSteps: 0,
  warmupNllSteps: 0,
  architecture: { ...ZERO_BIAS_ARCHITECTURE, hidden: [4] },
};
// Model 1 diverges (SGD at the largest learning rate a file may set, 10 × 100), model 2 trains normally (10 × 1e-3).
const CONFIG: RunConfig = {
  data: DATA,
  models: withIds([modelSpec('nll', { lrScale: 100 }), modelSpec('robust-nll', { T: 4, lrScale: 1e-3 })]),
  train: TRAIN,
};

beforeAll(async () => {
  await useNodeBackend('cpu');
});

async function exported(): Promise<string> {
  const engine = new Engine(POINTS, DATA, CONFIG.models, TRAIN);
  engine.run(15);
  const { snapshot, state } = await engine.frame(true);
  engine.dispose();
  return runFileJson({
    config: CONFIG,
    points: POINTS,
    imported: false,
    state: state!,
    snapshot,
    history: [{ step: 15, models: [{ id: 'm1', rmse: 1 }] }],
  });
}

describe('the run file', () => {
  it('round-trips the exact state; a diverged model comes back diverged with its non-finite weights, not as zeros (bug 14)', async () => {
    const text = await exported();
    const f = parseRunFile(text);
    expect(f.config.models.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(f.state.models[0].diverged).toMatch(/diverged/);
    expect(f.state.models[0].params.some((v) => Number.isNaN(v))).toBe(true);
    expect(f.state.models[1].diverged).toBeNull();
    expect(f.state.models[1].params.every(Number.isFinite)).toBe(true);
    expect(f.state.models[1].t).toBe(0); // SGD keeps no Adam count
    // And the parsed state loads into a new engine as it was.
    const engine = new Engine(f.points, DATA, f.config.models, f.config.train, f.state);
    const again = await engine.exportState();
    engine.dispose();
    expect(Array.from(again.models[1].params)).toEqual(Array.from(f.state.models[1].params));
    expect(again.models[0].diverged).toBe(f.state.models[0].diverged);
  });

  it('opens a version-1 file (parameters only): Adam restarts with t = 0, model ids by position, and says so', async () => {
    const v2 = JSON.parse(await exported());
    const v1 = {
      ...v2,
      version: 1,
      state: undefined,
      config: { ...v2.config, models: v2.config.models.map(({ id: _id, ...m }: { id: string }) => m) },
      models: v2.models.map((m: object, k: number) => ({ ...m, id: undefined, weights: v2.state.models[k].params })),
    };
    const f = parseRunFile(toJson(v1));
    expect(f.migrated).toMatch(/version-1/);
    expect(f.config.models.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(f.state.models.map((m) => [m.t, m.m.every((x) => x === 0)])).toEqual([
      [0, true],
      [0, true],
    ]);
    expect(f.state.models[0].diverged).toMatch(/diverged/);
  });

  it('refuses inconsistent files with the field named (bug 8: the five variants of REVIEW probe P5, and more)', async () => {
    const good = JSON.parse(await exported());
    const variants: [string, (f: typeof good) => void, RegExp][] = [
      [
        'one model fewer than the configuration',
        (f) => f.state.models.pop(),
        /state has 1 models; the configuration has 2/,
      ],
      [
        'truncated weights',
        (f) => (f.state.models[1].params = f.state.models[1].params.slice(1)),
        /params has \d+ values; the architecture needs/,
      ],
      ['null in data.x', (f) => (f.data.x[3] = null), /data\.x\.3/],
      ['y shorter than x', (f) => f.data.y.pop(), /equal lengths/],
      ['an unknown loss', (f) => (f.config.models[0].loss = 'rm -rf'), /config\.models\.0\.loss: unknown loss/],
      ['views of another loss', (f) => (f.models[1].loss = 'mse'), /models\.1\.loss: mse in the views but robust-nll/],
      ['ids that do not match', (f) => (f.state.models[0].id = 'zz'), /model 1 is zz in the state but m1/],
      [
        'NaN weights on a model said to train',
        (f) => (f.state.models[1].params[0] = null),
        /not finite, yet the model is not marked diverged/,
      ],
      ['T below the bound', (f) => (f.config.models[1].T = 1e-40), /T must be at least 0\.001/],
      [
        'more points than the page trains (a file of 20 001)',
        (f) => {
          const n = LIMITS.maxPoints + 1;
          f.data = {
            ...f.data,
            x: Array.from({ length: n }, (_, i) => i / n),
            y: Array(n).fill(0),
            isOutlier: Array(n).fill(0),
          };
        },
        /data: 20001 points: the page trains on at most 20000/,
      ],
      ['not JSON', () => undefined, /not JSON/],
    ];
    for (const [what, mutate, message] of variants) {
      const f = structuredClone(good);
      mutate(f);
      const text = what === 'not JSON' ? '{"format": ' : JSON.stringify(f);
      expect(() => parseRunFile(text), what).toThrow(message);
    }
  });

  it('a file of 10 models (as reproduce writes) parses whole; its first 8 keep their ids, state and curves, in order', async () => {
    const models = withIds(
      Array.from({ length: 10 }, (_, k) => modelSpec(k % 2 ? 'robust-nll' : 'nll', { T: 4, initSeed: k + 1 })),
    );
    const config: RunConfig = { ...CONFIG, models };
    const engine = new Engine(POINTS, DATA, models, TRAIN);
    engine.run(5);
    const { snapshot, state } = await engine.frame(true);
    engine.dispose();
    const history = [
      { step: 5, models: models.map((m, k) => ({ id: m.id, rmse: k })) },
      { step: 1, models: models.map((_, k) => ({ rmse: k })) },
    ];
    const f = parseRunFile(runFileJson({ config, points: POINTS, imported: false, state: state!, snapshot, history }));
    expect(f.config.models).toHaveLength(10);
    const first = firstModels(f, LIMITS.maxModels);
    expect(first.config.models.map((m) => m.id)).toEqual(models.slice(0, 8).map((m) => m.id));
    expect(first.state.models.map((m) => m.id)).toEqual(models.slice(0, 8).map((m) => m.id));
    first.state.models.forEach((m, k) => expect(Array.from(m.params)).toEqual(Array.from(f.state.models[k].params)));
    expect(first.state.step).toBe(f.state.step);
    // Curves: by id (version 2) or by position (version 1), never another model's.
    expect(first.history.map((h) => h.models.map((m) => m.rmse))).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [0, 1, 2, 3, 4, 5, 6, 7],
    ]);
    expect(firstModels(first, LIMITS.maxModels)).toBe(first);
    // The page's trainer refuses the whole file (nothing changes); the first 8 load and train.
    const session = new TrainerSession({
      initBackend: async () => ({ backend: 'cpu', notes: [] }),
      makeFused: () => null,
      deviceLost: () => null,
      isDeviceError: () => false,
      backendChanged() {},
      loseDevice: () => false,
      memory: () => ({ numTensors: 0, gpuBuffers: null }),
    });
    await session.start(CONFIG, { autoplay: false });
    await expect(
      session.importRun({ config: f.config, points: f.points, imported: false, state: f.state }),
    ).rejects.toThrow(/10 models: the page trains at most 8.*nothing was changed/);
    expect((await session.exportRun()).config.models.map((m) => m.id)).toEqual(['m1', 'm2']);
    await session.importRun({ config: first.config, points: first.points, imported: false, state: first.state });
    await session.step(3);
    const after = await session.exportRun();
    expect(after.config.models).toHaveLength(8);
    expect(after.state.models.every((m) => m.steps === 5 + 3)).toBe(true);
  });
});
