// Device losses on every backend the session runs on (tfjs on the CPU standing in for each device): a tick that
// fails otherwise during a loss does not stop training, a lost WebGL context's zero reads never become the
// checkpoint, WebGPU → WebGL → WASM carries the weights, and an export falls back to the checkpoint.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { withIds, modelSpec } from '../../src/core/config';
import { useNodeBackend } from '../../src/platform/node';
import type { TrainerSession } from '../../src/worker/session';
import { harness, sleep, type Harness } from './session-harness';
import { CONFIG } from './store-page';

beforeAll(async () => {
  await useNodeBackend('cpu');
});

let live: TrainerSession[] = [];
afterEach(async () => {
  const sessions = live;
  live = [];
  for (const s of sessions) await s.pause().catch(() => undefined);
});

async function started(options: Parameters<typeof harness>[0], autoplay: boolean): Promise<Harness> {
  const h = harness(options);
  live.push(h.session);
  await h.session.start(CONFIG, { autoplay });
  return h;
}

const until = async (what: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !what(); await sleep(5)) if (Date.now() > end) throw new Error('timed out');
};

const params = (run: { state: { models: { params: Float32Array }[] } }) =>
  run.state.models.map((m) => Array.from(m.params));
const anyNonZero = (ps: number[][]) => ps.every((p) => p.some((v) => v !== 0));

describe('a device lost while a tick is in flight', () => {
  it('the tick’s own failure, not the device’s error, is dropped once the loss moved the run: training goes on, on the next backend', async () => {
    const h = await started({ delay: 10 }, true);
    await until(() => h.frames.length > 2);
    const path = h.paths[h.paths.length - 1];
    // The device goes while a frame is read (its loss signal arrives first), and the read then fails with an error
    // that is not the device's own (a destroyed buffer's TypeError, say).
    path.onFrame = () => h.signalLoss();
    path.failFrameWith = new TypeError('a buffer was destroyed');
    await until(() => h.backends.length === 2);
    const first = h.frames.length;
    await until(() => h.frames.length > first + 2);
    await h.session.pause();
    expect(h.backends).toEqual(['webgpu', 'webgl']);
    expect(h.statuses.filter((s) => s.phase === 'error')).toEqual([]);
  });
});

describe('a lost WebGL context', () => {
  it('after a lost WebGPU device: WebGL → WASM from the last frame shown, its zero reads never the checkpoint, weights carried', async () => {
    const h = await started({ delay: 3, lostAfter: 40 }, true);
    await until(() => h.frames.length > 2);
    await h.session.loseDevice('now');
    await until(() => h.backends.length === 2);
    await until(() => h.frameBackends.filter((b) => b === 'webgl').length > 3);
    // The context goes; its reads return zeros for 40 ms before the loss event arrives.
    await h.session.loseDevice('now');
    await until(() => h.backends.length === 3);
    await h.session.pause();
    expect(h.backends).toEqual(['webgpu', 'webgl', 'wasm']);
    expect(h.statuses.filter((s) => s.phase === 'error')).toEqual([]);
    expect(
      h.statuses.some((s) => s.notice?.includes('WebGL context was lost') && s.notice.includes('continues on wasm')),
    ).toBe(true);
    // The first frame on WASM is the last frame WebGL showed before its context went.
    const firstWasm = h.frameBackends.indexOf('wasm');
    const handed = h.frames[firstWasm].snapshot;
    const shown = h.frames
      .slice(0, firstWasm)
      .filter((f, i) => h.frameBackends[i] === 'webgl' && f.snapshot.step === handed.step);
    expect(shown.length, `no WebGL frame at step ${handed.step}`).toBeGreaterThan(0);
    const run = await h.session.exportRun();
    expect(anyNonZero(params(run)), 'the weights carried to WASM are zeros').toBe(true);
    expect(run.snapshot.models.every((m) => m.steps > 0)).toBe(true);
  });

  it('a change and an export meeting a lost context (before its event): both fail over first and carry the weights, not zeros', async () => {
    const h = await started({ delay: 3, lostAfter: 10_000 }, false);
    await h.session.step(10);
    // WebGPU's device goes and an export meets it first: the run moves to WebGL, and the export reads there.
    await h.session.loseDevice('now');
    await h.session.exportRun();
    expect(h.backends).toEqual(['webgpu', 'webgl']);
    await h.session.step(5);
    const before = await h.session.exportRun();
    await h.session.loseDevice('now');
    // A hand-off: its export reads zeros from the lost context; the run moves to WASM first, from the checkpoint.
    await h.session.setModels(withIds([...CONFIG.models, modelSpec('mse', { initSeed: 7 })]));
    expect(h.backends).toEqual(['webgpu', 'webgl', 'wasm']);
    const after = await h.session.exportRun();
    params(before).forEach((p, k) => expect(params(after)[k]).toEqual(p));
    expect(after.config.models.length).toBe(5);
  });
});

describe('an export when the path cannot read', () => {
  it('returns the last consistent state with the frame shown with it', async () => {
    const h = await started({ delay: 1 }, false);
    await h.session.step(12);
    const shown = h.frames[h.frames.length - 1].snapshot;
    const path = h.paths[h.paths.length - 1];
    path.failFrameWith = new TypeError('the read failed');
    const run = await h.session.exportRun();
    expect(run.snapshot.step).toBe(shown.step);
    expect(run.state.step).toBe(12);
    expect(run.config.models.map((m) => m.id)).toEqual(CONFIG.models.map((m) => m.id));
  });
});
