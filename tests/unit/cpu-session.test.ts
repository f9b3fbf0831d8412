// The trainer session on the CPU trainer (its shards in this thread): a structural hand-off keeps every other model's
// exact state, and a failure of a CPU worker hands the run to the tfjs engine from the last frame's state, Adam's
// moments and counters included, so N steps across the failure equal N steps straight.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TRAIN, modelSpec, withIds, type RunConfig } from '../../src/core/config';
import { defaultDataSpec } from '../../src/core/datasets';
import { tf } from '../../src/core/tf';
import { cpuModule } from '../../src/cpu/node';
import { CpuTrainer, inThreadShard, type SpawnShard } from '../../src/cpu/trainer';
import { freshState } from '../../src/core/state';
import { useNodeBackend } from '../../src/platform/node';
import { CpuPath } from '../../src/worker/cpuPath';
import type { TrainerStatus } from '../../src/worker/protocol';
import { TrainerSession, type SessionPlatform } from '../../src/worker/session';

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
    modelSpec('superloss-nll', { tauMode: 'running' }),
    modelSpec('robust-nll', { T: 16 }),
  ]),
  train: TRAIN,
};

beforeAll(async () => {
  await useNodeBackend('cpu');
});

/** A session whose platform offers the CPU trainer on its first backend; `fail()` makes a worker die at its next run
 * (it reports an error and answers nothing more). */
function cpuSession() {
  let failNext = false;
  const backends: string[] = [];
  const statuses: TrainerStatus[] = [];
  // In-thread shards whose port reports a worker error at the first run after fail().
  const spawn: SpawnShard = () => {
    const port = inThreadShard();
    let onError: (m: string) => void = () => undefined;
    let dead = false;
    return {
      post: (msg, transfer) => {
        if (msg.kind === 'run' && failNext) {
          failNext = false;
          dead = true;
          queueMicrotask(() => onError('simulated worker crash'));
        }
        if (!dead) port.post(msg, transfer);
      },
      listen: (reply, error) => {
        onError = error;
        port.listen(reply, error);
      },
      terminate: () => port.terminate(),
    };
  };
  const platform: SessionPlatform = {
    async initBackend(forced, skip = []) {
      const name = forced ?? (['wasm', 'cpu'] as const).find((n) => !skip.includes(n));
      if (!name) throw new Error('no backend left');
      backends.push(name);
      return { backend: name, notes: [] };
    },
    makeFused: (points, truth, specs, train, state, view) =>
      backends[backends.length - 1] === 'wasm'
        ? new CpuPath(points, truth, specs, train, state, { module: cpuModule(), spawn, workers: 2 }, view)
        : null,
    deviceLost: () => null,
    isDeviceError: (err) => err instanceof Error && err.name === 'CpuTrainerError',
    backendChanged() {},
    loseDevice: () => false,
    memory: () => ({ numTensors: tf.memory().numTensors, gpuBuffers: null }),
  };
  const session = new TrainerSession(platform, { frame: () => undefined, status: (s) => statuses.push(s) });
  return { session, statuses, backends, fail: () => (failNext = true) };
}

const path = (statuses: TrainerStatus[]) => statuses[statuses.length - 1]?.path;

describe('the session on the CPU trainer', () => {
  it('a model added keeps every other model’s state bit for bit (θ, m, v, t, steps, τ)', async () => {
    const { session, statuses } = cpuSession();
    await session.start(CONFIG, { autoplay: false });
    await session.step(30);
    expect(path(statuses)).toBe('cpu');
    const before = (await session.exportRun()).state;
    await session.setModels([...CONFIG.models, { ...modelSpec('mse'), id: 'm9' }]);
    const after = (await session.exportRun()).state;
    expect(path(statuses)).toBe('cpu');
    expect(after.models.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm9']);
    before.models.forEach((m, k) => {
      const a = after.models[k];
      expect([a.t, a.steps, a.tau, a.tauCount]).toEqual([m.t, m.steps, m.tau, m.tauCount]);
      expect(Array.from(a.params)).toEqual(Array.from(m.params));
      expect(Array.from(a.m)).toEqual(Array.from(m.m));
      expect(Array.from(a.v)).toEqual(Array.from(m.v));
    });
    await session.pause();
  });

  it('a CPU worker’s failure fails over to the tfjs engine from the last frame, Adam’s moments and counters carried', async () => {
    const cpu = cpuSession();
    await cpu.session.start(CONFIG, { autoplay: false });
    await cpu.session.step(20);
    const { points } = await cpu.session.exportRun();
    // The state after 20 steps read straight from a CPU trainer of its own (not through the session's frames, whose
    // state is what is under test).
    const models = withIds(CONFIG.models);
    const own = new CpuTrainer(points, models, TRAIN, freshState(TRAIN.architecture, models), {
      module: cpuModule(),
      spawn: inThreadShard,
      workers: 2,
    });
    own.run(20);
    const checkpoint = await own.readState();
    own.dispose();
    cpu.fail();
    // The loop's next tick dies with the worker: the run moves to the engine from step 20 (that tick's steps are lost).
    await cpu.session.play();
    await vi.waitUntil(() => path(cpu.statuses) === 'tfjs', { timeout: 20_000, interval: 5 });
    await cpu.session.pause();
    expect(cpu.backends).toEqual(['wasm', 'cpu']);
    await cpu.session.step(10);
    const across = (await cpu.session.exportRun()).state;
    expect(across.step).toBeGreaterThanOrEqual(30);
    // The engine from the checkpoint for the same steps: equal (the same path on the same backend) only if θ, m, v, t,
    // τ and the counters all came across; zeroed moments or a reset t would move every parameter.
    const ref = cpuSession();
    await ref.session.start(CONFIG, { autoplay: false, fused: false });
    await ref.session.importRun({ config: { ...CONFIG, models }, points, imported: false, state: checkpoint });
    await ref.session.step(across.step - 20);
    const want = (await ref.session.exportRun()).state;
    expect(want.step).toBe(across.step);
    across.models.forEach((m, k) => {
      const r = want.models[k];
      expect([m.t, m.steps, m.tauCount, m.tau]).toEqual([r.t, r.steps, r.tauCount, r.tau]);
      let worst = 0;
      for (let i = 0; i < m.params.length; i++) worst = Math.max(worst, Math.abs(m.params[i] - r.params[i]));
      expect(worst, m.id).toBeLessThan(1e-6);
    });
    await ref.session.pause();
  });
});
