// The trainer session in Node (tfjs on the CPU, a stand-in for the device): hand-offs continue the trajectory,
// calls are applied in the order made (the races of REVIEW.md §4.1), a failed import or a stale lesson link
// changes nothing, a lost device carries the weights over, and random call sequences keep the invariants.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { useNodeBackend } from '../../src/platform/node';
import { tf } from '../../src/core/tf';
import { Engine, type PathFrame, type TrainingPath } from '../../src/core/engine';
import { DEFAULT_TRAIN, modelSpec, withIds, type ModelSpec, type RunConfig } from '../../src/core/config';
import { defaultDataSpec, makePoints } from '../../src/core/datasets';
import { freshModelState, type TrainingState } from '../../src/core/state';
import { nextBudget, TrainerSession, type SessionPlatform } from '../../src/worker/session';
import type { Frame, TrainerStatus } from '../../src/worker/protocol';

const DATA = { ...defaultDataSpec('hetero-sine'), n: 120 };
const TRAIN = {
  ...DEFAULT_TRAIN,
  batchSize: 32,
  warmupMeanSteps: 6,
  warmupNllSteps: 6,
  architecture: { ...DEFAULT_TRAIN.architecture, hidden: [8] },
};
const CONFIG: RunConfig = {
  data: DATA,
  models: withIds([
    modelSpec('nll'),
    modelSpec('beta-nll'),
    modelSpec('superloss-nll', { tauMode: 'running' }),
    modelSpec('robust-nll', { T: 16 }),
  ]),
  train: TRAIN,
};

beforeAll(async () => {
  await useNodeBackend('cpu');
});

class DeviceFailure extends Error {
  override name = 'OperationError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A "fused" path that is the engine with slow reads: every await it makes is a window for a race. */
class SlowPath implements TrainingPath {
  readonly kind = 'fused';
  readonly label = 'slow test path';
  failNextRun = false;
  /** The device goes while a frame is being read: the read in flight fails. */
  failFrames = false;
  /** The device is gone (platform.loseDevice): every later dispatch, read and export fails. */
  lost = false;
  constructor(
    private readonly engine: Engine,
    private readonly delay: number,
  ) {}
  get step() {
    return this.engine.step;
  }
  run(n: number) {
    if (this.failNextRun || this.lost) throw new DeviceFailure('the device was lost (simulated)');
    this.engine.run(n);
  }
  async frame(withState: boolean): Promise<PathFrame> {
    await sleep(this.delay);
    if (this.failFrames || this.lost) throw new DeviceFailure('mapAsync on a lost device (simulated)');
    return this.engine.frame(withState);
  }
  async exportState(): Promise<TrainingState> {
    await sleep(this.delay);
    if (this.lost) throw new DeviceFailure('mapAsync on a lost device (simulated)');
    return this.engine.exportState();
  }
  updateModel(k: number, spec: ModelSpec) {
    return this.engine.updateModel(k, spec);
  }
  dispose() {
    this.engine.dispose();
  }
}

interface Harness {
  /** Resolves the current device's `lost` promise, as a driver reset would. */
  loseDevice: () => void;
  session: TrainerSession;
  frames: Frame[];
  statuses: TrainerStatus[];
  paths: SlowPath[];
  backends: string[];
  /** The backend each frame was sent from. */
  frameBackends: string[];
}

function harness(options: { fused?: boolean; delay?: number; lostAfter?: number } = {}): Harness {
  let lose: ((reason: string) => void) | null = null;
  const h: Harness = {
    loseDevice: () => lose?.('the device was lost (simulated)'),
    session: null as unknown as TrainerSession,
    frames: [],
    statuses: [],
    paths: [],
    backends: [],
    frameBackends: [],
  };
  const names = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
  const platform: SessionPlatform = {
    async initBackend(forced, skip = []) {
      const name = forced ?? names.find((n) => !skip.includes(n));
      if (!name) throw new Error('no backend left');
      h.backends.push(name);
      return { backend: name, notes: [] };
    },
    makeFused(points, truth, specs, train, state) {
      if (options.fused === false || h.backends[h.backends.length - 1] !== 'webgpu') return null;
      const p = new SlowPath(new Engine(points, truth, specs, train, state), options.delay ?? 15);
      h.paths.push(p);
      return p;
    },
    deviceLost: () => (h.backends[h.backends.length - 1] === 'webgpu' ? new Promise<string>((r) => (lose = r)) : null),
    isDeviceError: (err) => err instanceof DeviceFailure,
    backendChanged() {},
    // As device.destroy(): the path's work fails from now on, and `lost` resolves a little later.
    loseDevice() {
      const path = h.paths[h.paths.length - 1];
      if (!path || h.backends[h.backends.length - 1] !== 'webgpu') return false;
      path.lost = true;
      setTimeout(() => h.loseDevice(), options.lostAfter ?? 0);
      return true;
    },
    memory: () => ({ numTensors: tf.memory().numTensors, gpuBuffers: null }),
  };
  h.session = new TrainerSession(platform, {
    frame: (f) => {
      h.frames.push(f);
      h.frameBackends.push(h.backends[h.backends.length - 1]);
    },
    status: (s) => h.statuses.push(s),
  });
  return h;
}

let live: TrainerSession[] = [];
afterEach(async () => {
  for (const s of live) await s.pause();
  live = [];
});

async function started(
  options: { fused?: boolean; autoplay?: boolean; delay?: number; lostAfter?: number } = {},
  config = CONFIG,
): Promise<Harness> {
  const h = harness(options);
  live.push(h.session);
  await h.session.start(config, { autoplay: options.autoplay ?? false });
  return h;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};

describe('the steps per tick', () => {
  it('converge where a tick costs the frame plus steps: half the time trains when the frame is slow, 140 ms when it is cheap', () => {
    for (const [a, b, want] of [
      [300, 2, 150], // an emulated GPU: the frame alone takes 300 ms
      [5, 0.1, 1350],
      [20, 50, 2], // a slow step: at least one per tick
    ]) {
      const ticks: { n: number; ms: number }[] = [];
      let n = 1;
      for (let i = 0; i < 40; i++) n = nextBudget(ticks, n, a + b * n);
      expect(Math.abs(n - want) / want, `a = ${a}, b = ${b}: ${n}`).toBeLessThan(0.05);
    }
  });
});

describe('hand-offs continue the trajectory', () => {
  it('N steps straight equal N/2 steps, a hand-off (export → a new path from the state), N/2 steps: every model, Adam and τ included', async () => {
    const points = makePoints(DATA);
    const straight = new Engine(points, DATA, CONFIG.models, TRAIN);
    straight.run(40);
    const want = await straight.exportState();
    const first = new Engine(points, DATA, CONFIG.models, TRAIN);
    first.run(20);
    const half = await first.exportState();
    first.dispose();
    const second = new Engine(points, DATA, CONFIG.models, TRAIN, half);
    second.run(20);
    const got = await second.exportState();
    got.models.forEach((m, k) => {
      expect(maxDiff(m.params, want.models[k].params)).toBe(0);
      expect(maxDiff(m.m, want.models[k].m)).toBe(0);
      expect(maxDiff(m.v, want.models[k].v)).toBe(0);
      expect([m.t, m.steps, m.tauCount]).toEqual([want.models[k].t, want.models[k].steps, want.models[k].tauCount]);
      expect(m.tau).toBe(want.models[k].tau);
    });
    expect(got.models[2].tauCount).toBeGreaterThan(0);
    straight.dispose();
    second.dispose();
  });

  it('a setting change on the running session (learning rate) gives no step burst: the next step is as large as a straight run’s', async () => {
    const h = await started();
    await h.session.step(300);
    const before = await h.session.exportRun();
    await h.session.setTrain({ learningRate: TRAIN.learningRate }); // a hand-off to a new path, same settings
    await h.session.step(1);
    const after = await h.session.exportRun();
    const reference = new Engine(makePoints(DATA), DATA, CONFIG.models, TRAIN, before.state);
    reference.run(1);
    const want = await reference.exportState();
    reference.dispose();
    after.state.models.forEach((m, k) => expect(maxDiff(m.params, want.models[k].params)).toBe(0));
  });
});

describe('calls are applied in the order made (REVIEW.md §4.1)', () => {
  it('W2: a reset followed at once by a learning-rate change keeps the reset', async () => {
    const h = await started();
    await h.session.step(30);
    const id = CONFIG.models[0].id;
    await Promise.all([h.session.resetModel(id), h.session.setTrain({ learningRate: 0.005 })]);
    const run = await h.session.exportRun();
    const init = freshModelState(TRAIN.architecture, CONFIG.models[0]);
    expect(run.state.models[0].steps).toBe(0);
    expect(run.state.models[0].t).toBe(0);
    expect(maxDiff(run.state.models[0].params, init.params)).toBe(0);
    expect(run.state.models[1].steps).toBe(30);
    expect(run.config.train.learningRate).toBe(0.005);
  });

  it('W3: adding a model while paused and pressing Play at once trains five models, with no error and no fail-over', async () => {
    const h = await started();
    await h.session.step(20);
    const five = withIds([...CONFIG.models, modelSpec('robust-nll', { initSeed: 9 })]);
    const added = h.session.setModels(five);
    await sleep(2);
    await Promise.all([added, h.session.play()]);
    await sleep(150);
    await h.session.pause();
    const run = await h.session.exportRun();
    expect(run.config.models.map((m) => m.id)).toEqual(five.map((m) => m.id));
    expect(run.state.models[0].steps).toBeGreaterThan(20);
    expect(run.state.models[4].steps).toBe(run.state.models[4].steps);
    expect(h.statuses.some((s) => s.phase === 'error')).toBe(false);
    expect(h.backends).toEqual(['webgpu']);
  });

  it("a new model seeded with a trained state (a sweep's cell) starts from it exactly; a seed of another network is refused and nothing changes", async () => {
    const h = await started();
    await h.session.step(12);
    const before = await h.session.exportRun();
    // The state of model m2 as another session (the sweep's worker) would hand it over, under the new id.
    const seed = { ...before.state.models[1], id: 'm5' };
    const five = [...before.config.models, { ...before.config.models[1], id: 'm5' }];
    await h.session.setModels(five, {}, [seed]);
    let run = await h.session.exportRun();
    const m5 = run.state.models[4];
    expect([m5.id, m5.steps, m5.t]).toEqual(['m5', 12, 12]);
    for (const f of ['params', 'm', 'v'] as const) expect(maxDiff(m5[f], seed[f])).toBe(0);
    // The seed is copied: training the new model moves it, not the state handed over.
    await h.session.step(3);
    run = await h.session.exportRun();
    expect(maxDiff(run.state.models[4].params, seed.params)).toBeGreaterThan(0);
    expect(maxDiff(before.state.models[1].params, seed.params)).toBe(0);
    // A seed with another parameter count does not fit: refused, the five models untouched.
    const wrong = { ...seed, id: 'm6', params: seed.params.slice(1), m: seed.m.slice(1), v: seed.v.slice(1) };
    await expect(h.session.setModels([...five, { ...five[4], id: 'm6' }], {}, [wrong])).rejects.toThrow(/does not fit/);
    // A seed for a network already training (or for none of the list) is refused: it would be silently dropped.
    await expect(h.session.setModels(five, {}, [{ ...seed, id: 'm1' }])).rejects.toThrow(/not a new model/);
    await expect(h.session.setModels([...five, { ...five[4], id: 'm6' }], {}, [{ ...seed, id: 'm9' }])).rejects.toThrow(
      /not a new model/,
    );
    const after = await h.session.exportRun();
    expect(after.config.models.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(maxDiff(after.state.models[4].params, run.state.models[4].params)).toBe(0);
  });

  it('bug 11: a lesson action aimed at a removed model is refused with a message, and nothing changes', async () => {
    const h = await started();
    const removed = CONFIG.models[3].id;
    await h.session.setModels(CONFIG.models.slice(0, 3));
    await expect(h.session.updateModel(removed, { T: 0.5 })).rejects.toThrow(/no model "m4".*nothing was changed/);
    await h.session.play();
    await sleep(100);
    const run = await h.session.exportRun();
    expect(run.config.models.length).toBe(3);
    expect(run.state.models[0].steps).toBeGreaterThan(0);
    expect(h.statuses.some((s) => s.phase === 'error')).toBe(false);
  });

  it('bug 8: an import that does not fit is refused and the run it would have replaced is intact', async () => {
    const h = await started();
    await h.session.step(25);
    const before = await h.session.exportRun();
    const bad = {
      ...before,
      state: { ...before.state, models: before.state.models.map((m) => ({ ...m, params: m.params.slice(3) })) },
    };
    await expect(h.session.importRun(bad)).rejects.toThrow(/params has \d+ values/);
    const after = await h.session.exportRun();
    after.state.models.forEach((m, k) => expect(maxDiff(m.params, before.state.models[k].params)).toBe(0));
    expect(after.snapshot.step).toBe(25);
    // And a good import round-trips exactly.
    await h.session.importRun(before);
    const again = await h.session.exportRun();
    again.state.models.forEach((m, k) => expect(maxDiff(m.params, before.state.models[k].params)).toBe(0));
  });

  it('bug 13: an export pairs the configuration with a state and snapshot of the same models', async () => {
    const h = await started();
    const added = h.session.setModels(withIds([...CONFIG.models, modelSpec('mse')]));
    const exported = h.session.exportRun();
    await added;
    const run = await exported;
    expect(run.state.models.map((m) => m.id)).toEqual(run.config.models.map((m) => m.id));
    expect(run.snapshot.models.map((m) => m.id)).toEqual(run.config.models.map((m) => m.id));
  });
});

describe('failures', () => {
  it('a lost device mid-run: training continues on the next backend from the last consistent state, weights carried over', async () => {
    const h = await started({ autoplay: true });
    await sleep(400);
    const path = h.paths[h.paths.length - 1];
    path.failNextRun = true;
    await sleep(300);
    await h.session.idle();
    expect(h.backends).toEqual(['webgpu', 'webgl']);
    expect(h.statuses.some((s) => s.notice?.includes('continues on webgl'))).toBe(true);
    await h.session.pause();
    const last = h.frames[h.frames.length - 1].snapshot;
    expect(last.models.every((m) => m.steps > 0)).toBe(true);
    expect(h.statuses[h.statuses.length - 1].phase).toBe('paused');
  });

  it('a device lost while a tick is in flight fails over once: the failing tick does not hand the run on again', async () => {
    const h = await started({ autoplay: true });
    await sleep(400);
    // The device goes, and the frame being read fails with the device's error.
    const path = h.paths[h.paths.length - 1];
    path.failNextRun = true;
    path.failFrames = true;
    h.loseDevice();
    await sleep(400);
    await h.session.idle();
    expect(h.backends).toEqual(['webgpu', 'webgl']);
    await h.session.pause();
    expect(h.statuses.some((s) => s.phase === 'error')).toBe(false);
  });

  it('a device lost at 10 random moments (mid-dispatch, mid-read, mid-hand-off): one fail-over, the change lands, the first frame on the next backend is the last one shown (RMSE within 1 %), training goes on', async () => {
    const moments = fc.record({
      at: fc.constantFrom('dispatch' as const, 'read' as const, 'handoff' as const),
      wait: fc.integer({ min: 0, max: 200 }),
      lostAfter: fc.integer({ min: 0, max: 30 }),
      change: fc.constantFrom('add', 'lr', 'remove'),
    });
    await fc.assert(
      fc.asyncProperty(moments, async ({ at, wait, lostAfter, change }) => {
        const h = await started({ autoplay: true, delay: 4, lostAfter });
        const s = h.session;
        await expect.poll(() => h.frames.length, { timeout: 5000 }).toBeGreaterThan(1);
        await sleep(wait);
        await s.loseDevice(at);
        // A hand-off is a structural change: the export that starts it meets the lost device.
        const landed =
          at !== 'handoff'
            ? Promise.resolve()
            : change === 'add'
              ? s.setModels(withIds([...CONFIG.models, modelSpec('mse', { initSeed: 9 })]))
              : change === 'remove'
                ? s.setModels(CONFIG.models.slice(1))
                : s.setTrain({ learningRate: 0.002 });
        await landed;
        await expect.poll(() => h.backends.length, { timeout: 5000 }).toBe(2);
        await s.idle();
        const first = h.frameBackends.indexOf('webgl');
        await expect.poll(() => h.frames.length - first, { timeout: 5000 }).toBeGreaterThan(2);
        await s.pause();
        expect(h.backends).toEqual(['webgpu', 'webgl']);
        expect(h.statuses.filter((st) => st.phase === 'error')).toEqual([]);
        // The hand-off frame shows the checkpoint: a frame the old device showed, at the same step and fit.
        const handed = h.frames[first].snapshot;
        const before = h.frames
          .slice(0, first)
          .filter((f, i) => h.frameBackends[i] === 'webgpu' && f.snapshot.step === handed.step);
        expect(before.length, `no frame at step ${handed.step} before the fail-over`).toBeGreaterThan(0);
        const shown = before[before.length - 1].snapshot;
        expect(handed.models.map((m) => m.id)).toEqual(shown.models.map((m) => m.id));
        handed.models.forEach((m, k) =>
          expect(Math.abs(m.metrics.rmse - shown.models[k].metrics.rmse)).toBeLessThanOrEqual(
            0.01 * shown.models[k].metrics.rmse,
          ),
        );
        // The change asked for during the hand-off landed, and training went on past the checkpoint.
        const run = await s.exportRun();
        if (at === 'handoff') {
          if (change === 'add') expect(run.config.models.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
          if (change === 'remove') expect(run.config.models.map((m) => m.id)).toEqual(['m2', 'm3', 'm4']);
          if (change === 'lr') expect(run.config.train.learningRate).toBe(0.002);
        }
        expect(run.snapshot.step).toBeGreaterThan(handed.step);
        live = live.filter((x) => x !== s);
      }),
      { numRuns: 10, seed: 15 },
    );
  }, 120_000);

  it('a bug that is not the device stops training with its message and keeps the run (no fail-over)', async () => {
    const h = await started({ autoplay: false });
    await h.session.step(10);
    const path = h.paths[0];
    path.run = () => {
      throw new TypeError('a bug');
    };
    await h.session.play();
    await sleep(100);
    await h.session.idle();
    expect(h.backends).toEqual(['webgpu']);
    const last = h.statuses[h.statuses.length - 1];
    expect(last.phase).toBe('error');
    expect(last.message).toMatch(/a bug.*run is kept/);
  });
});

describe('random call sequences keep the invariants', () => {
  const op = fc.oneof(
    fc.record({
      kind: fc.constant('add' as const),
      loss: fc.constantFrom('nll', 'robust-nll', 'superloss-mse', 'tilted-nll', 'barron'),
    }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('reset' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('hyper' as const),
      at: fc.nat(),
      T: fc.double({ min: 0.1, max: 100, noNaN: true }),
      beta: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
    fc.record({ kind: fc.constant('lr' as const), lr: fc.double({ min: 1e-4, max: 0.05, noNaN: true }) }),
    fc.record({ kind: fc.constant('data' as const), rate: fc.constantFrom(0, 0.1, 0.3), keep: fc.boolean() }),
    fc.constant({ kind: 'play' as const }),
    fc.constant({ kind: 'pause' as const }),
    fc.record({ kind: fc.constant('step' as const), n: fc.integer({ min: 1, max: 8 }) }),
    fc.constant({ kind: 'roundtrip' as const }),
  );

  it('about 200 calls per sequence (50 bursts of 1–7), fired without waiting: ids match, resets hold, no error, tensors flat', async () => {
    const h = await started({ fused: true, delay: 4 });
    const s = h.session;
    await s.step(2);
    const baseline = (await s.memory()).numTensors;
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 7 }), { minLength: 50, maxLength: 50 }),
        async (bursts) => {
          sequences++;
          for (const burst of bursts) {
            let models = (await s.exportRun()).config.models;
            let lastReset: string | null = null;
            let imports = false;
            let playing = false;
            const calls: Promise<unknown>[] = [];
            for (const o of burst) {
              const pick = (at: number) => models[at % models.length];
              switch (o.kind) {
                case 'add':
                  if (models.length >= 6) break;
                  models = withIds([...models, modelSpec(o.loss, { initSeed: models.length + 1 })]);
                  calls.push(s.setModels(models));
                  lastReset = null;
                  break;
                case 'remove':
                  if (models.length <= 1) break;
                  models = models.filter((m) => m.id !== pick(o.at).id);
                  calls.push(s.setModels(models));
                  lastReset = null;
                  break;
                case 'reset':
                  // While playing the model trains on after its reset, until the burst's closing pause.
                  calls.push(s.resetModel(pick(o.at).id));
                  lastReset = playing ? null : pick(o.at).id;
                  break;
                case 'hyper':
                  calls.push(s.updateModel(pick(o.at).id, { T: o.T, beta: o.beta }));
                  break;
                case 'lr':
                  calls.push(s.setTrain({ learningRate: o.lr }));
                  break;
                case 'data':
                  calls.push(s.setData({ ...DATA, outlierRate: o.rate }, o.keep));
                  if (!o.keep) lastReset = null;
                  break;
                case 'play':
                  calls.push(s.play());
                  lastReset = null;
                  playing = true;
                  break;
                case 'pause':
                  calls.push(s.pause());
                  playing = false;
                  break;
                case 'step':
                  calls.push(s.step(o.n));
                  lastReset = null;
                  break;
                case 'roundtrip':
                  // The import is queued when the export returns, after the rest of the burst: it may undo a reset.
                  calls.push(s.exportRun().then((r) => s.importRun(r)));
                  imports = true;
                  break;
              }
            }
            await Promise.all(calls);
            await s.pause();
            const run = await s.exportRun();
            const ids = run.config.models.map((m) => m.id);
            expect(run.state.models.map((m) => m.id)).toEqual(ids);
            expect(run.snapshot.models.map((m) => m.id)).toEqual(ids);
            expect(new Set(ids).size).toBe(ids.length);
            if (lastReset && !imports && ids.includes(lastReset)) {
              const k = ids.indexOf(lastReset);
              expect(run.state.models[k].steps).toBe(0);
              expect(
                maxDiff(
                  run.state.models[k].params,
                  freshModelState(run.config.train.architecture, run.config.models[k]).params,
                ),
              ).toBe(0);
            }
            expect(h.statuses.filter((x) => x.phase === 'error')).toEqual([]);
          }
        },
      ),
      { numRuns: 3, seed: 20261123, endOnFailure: true },
    );
    // Back to the first configuration: the live tensors are what they were.
    await s.setModels(CONFIG.models);
    await s.setData(DATA, false);
    expect((await s.memory()).numTensors).toBe(baseline);
    expect(sequences).toBe(3);
  }, 240_000);
});
