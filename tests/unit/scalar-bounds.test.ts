// Issue 24: every number a link or file can set has both ends, from one catalogue (messages.ts BOUNDS and
// CLASS_BOUNDS), chosen so the float32 data and the losses stay finite; a value beyond one is refused with a
// message naming the field and the range. And a file's training state is fully checked: counters that fit the
// fused path's u32 words, t ≥ 1 when Adam's moments are not zero, v ≥ 0, τ finite for a model that trains.
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { BOUNDS, CLASS_BOUNDS, MAX_COUNTER, type Bound } from '../../src/core/messages';
import { runConfigSchema, fileRunConfigSchema, toJson } from '../../src/core/schema';
import { parseClassConfig } from '../../src/core/classify/schema';
import { DEFAULT_CLASS_DATA } from '../../src/core/classify/data';
import { classModel, DEFAULT_CLASS_TRAIN } from '../../src/core/classify/spec';
import { validateDataSpec, defaultDataSpec, makePoints } from '../../src/core/datasets';
import { DEFAULT_TRAIN, modelSpec, withIds, type RunConfig } from '../../src/core/config';
import { Engine } from '../../src/core/engine';
import { parseRunFile, runFileJson } from '../../src/core/exportFile';
import { LESSONS } from '../../src/app/lessons';
import { parseHash, toHash } from '../../src/app/urlState';

beforeAll(async () => {
  await useNodeBackend('cpu');
});

/** A configuration with every optional number present (a model's own warm-up, ω, an ensemble, a held-out share). */
const FULL = JSON.parse(
  toJson({
    ...LESSONS[0].config,
    models: LESSONS[0].config.models.map((m, k) =>
      k === 0 ? { ...m, warmup: { meanSteps: 10, nllSteps: 10 }, initScale: 3, ensemble: 2 } : m,
    ),
    train: {
      ...LESSONS[0].config.train,
      heldOut: { share: 0.2, seed: 1 },
      architecture: { ...LESSONS[0].config.train.architecture, initScale: 3 },
    },
  }),
) as Record<string, unknown>;

const CLASS_FULL = JSON.parse(
  JSON.stringify({
    data: DEFAULT_CLASS_DATA,
    models: [classModel('alum'), classModel('gce'), classModel('superloss-ce')],
    train: DEFAULT_CLASS_TRAIN,
  }),
) as Record<string, unknown>;

/** Every numeric leaf of a JSON value, as a path. */
function numericPaths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof v === 'number') return [prefix];
  if (Array.isArray(v)) return v.flatMap((x, i) => numericPaths(x, [...prefix, i]));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => numericPaths(x, [...prefix, k]));
  return [];
}

function setAt(obj: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(obj) as Record<string | number, unknown>;
  let at = copy;
  path.slice(0, -1).forEach((k) => (at = at[k] as Record<string | number, unknown>));
  at[path[path.length - 1]] = value;
  return copy;
}

describe('every scalar has both ends', () => {
  it('no number of a link or file accepts a value beyond float32 (±1e39) or ±1e300 (regression: every leaf of a full configuration)', () => {
    const paths = numericPaths(FULL);
    expect(paths.length).toBeGreaterThan(30);
    for (const path of paths) {
      for (const v of [1e39, -1e39, 1e300, -1e300]) {
        const r = fileRunConfigSchema.safeParse(setAt(FULL, path, v));
        expect(r.success, `${path.join('.')} = ${v}`).toBe(false);
      }
    }
  });

  it('the same for the classification configuration', () => {
    const paths = numericPaths(CLASS_FULL);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      for (const v of [1e39, -1e39, 1e300, -1e300])
        expect('error' in parseClassConfig(setAt(CLASS_FULL, path, v)), `${path.join('.')} = ${v}`).toBe(true);
    }
  });

  it('a positive scale never accepts a value float32 rounds to 0 (c, λ, ν, the learning rate and its factor, q, SuperLoss’s λ)', () => {
    const model = (k: string) => ['models', 0, k];
    for (const path of [model('c'), model('lambda'), model('nu'), model('lrScale'), ['train', 'learningRate']])
      expect(fileRunConfigSchema.safeParse(setAt(FULL, path, 1e-300)).success, path.join('.')).toBe(false);
    for (const path of [
      ['models', 1, 'q'],
      ['models', 2, 'slLambda'],
      ['train', 'learningRate'],
    ])
      expect('error' in parseClassConfig(setAt(CLASS_FULL, path, 1e-300)), path.join('.')).toBe(true);
  });

  it('the issue’s values: noise = 1e39 and outlierScale = 1e300 are refused in a link with the field and the range named; c, ν, λ = 1e-300 too', () => {
    const open = (patch: (c: RunConfig) => RunConfig) =>
      parseHash(toHash({ config: patch(LESSONS[0].config), lessonId: null }));
    const noise = open((c) => ({ ...c, data: { ...c.data, noise: 1e39 } }));
    expect(noise.error).toContain('data.noise: noise × = 1e+39: noise × must be a number in [0, 1000]');
    expect(open((c) => ({ ...c, data: { ...c.data, outlierScale: 1e300 } })).error).toContain(
      'outlier size must be a number in [0, 1000]',
    );
    for (const [k, label] of [
      ['c', 'c'],
      ['nu', 'ν'],
      ['lambda', 'λ'],
    ] as const) {
      const r = open((c) => ({ ...c, models: c.models.map((m, j) => (j === 0 ? { ...m, [k]: 1e-300 } : m)) }));
      expect(r.error, k).toContain(`models.0.${k}: ${label} = 1e-300: ${label} must be a number in [`);
    }
    // The worker's own check of a data spec says the same.
    expect(() => validateDataSpec({ ...LESSONS[0].config.data, noise: 1e39 })).toThrow(
      'noise × must be a number in [0, 1000]',
    );
  });

  it('each bound of the catalogue: both ends accepted, just beyond each refused, with its reason in the message', () => {
    const cases: [Bound, (string | number)[]][] = [
      [BOUNDS.noise, ['data', 'noise']],
      [BOUNDS.outlierScale, ['data', 'outlierScale']],
      [BOUNDS.T, ['models', 0, 'T']],
      [BOUNDS.alpha, ['models', 0, 'alpha']],
      [BOUNDS.c, ['models', 0, 'c']],
      [BOUNDS.lambda, ['models', 0, 'lambda']],
      [BOUNDS.tau, ['models', 0, 'tau']],
      [BOUNDS.nu, ['models', 0, 'nu']],
      [BOUNDS.lrScale, ['models', 0, 'lrScale']],
      [BOUNDS.learningRate, ['train', 'learningRate']],
      [BOUNDS.warmupSteps, ['train', 'warmupNllSteps']],
      [BOUNDS.warmupSteps, ['models', 0, 'warmup', 'meanSteps']],
    ];
    for (const [b, path] of cases) {
      expect(b.why.length, b.label).toBeGreaterThan(20);
      for (const v of [b.min, b.max])
        expect(runConfigSchema.safeParse(setAt(FULL, path, v)).success, `${path.join('.')} = ${v}`).toBe(true);
      for (const v of [b.min - Math.max(1e-9, Math.abs(b.min) * 0.01), b.max * 1.01 + 1e-9]) {
        const r = runConfigSchema.safeParse(setAt(FULL, path, v));
        expect(r.success, `${path.join('.')} = ${v}`).toBe(false);
        expect(r.error!.issues[0].message).toContain(`[${b.min}, ${b.max}]`);
      }
    }
    for (const [b, path] of [
      [CLASS_BOUNDS.q, ['models', 1, 'q']],
      [CLASS_BOUNDS.slLambda, ['models', 2, 'slLambda']],
      [CLASS_BOUNDS.learningRate, ['train', 'learningRate']],
      [CLASS_BOUNDS.T, ['models', 0, 'T']],
      [CLASS_BOUNDS.seed, ['data', 'seed']],
    ] as [Bound, (string | number)[]][]) {
      for (const v of [b.min, b.max])
        expect('config' in parseClassConfig(setAt(CLASS_FULL, path, v)), `${path.join('.')} = ${v}`).toBe(true);
      const r = parseClassConfig(setAt(CLASS_FULL, path, b.max * 2));
      expect('error' in r && r.error, path.join('.')).toContain(`${path.join('.')}: ${b.label}`);
    }
  });
});

describe("a file's training state is fully checked", () => {
  const DATA = { ...defaultDataSpec('hetero-sine'), n: 40 };
  const CONFIG: RunConfig = {
    data: DATA,
    models: withIds([modelSpec('superloss-nll', { tauMode: 'running' }), modelSpec('nll')]),
    train: {
      ...DEFAULT_TRAIN,
      warmupMeanSteps: 0,
      warmupNllSteps: 0,
      architecture: { ...DEFAULT_TRAIN.architecture, hidden: [4] },
    },
  };
  let base: { state: { step: number; models: Record<string, unknown>[] } } & Record<string, unknown>;

  beforeAll(async () => {
    const points = makePoints(DATA);
    const engine = new Engine(points, DATA, CONFIG.models, CONFIG.train);
    engine.run(5);
    const { snapshot, state } = await engine.frame(true);
    engine.dispose();
    base = JSON.parse(runFileJson({ config: CONFIG, points, imported: false, state: state!, snapshot, history: [] }));
  });

  const tampered = (edit: (f: typeof base) => void) => {
    const f = structuredClone(base);
    edit(f);
    return () => parseRunFile(JSON.stringify(f));
  };

  it('the untouched export opens', () => {
    expect(() => tampered(() => undefined)()).not.toThrow();
  });

  it('τ = null (NaN) for a model that trains is refused', () => {
    expect(tampered((f) => (f.state.models[0].tau = null))).toThrow(
      /model m1: τ is NaN, yet the model is not marked diverged/,
    );
  });

  it('a negative second moment is refused (√v of a negative)', () => {
    expect(tampered((f) => ((f.state.models[1].v as number[])[3] = -0.5))).toThrow(
      /model m2: v\[3\] = -0.5 is negative/,
    );
  });

  it("t = 0 with moments that are not zero is refused (Adam's bias correction divides by 1 − βᵗ)", () => {
    expect(tampered((f) => (f.state.models[1].t = 0))).toThrow(/model m2: Adam's t is 0 but its moments are not zero/);
  });

  it('counters beyond u32 (2³² + 1 would become 1 on the fused path) are refused: t, steps, tauCount, the global step', () => {
    const big = MAX_COUNTER + 2;
    for (const key of ['t', 'steps', 'tauCount'] as const)
      expect(
        tampered((f) => (f.state.models[0][key] = big)),
        key,
      ).toThrow(/a whole number from 0 to 4294967295/);
    expect(tampered((f) => (f.state.step = big))).toThrow(/state\.step: .*0 to 4294967295/);
    // At the end of the range, they load.
    expect(
      tampered((f) => ((f.state.models[0].steps = MAX_COUNTER), (f.state.models[0].t = MAX_COUNTER))),
    ).not.toThrow();
  });

  it('a diverged model keeps what it had: NaN τ and any moments are accepted there', () => {
    expect(
      tampered((f) => {
        f.state.models[0].diverged = 'superloss-nll diverged';
        f.state.models[0].tau = null;
        (f.state.models[0].v as number[])[0] = -1;
      }),
    ).not.toThrow();
  });
});
