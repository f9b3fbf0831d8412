// The classification session in Node (tfjs on the CPU): the race moments of issue 24 on the queued machinery it
// shares with the regression trainer. An engine whose reads are slow widens every window a call could land in:
// a restart during a frame, rapid updates while playing (learning rate, batch size, model list), play during a
// mutation, a device lost while a frame is read. Each test fails when the queue is bypassed (enqueue calling
// its function at once): the old engine's tensors are then disposed under a frame still reading them, or the old
// run's frame lands in the new run's curve.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { tf } from '../../src/core/tf';
import { DEFAULT_CLASS_DATA, type ClassData } from '../../src/core/classify/data';
import { ClassifyEngine, type ClassRunConfig } from '../../src/core/classify/engine';
import {
  classModel,
  DEFAULT_CLASS_TRAIN,
  type ClassModelSpec,
  type ClassTrainSettings,
} from '../../src/core/classify/spec';
import {
  ClassifySession,
  type ClassMessage,
  type ClassPlatform,
  type ClassTrainer,
} from '../../src/worker/classifySession';

const CONFIG: ClassRunConfig = {
  data: { ...DEFAULT_CLASS_DATA, n: 200, testN: 100 },
  // ALUM keeps its mining tensors from the last step: a frame reads them (readMining).
  models: [classModel('ce'), classModel('alum', { hardFraction: 0.5 })],
  train: { ...DEFAULT_CLASS_TRAIN, hidden: [8], batchSize: 32 },
};

beforeAll(async () => {
  await useNodeBackend('cpu');
});

class DeviceFailure extends Error {
  override name = 'OperationError';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * What went wrong under a frame, across every engine of a test: a call that reached an engine while one of its
 * frames was being read (steps, new data or a disposal would free the tensors the read still needs: the mining
 * readMining reads), and reads that failed for any reason but a simulated device loss (a disposed tensor).
 */
interface Trouble {
  intrusions: string[];
  failedReads: string[];
}

/** The engine with slow reads: the frame waits before it reads, so a call fired meanwhile lands mid-frame. */
class SlowEngine implements ClassTrainer {
  lost = false;
  reading = 0;
  constructor(
    readonly engine: ClassifyEngine,
    private readonly delay: number,
    private readonly trouble: Trouble,
  ) {}
  private enter(call: string) {
    if (this.reading > 0) this.trouble.intrusions.push(call);
  }
  private async read<T>(fn: () => Promise<T>): Promise<T> {
    this.reading++;
    try {
      await sleep(this.delay);
      if (this.lost) throw new DeviceFailure('mapAsync on a lost device (simulated)');
      return await fn();
    } catch (err) {
      if (!(err instanceof DeviceFailure)) this.trouble.failedReads.push(String(err));
      throw err;
    } finally {
      this.reading--;
    }
  }
  run(n?: number) {
    this.enter('run');
    if (this.lost) throw new DeviceFailure('the device was lost (simulated)');
    this.engine.run(n);
  }
  frame(fields?: boolean, grid?: number) {
    return this.read(() => this.engine.frame(fields, grid));
  }
  exportParams() {
    return this.read(() => this.engine.exportParams());
  }
  setData(data: ClassData) {
    this.enter('setData');
    this.engine.setData(data);
  }
  updateModel(k: number, spec: ClassModelSpec) {
    this.enter('updateModel');
    this.engine.updateModel(k, spec);
  }
  dispose() {
    this.enter('dispose');
    this.engine.dispose();
  }
}

interface Harness {
  session: ClassifySession;
  trouble: Trouble;
  messages: ClassMessage[];
  engines: SlowEngine[];
  backends: string[];
  /** Loses the current device: its engine fails from now on and `lost` resolves. */
  loseDevice: () => void;
}

function harness(delay = 20): Harness {
  let lose: ((reason: string) => void) | null = null;
  const h: Harness = {
    session: null as unknown as ClassifySession,
    trouble: { intrusions: [], failedReads: [] },
    messages: [],
    engines: [],
    backends: ['webgpu'],
    loseDevice: () => undefined,
  };
  const names = ['webgpu', 'webgl', 'wasm', 'cpu'];
  const platform: ClassPlatform = {
    async initBackend(skip) {
      const name = names.find((n) => !skip.includes(n));
      if (!name) throw new Error('no backend left');
      h.backends.push(name);
      return name;
    },
    makeEngine(data, specs, train: ClassTrainSettings, start) {
      const e = new SlowEngine(new ClassifyEngine(data, specs, train, start?.params, start?.step), delay, h.trouble);
      h.engines.push(e);
      return e;
    },
    deviceLost: () => (h.backends[h.backends.length - 1] === 'webgpu' ? new Promise<string>((r) => (lose = r)) : null),
    isDeviceError: (err) => err instanceof DeviceFailure,
  };
  h.loseDevice = () => {
    h.engines[h.engines.length - 1].lost = true;
    setTimeout(() => lose?.('the device was lost (simulated)'), 0);
  };
  h.session = new ClassifySession(platform, (m) => h.messages.push(m));
  return h;
}

let live: ClassifySession[] = [];
afterEach(async () => {
  for (const s of live) await s.dispose();
  live = [];
});

async function started(autoplay: boolean): Promise<Harness> {
  const h = harness();
  live.push(h.session);
  await h.session.start(CONFIG, 'webgpu', autoplay);
  return h;
}

const frames = (h: Harness) =>
  h.messages.filter((m): m is Extract<ClassMessage, { kind: 'frame' }> => m.kind === 'frame');
const errors = (h: Harness) =>
  h.messages.filter((m) => m.kind === 'error').map((m) => (m as { message: string }).message);
const until = async (ok: () => boolean, ms = 20_000) => {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await sleep(5);
  }
};
/** Waits until a frame is being read (the window a racing call must not land in). */
const midFrame = (h: Harness) => until(() => h.engines[h.engines.length - 1].reading > 0);

/** No call reached an engine mid-read, and no read failed but by a (simulated) lost device. */
const clean = (h: Harness) => expect(h.trouble).toEqual({ intrusions: [], failedReads: [] });

/** Every frame's curve rises in step and ends at the frame's own step; a run's first frame carries no older point. */
function curvesConsistent(h: Harness): void {
  let run = -1;
  for (const f of frames(h)) {
    const steps = f.history.map((r) => r.step);
    for (let i = 1; i < steps.length; i++)
      expect(steps[i], `run ${f.run}: ${steps.join(',')}`).toBeGreaterThan(steps[i - 1]);
    expect(steps[steps.length - 1]).toBe(f.snapshot.step);
    if (f.run !== run) {
      // The new run's curve begins with its own first point, never one of the run before.
      expect(steps, `run ${f.run}'s first frame`).toEqual([f.snapshot.step]);
      run = f.run;
    }
    f.history.forEach((r) => expect(r.accuracy).toHaveLength(f.snapshot.models.length));
  }
}

describe('the classification session on the queued machinery', () => {
  it('a restart during a frame: the frame in flight completes on its own engine, the new curve has no point of the old run', async () => {
    const h = await started(true);
    await until(() => frames(h).length >= 2);
    await midFrame(h);
    const restarting = h.session.restart({ ...CONFIG, train: { ...CONFIG.train, learningRate: 0.02 } });
    await restarting;
    const before = frames(h).length;
    await until(() => frames(h).length >= before + 2);
    expect(errors(h)).toEqual([]);
    clean(h);
    curvesConsistent(h);
    expect(frames(h).at(-1)!.run).toBe(2);
  });

  it('the recipe: while playing, the learning rate, batch size and model list change quickly; no error, no disposed tensor read, no old point in the new curve', async () => {
    const h = await started(true);
    await until(() => frames(h).length >= 1);
    const tensors = tf.memory().numTensors;
    const changes: ClassRunConfig[] = [
      { ...CONFIG, train: { ...CONFIG.train, learningRate: 0.03 } },
      { ...CONFIG, train: { ...CONFIG.train, learningRate: 0.03, batchSize: 16 } },
      { ...CONFIG, models: [...CONFIG.models, classModel('gce')] },
      { ...CONFIG, models: [classModel('rul'), classModel('alum', { hardFraction: 0.2 }, 'a2')] },
      {
        ...CONFIG,
        train: { ...CONFIG.train, batchSize: 48 },
        models: [classModel('rul'), classModel('alum', { hardFraction: 0.2 }, 'a2')],
      },
    ];
    for (const next of changes) {
      await midFrame(h);
      void h.session.update(next);
    }
    await h.session.idle();
    const before = frames(h).length;
    await until(() => frames(h).length >= before + 2);
    expect(errors(h)).toEqual([]);
    clean(h);
    curvesConsistent(h);
    const last = frames(h).at(-1)!;
    expect(last.snapshot.models.map((m) => m.id)).toEqual(['rul', 'a2']);
    expect(last.snapshot.models.every((m) => Number.isFinite(m.metrics.testAccuracy))).toBe(true);
    await h.session.pause();
    // Each engine replaced was disposed whole: the live tensors are those of one engine, as before the changes.
    expect(Math.abs(tf.memory().numTensors - tensors)).toBeLessThan(40);
  });

  it('play during a mutation: a paused run, a live data change and Play fired together; the change lands before the loop ticks', async () => {
    const h = await started(false);
    const shown = frames(h).length;
    const flipped = { ...CONFIG, data: { ...CONFIG.data, flipRate: 0.4 } };
    const updating = h.session.update(flipped);
    void h.session.play();
    await expect(updating).resolves.toBe('live');
    await until(() => frames(h).length >= shown + 3);
    await h.session.pause();
    expect(errors(h)).toEqual([]);
    clean(h);
    curvesConsistent(h);
    // One run throughout: the live change kept the weights and the curve.
    expect(new Set(frames(h).map((f) => f.run))).toEqual(new Set([1]));
  });

  it('a refused change (a model the engine cannot train) leaves the run as it was, still training', async () => {
    const h = await started(true);
    await until(() => frames(h).length >= 1);
    const bad = { ...CONFIG, models: [CONFIG.models[0], { ...CONFIG.models[1], compP: 7 }] };
    await expect(h.session.update(bad)).rejects.toThrow(/nothing was changed/);
    const n = frames(h).length;
    await until(() => frames(h).length >= n + 2);
    expect(errors(h)).toEqual([]);
    expect(frames(h).at(-1)!.run).toBe(1);
  });

  it('a device lost while a frame is read: that frame never lands, one fail-over, training goes on from the last frame shown', async () => {
    const h = await started(true);
    await until(() => frames(h).length >= 2);
    await midFrame(h);
    const shown = frames(h).at(-1)!.snapshot.step;
    h.loseDevice();
    await until(() => h.messages.some((m) => m.kind === 'notice'));
    const after = frames(h).length;
    await until(() => frames(h).length >= after + 2);
    expect(errors(h)).toEqual([]);
    expect(h.backends).toEqual(['webgpu', 'webgl']);
    const notice = h.messages.find((m) => m.kind === 'notice') as { message: string };
    expect(notice.message).toContain(`from step ${shown}`);
    // The first frame on the new backend is the last one shown; the curve goes on (one run).
    const next = frames(h)[after];
    expect(next.snapshot.step).toBe(shown);
    expect(next.snapshot.models.map((m) => m.metrics.testAccuracy)).toEqual(
      frames(h)[after - 1].snapshot.models.map((m) => m.metrics.testAccuracy),
    );
    curvesConsistent(h);
    expect(new Set(frames(h).map((f) => f.run))).toEqual(new Set([1]));
  });
});
