// parseRunFile against mutated exports (issue 15): one real export from an Engine on the cpu backend, built
// once; each case changes random paths (type swaps, nulls, huge numbers, truncated or grown arrays, deleted
// keys) or cuts and flips the text. It returns a file whose state fits its own configuration, or throws an
// Error with a message; never any other exception.
import fc from 'fast-check';
import { editAt } from './fuzz-edits';
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { Engine } from '../../src/core/engine';
import { DEFAULT_TRAIN, modelSpec, withIds, type RunConfig } from '../../src/core/config';
import { defaultDataSpec, makePoints } from '../../src/core/datasets';
import { parseRunFile, runFileJson, type RunFile } from '../../src/core/exportFile';
import { LIMITS, MAX_COUNTER } from '../../src/core/messages';
import { fileRunConfigSchema, toJson } from '../../src/core/schema';
import { stateMismatch } from '../../src/core/state';
import { expandMembers } from '../../src/core/members';

const DATA = { ...defaultDataSpec('hetero-sine'), n: 12 };
const POINTS = makePoints(DATA);
const TRAIN = {
  ...DEFAULT_TRAIN,
  warmupMeanSteps: 0,
  warmupNllSteps: 0,
  batchSize: 4,
  architecture: { ...DEFAULT_TRAIN.architecture, hidden: [2] },
};
const CONFIG: RunConfig = {
  data: DATA,
  models: withIds([modelSpec('nll'), modelSpec('robust-nll', { T: 4 })]),
  train: TRAIN,
};

let TEXT = '';
let BASE: Record<string, unknown> = {};
let PATHS: (string | number)[][] = [];

function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}

beforeAll(async () => {
  await useNodeBackend('cpu');
  const engine = new Engine(POINTS, DATA, CONFIG.models, TRAIN);
  engine.run(5);
  const { snapshot, state } = await engine.frame(true);
  engine.dispose();
  TEXT = runFileJson({
    config: CONFIG,
    points: POINTS,
    imported: false,
    state: state!,
    snapshot,
    history: [{ step: 5, models: [{ id: 'm1', rmse: 1 }] }],
  });
  BASE = JSON.parse(TEXT);
  PATHS = paths(BASE).filter((p) => p.length > 0);
});

let accepted = 0;

/** The invariant every text must satisfy. */
function check(text: string): void {
  let f: RunFile;
  try {
    f = parseRunFile(text);
  } catch (e) {
    if (!(e instanceof Error) || e.constructor !== Error)
      throw new Error(
        `parseRunFile threw ${String(e)} (${(e as object)?.constructor?.name}) on ${text.slice(0, 200)}`,
        {
          cause: e,
        },
      );
    expect(e.message.length).toBeGreaterThan(0);
    return;
  }
  accepted++;
  // The state holds every ensemble member (members.ts).
  expect(stateMismatch(f.state, f.config.train.architecture, expandMembers(f.config.models))).toBeNull();
  expect(f.points.y.length).toBe(f.points.x.length);
  expect(f.points.isOutlier.length).toBe(f.points.x.length);
  expect(f.points.x.length).toBeGreaterThanOrEqual(2);
  expect(f.config.models.length).toBeLessThanOrEqual(LIMITS.maxFileModels);
  for (let i = 0; i < f.points.x.length; i++)
    expect(Number.isFinite(f.points.x[i]) && Number.isFinite(f.points.y[i])).toBe(true);
  // Issue 24: every scalar within its bound, and a state every path holds alike (u32 counters, t ≥ 1 with
  // moments, v ≥ 0, τ finite for a model that trains).
  expect(fileRunConfigSchema.safeParse(JSON.parse(toJson(f.config))).success).toBe(true);
  expect(Number.isInteger(f.state.step) && f.state.step >= 0 && f.state.step <= MAX_COUNTER).toBe(true);
  for (const m of f.state.models) {
    for (const c of [m.t, m.steps, m.tauCount]) expect(Number.isInteger(c) && c >= 0 && c <= MAX_COUNTER).toBe(true);
    if (m.diverged !== null) continue;
    expect(Number.isFinite(m.tau)).toBe(true);
    expect(m.v.every((x) => x >= 0)).toBe(true);
    if (m.t === 0) expect(m.m.every((x) => x === 0) && m.v.every((x) => x === 0)).toBe(true);
  }
}

const value = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    '',
    'x',
    'Infinity',
    '-Infinity',
    'rm -rf',
    0,
    -1,
    -0.5,
    0.5,
    1.5,
    1e39,
    1e308,
    -1e308,
    1e-300,
    2 ** 32,
    2 ** 32 + 1,
    2 ** 53 + 2,
    1e-40,
    [],
    {},
    [null],
    [1e308],
    [-0.5],
    { x: [] },
  ),
  fc.double(),
  fc.integer(),
);

/** 1–4 random paths replaced, deleted, or their arrays truncated or grown. */
const mutated = fc
  .array(fc.tuple(fc.nat(), fc.constantFrom('set', 'delete', 'truncate', 'grow', 'swap'), value), {
    minLength: 1,
    maxLength: 4,
  })
  .map((edits) => {
    const obj = JSON.parse(TEXT) as Record<string | number, unknown>;
    for (const [pick, kind, v] of edits) {
      editAt(obj, PATHS[pick % PATHS.length], kind, v, (arr) => arr.push(structuredClone(arr[arr.length - 1] ?? null)));
    }
    return JSON.stringify(obj);
  });

/** The text cut short, or with characters flipped. */
const cut = fc.nat().map((n) => TEXT.slice(0, n % TEXT.length));
const flipped = fc
  .array(fc.tuple(fc.nat(), fc.constantFrom('0', '9', '-', 'e', '"', ',', ']', '}', 'n', '.')), {
    minLength: 1,
    maxLength: 3,
  })
  .map((edits) => {
    let s = TEXT;
    for (const [at, c] of edits) {
      const i = at % s.length;
      s = s.slice(0, i) + c + s.slice(i + 1);
    }
    return s;
  });

describe('file fuzz', () => {
  it('the base export parses', () => {
    check(TEXT);
    expect(parseRunFile(TEXT).config.models).toHaveLength(2);
  });

  it('a point beyond float32 range is refused, not stored as ±Infinity (the fuzz found it)', () => {
    const f = JSON.parse(TEXT);
    f.data.x[0] = -3.4028235677973366e38;
    expect(() => parseRunFile(JSON.stringify(f))).toThrow(
      /data\.x\.0: a point's x or y = .*must be a number in \[-1000000000, 1000000000\]/,
    );
  });

  it('a RunFile whose state fits its configuration, or an Error with a message (10⁴ cases)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          { arbitrary: mutated, weight: 6 },
          { arbitrary: cut, weight: 1 },
          { arbitrary: flipped, weight: 2 },
          { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
        ),
        check,
      ),
      {
        numRuns: 10_000,
        seed: 20261124,
      },
    );
    // Harmless mutations (metrics, grid, history, createdAt) must still open: the fuzz is not all refusals.
    expect(accepted).toBeGreaterThan(500);
  });
});
