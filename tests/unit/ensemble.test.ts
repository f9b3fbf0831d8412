// Deep ensembles in the stack (members.ts, ensembleSnapshot.ts) and your own data's held-out share (split.ts):
// the ensemble's variance split against a direct forward pass of every member, its mixture metrics against
// calibration.ts by hand, the session's member bookkeeping, and the split deterministic, disjoint and exact.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { useNodeBackend } from '../../src/platform/node';
import { tf } from '../../src/core/tf';
import { Engine } from '../../src/core/engine';
import { DEFAULT_TRAIN, modelSpec, withIds, type RunConfig, type TrainSettings } from '../../src/core/config';
import { defaultDataSpec, inputScale, makeHeldOut, makePoints } from '../../src/core/datasets';
import { forward, paramLayout } from '../../src/core/model';
import { uncertaintyMetrics } from '../../src/core/calibration';
import { expandCopyFrom, expandMembers, groupMembers, memberTotal } from '../../src/core/members';
import { splitIndices, trainingPoints } from '../../src/core/split';
import { runConfigSchema } from '../../src/core/schema';
import { parseRunFile, runFileJson } from '../../src/core/exportFile';
import { TrainerSession, type SessionPlatform } from '../../src/worker/session';

const SPEC = { ...defaultDataSpec('hetero-sine'), n: 200 };
const POINTS = makePoints(SPEC);
const TRAIN: TrainSettings = {
  ...DEFAULT_TRAIN,
  batchSize: 64,
  warmupMeanSteps: 5,
  warmupNllSteps: 5,
  architecture: { ...DEFAULT_TRAIN.architecture, hidden: [12] },
};

beforeAll(async () => {
  expect(await useNodeBackend('wasm')).toBe('wasm');
});

/** μ and v of one member (its flattened parameters) at inputs xs, standardised as the evaluator does. */
function predict(
  flat: Float32Array,
  xs: ArrayLike<number>,
  scaleFrom: ArrayLike<number>,
): { mu: Float64Array; v: Float64Array } {
  const arch = TRAIN.architecture;
  let o = 0;
  const params = paramLayout(arch, 1).shapes.map((shape) =>
    tf.tensor(flat.slice(o, (o += shape.reduce((a, b) => a * b, 1))), shape),
  );
  const { mean, std } = inputScale(scaleFrom);
  const x = tf.tensor1d(Float32Array.from(xs, (v) => (v - mean) / std));
  const out = forward(params, arch, x);
  const r = { mu: Float64Array.from(out.mu.dataSync()), v: Float64Array.from(out.variance.dataSync()) };
  tf.dispose([...params, x, out.mu, out.variance]);
  return r;
}

describe('an ensemble of M in the stack', () => {
  it('expands into members with consecutive init seeds, member 1 keeping the id; groups back; copies member by member', () => {
    const specs = withIds([modelSpec('nll', { initSeed: 7, ensemble: 3 }), modelSpec('mse')]);
    const members = expandMembers(specs);
    expect(members.map((m) => [m.id, m.initSeed])).toEqual([
      ['m1', 7],
      ['m1~2', 8],
      ['m1~3', 9],
      ['m2', 1],
    ]);
    expect(memberTotal(specs)).toBe(4);
    expect(groupMembers(members).map((g) => [g.spec.id, g.members])).toEqual([
      ['m1', [0, 1, 2]],
      ['m2', [3]],
    ]);
    const next = [...specs, { ...specs[0], id: 'm3', ensemble: 2 }];
    expect(expandCopyFrom(specs, next, { m3: 'm1' })).toEqual({ m3: 'm1', 'm3~2': 'm1~2' });
  });

  it('its aleatoric (mean σ²), epistemic (var μ) and total variance equal a direct forward pass of every member; its mixture metrics equal calibration.ts', async () => {
    const specs = withIds([modelSpec('nll', { initSeed: 3, ensemble: 4 }), modelSpec('beta-nll', { initSeed: 11 })]);
    const engine = new Engine(POINTS, SPEC, expandMembers(specs), TRAIN);
    engine.run(40);
    const snap = await engine.snapshot();
    const state = await engine.exportState();
    engine.dispose();
    expect(snap.models.map((m) => m.id)).toEqual(['m1', 'm2']);
    const e = snap.models[0].ensemble!;
    expect(e.size).toBe(4);
    expect(snap.models[1].ensemble).toBeUndefined();
    // The view reaches 30 % of the domain beyond the data on each side: [−3, 13] for x ∈ [0, 10].
    expect(snap.grid[0]).toBeCloseTo(-3, 5);
    expect(snap.grid[snap.grid.length - 1]).toBeCloseTo(13, 5);
    const preds = state.models.slice(0, 4).map((m) => predict(m.params, snap.grid, POINTS.x));
    // The members differ (their seeds): the epistemic part is not zero.
    expect(Math.max(...e.epistemic)).toBeGreaterThan(1e-3);
    for (let i = 0; i < snap.grid.length; i++) {
      const mus = preds.map((p) => p.mu[i]);
      const mean = mus.reduce((a, b) => a + b, 0) / 4;
      const alea = preds.reduce((s, p) => s + p.v[i], 0) / 4;
      const epi = mus.reduce((s, m) => s + (m - mean) ** 2, 0) / 4;
      expect(snap.models[0].mu[i]).toBeCloseTo(mean, 4);
      expect(e.aleatoric[i] ** 2).toBeCloseTo(alea, 3);
      expect(Math.abs(e.epistemic[i] ** 2 - epi)).toBeLessThan(1e-4 * (1 + epi));
      expect(snap.models[0].sigma[i] ** 2).toBeCloseTo(alea + epi, 3);
    }
    const held = makeHeldOut(SPEC);
    const hp = state.models.slice(0, 4).map((m) => predict(m.params, held.x, POINTS.x));
    const want = uncertaintyMetrics(
      { kind: 'mixture', mus: hp.map((p) => p.mu), sigmas: hp.map((p) => p.v.map(Math.sqrt)) },
      held.y,
    );
    const got = snap.models[0].uncertainty!.heldOut!;
    expect(got.n).toBe(want.n);
    expect(got.crps).toBeCloseTo(want.crps, 4);
    expect(got.nll).toBeCloseTo(want.nll, 4);
    expect(got.sharpness).toBeCloseTo(want.sharpness, 4);
    expect(got.ensemble!.meanEpistemic).toBeCloseTo(want.ensemble!.meanEpistemic, 5);
    got.coverage.forEach((c, k) =>
      expect(Math.abs(c.observed - want.coverage[k].observed)).toBeLessThanOrEqual(1 / want.n + 1e-9),
    );
    // The panel's clean NLL is the mixture's own, not its moment-matched Gaussian's.
    expect(snap.models[0].metrics.nll).toBeCloseTo(want.nll, 4);
  });

  it('links refuse more than 32 networks in all and ensembles beyond 16, with a message', () => {
    const config = (models: RunConfig['models']) =>
      runConfigSchema.safeParse({ data: SPEC, models: withIds(models), train: TRAIN });
    const nine = Array.from({ length: 3 }, () => modelSpec('nll', { ensemble: 11 }));
    const r = config(nine);
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(/33 networks.*at most 32/);
    expect(config([modelSpec('nll', { ensemble: 17 })]).error!.issues[0].message).toMatch(/ensemble of 17/);
    expect(config([modelSpec('nll', { ensemble: 16 }), modelSpec('nll', { ensemble: 16 })]).success).toBe(true);
  });
});

function session(): TrainerSession {
  const platform: SessionPlatform = {
    initBackend: async () => ({ backend: 'wasm', notes: [] }),
    makeFused: () => null,
    deviceLost: () => null,
    isDeviceError: () => false,
    backendChanged() {},
    loseDevice: () => false,
    memory: () => ({ numTensors: tf.memory().numTensors, gpuBuffers: null }),
  };
  return new TrainerSession(platform);
}

describe('the session trains an ensemble as its members', () => {
  it('a trained model that becomes an ensemble keeps its weights as member 1; reset, duplicate, export and import act on every member', async () => {
    const config: RunConfig = {
      data: SPEC,
      models: withIds([modelSpec('nll', { initSeed: 5 }), modelSpec('mse')]),
      train: TRAIN,
    };
    const s = session();
    await s.start(config, { autoplay: false });
    await s.step(15);
    const before = await s.exportRun();
    await s.updateModel('m1', { ensemble: 3 });
    let run = await s.exportRun();
    expect(run.config.models.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(run.state.models.map((m) => [m.id, m.steps])).toEqual([
      ['m1', 15],
      ['m1~2', 0],
      ['m1~3', 0],
      ['m2', 15],
    ]);
    expect(Array.from(run.state.models[0].params)).toEqual(Array.from(before.state.models[0].params));
    expect(run.snapshot.models.map((m) => m.ensemble?.size ?? 1)).toEqual([3, 1]);
    // A live change reaches every member; a duplicate copies each member.
    await s.step(5);
    await s.updateModel('m1', { lrScale: 0.5 });
    const models = (await s.exportRun()).config.models;
    await s.setModels([...models, { ...models[0], id: 'm3' }], { m3: 'm1' });
    run = await s.exportRun();
    expect(run.config.models.map((m) => m.lrScale)).toEqual([0.5, 1, 0.5]);
    const byId = new Map(run.state.models.map((m) => [m.id, m]));
    for (const k of ['', '~2', '~3'])
      expect(Array.from(byId.get(`m3${k}`)!.params)).toEqual(Array.from(byId.get(`m1${k}`)!.params));
    await s.resetModel('m1');
    run = await s.exportRun();
    expect(run.state.models.filter((m) => m.id.startsWith('m1')).map((m) => m.steps)).toEqual([0, 0, 0]);
    expect(byId.get('m2')!.steps).toBe(20);
    // The file round-trips: its configuration names the models, its state every member.
    const json = runFileJson({ ...run, history: [] });
    const raw = JSON.parse(json) as {
      models: { ensemble?: { size: number; epistemic: number[] }; metrics: Record<string, number> }[];
    };
    expect(raw.models[0].ensemble!.size).toBe(3);
    expect(raw.models[0].ensemble!.epistemic.length).toBe(run.snapshot.grid.length);
    expect(raw.models[0].metrics['heldOut.meanEpistemic']).toBeGreaterThan(0);
    const file = parseRunFile(json);
    expect(file.state.models.length).toBe(7);
    await s.importRun(file);
    expect((await s.exportRun()).snapshot.models.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    await expect(s.updateModel('m2', { ensemble: 16 * 2 })).rejects.toThrow(/networks in all/);
  });
});

describe('the held-out share of your own data', () => {
  it('is deterministic by seed, disjoint, covers every point once, holds out round(share·n) and keeps two to train', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer(),
        (n, share, seed) => {
          const a = splitIndices(n, share, seed);
          expect(splitIndices(n, share, seed)).toEqual(a);
          expect(a.held.length).toBe(Math.max(0, Math.min(Math.round(share * n), n - 2)));
          const all = [...a.train, ...a.held].sort((x, y) => x - y);
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
          // Appending a point moves at most one earlier point between the sets.
          const b = splitIndices(n + 1, share, seed);
          const heldA = new Set(a.held);
          const moved = Array.from({ length: n }, (_, i) => i).filter(
            (i) => heldA.has(i) !== b.held.includes(i),
          ).length;
          expect(moved).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 200 },
    );
    // Another seed holds out other points.
    expect(Array.from(splitIndices(100, 0.2, 1).held)).not.toEqual(Array.from(splitIndices(100, 0.2, 2).held));
  });

  it('is never trained on and judges the held-out metrics; the session keeps every point of yours', async () => {
    const heldOut = { share: 0.2, seed: 4 };
    const own = trainingPoints(POINTS, heldOut);
    expect(own.x.length).toBe(160);
    expect(own.heldOut!.x.length).toBe(40);
    const s = session();
    await s.start(
      { data: SPEC, models: withIds([modelSpec('nll')]), train: { ...TRAIN, heldOut } },
      { autoplay: false },
    );
    await s.setPoints(POINTS, false, null);
    await s.step(10);
    const run = await s.exportRun();
    expect(run.points.x.length).toBe(200);
    expect(run.snapshot.heldOut).toEqual({ kind: 'split', n: 40 });
    const u = run.snapshot.models[0].uncertainty!;
    expect(u.heldOut!.n).toBe(40);
    expect(u.inliers!.n + u.outliers!.n).toBe(160);
    // Its per-point arrays are the training share's.
    expect(run.snapshot.models[0].weight.length).toBe(160);
    // Clicked points on generated data keep the clean held-out set; no share is taken from them.
    await s.setPoints(POINTS, true, SPEC);
    expect((await s.exportRun()).snapshot.heldOut).toEqual({ kind: 'clean', n: 400 });
  });
});
