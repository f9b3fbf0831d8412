// A TrainerSession in Node for tests of what stands on it (the page's store, fail-over across backends): tfjs on
// the CPU stands in for every device. WebGPU's path is the engine with slow reads (each await a window for a race);
// WebGL's is the engine whose reads return zeros once its context is lost, as a lost WebGL context's reads do.
import { Engine, type PathFrame, type TrainingPath } from '../../src/core/engine';
import type { ModelSpec } from '../../src/core/config';
import type { TrainingState } from '../../src/core/state';
import { tf } from '../../src/core/tf';
import type { Frame, TrainerStatus } from '../../src/worker/protocol';
import { TrainerSession, type SessionPlatform } from '../../src/worker/session';

export class DeviceFailure extends Error {
  override name = 'OperationError';
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const zeroed = (s: TrainingState): TrainingState => ({
  step: s.step,
  models: s.models.map((m) => ({
    ...m,
    params: new Float32Array(m.params.length),
    m: new Float32Array(m.m.length),
    v: new Float32Array(m.v.length),
  })),
});

/** The engine behind a device: slow reads (`delay` ms), a device that can fail, and reads of zeros once `zeros`. */
export class DevicePath implements TrainingPath {
  readonly kind: 'fused' | 'tfjs';
  readonly label = 'device test path';
  /** The device is gone: every later dispatch, read and export fails. */
  lost = false;
  /** Reads return zeros without an error (a lost WebGL context). */
  zeros = false;
  /** The next frame read throws this (not the device's own error) after its delay. */
  failFrameWith: Error | null = null;
  /** Called when a frame read starts (a test loses the device at that moment). */
  onFrame: (() => void) | null = null;
  constructor(
    private readonly engine: Engine,
    private readonly delay: number,
    kind: 'fused' | 'tfjs',
  ) {
    this.kind = kind;
  }
  get step() {
    return this.engine.step;
  }
  run(n: number) {
    if (this.lost) throw new DeviceFailure('the device was lost (simulated)');
    if (!this.zeros) this.engine.run(n);
  }
  async frame(withState: boolean): Promise<PathFrame> {
    const hook = this.onFrame;
    this.onFrame = null;
    hook?.();
    if (this.delay) await sleep(this.delay);
    const fail = this.failFrameWith;
    this.failFrameWith = null;
    if (fail) throw fail;
    if (this.lost) throw new DeviceFailure('mapAsync on a lost device (simulated)');
    const f = await this.engine.frame(withState);
    return this.zeros && f.state ? { ...f, state: zeroed(f.state) } : f;
  }
  async exportState(): Promise<TrainingState> {
    if (this.delay) await sleep(this.delay);
    if (this.lost) throw new DeviceFailure('mapAsync on a lost device (simulated)');
    const s = await this.engine.exportState();
    return this.zeros ? zeroed(s) : s;
  }
  updateModel(k: number, spec: ModelSpec) {
    return this.engine.updateModel(k, spec);
  }
  dispose() {
    this.engine.dispose();
  }
}

const copyState = (s: TrainingState): TrainingState => ({
  step: s.step,
  models: s.models.map((m) => ({ ...m, params: m.params.slice(), m: m.m.slice(), v: m.v.slice() })),
});

/**
 * A path that carries the training state and no maths: each step nudges every parameter, a frame is the state
 * and a snapshot of ids and steps. The session's own machinery (hand-offs by id, imports, validation) runs as ever,
 * at a thousandth of an engine's cost, for tests of what stands on the session rather than of the training.
 */
export class StatePath implements TrainingPath {
  readonly kind = 'fused';
  readonly label = 'state-only test path';
  private state: TrainingState;
  constructor(
    state: TrainingState,
    private specs: ModelSpec[],
  ) {
    this.state = copyState(state);
  }
  get step() {
    return this.state.step;
  }
  run(n: number) {
    this.state.step += n;
    for (const m of this.state.models) {
      m.steps += n;
      m.params[0] += n;
    }
  }
  async frame(withState: boolean): Promise<PathFrame> {
    await Promise.resolve();
    const snapshot = {
      step: this.state.step,
      backend: 'webgpu',
      models: this.specs.map((s, k) => ({ id: s.id, steps: this.state.models[k]?.steps ?? 0, metrics: { rmse: 1 } })),
    } as unknown as PathFrame['snapshot'];
    return { snapshot, state: withState ? copyState(this.state) : null };
  }
  async exportState(): Promise<TrainingState> {
    await Promise.resolve();
    return copyState(this.state);
  }
  updateModel(k: number, spec: ModelSpec) {
    this.specs = this.specs.map((s, j) => (j === k ? spec : s));
    return true;
  }
  dispose() {}
}

export interface Harness {
  session: TrainerSession;
  frames: Frame[];
  statuses: TrainerStatus[];
  /** The backends initialised, in order. */
  backends: string[];
  /** The paths built on the devices (WebGPU's and WebGL's). */
  paths: DevicePath[];
  /** The backend each frame was sent from. */
  frameBackends: string[];
  /** Resolves the current device's loss signal (WebGPU's `device.lost`, WebGL's `webglcontextlost`). */
  signalLoss: () => void;
}

/**
 * A session on a Node platform. `webgl`: WebGL's context loss is reported as the worker's platform does (its
 * `webglcontextlost` promise, isContextLost after a read); without it WebGL has no loss signal at all.
 */
export function harness(
  options: { delay?: number; webgl?: boolean; lostAfter?: number; stateOnly?: boolean } = {},
): Harness {
  let signal: ((reason: string) => void) | null = null;
  const contextLost = { now: false };
  const h: Harness = {
    session: null as unknown as TrainerSession,
    frames: [],
    statuses: [],
    backends: [],
    paths: [],
    frameBackends: [],
    signalLoss: () => signal?.('the device was lost (simulated)'),
  };
  const names = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
  const current = () => h.backends[h.backends.length - 1];
  const withLoss = (current: string) => current === 'webgpu' || (current === 'webgl' && options.webgl !== false);
  const platform: SessionPlatform = {
    async initBackend(forced, skip = []) {
      const name = forced ?? names.find((n) => !skip.includes(n));
      if (!name) throw new Error('no backend left');
      h.backends.push(name);
      contextLost.now = false;
      return { backend: name, notes: [] };
    },
    makeFused(points, truth, specs, train, state) {
      if (options.stateOnly) return new StatePath(state, specs);
      const b = current();
      if (b !== 'webgpu' && b !== 'webgl') return null;
      const p = new DevicePath(
        new Engine(points, truth, specs, train, state),
        options.delay ?? 2,
        b === 'webgpu' ? 'fused' : 'tfjs',
      );
      h.paths.push(p);
      return p;
    },
    deviceLost: () => (withLoss(current()) ? new Promise<string>((r) => (signal = r)) : null),
    isDeviceError: (err) =>
      err instanceof DeviceFailure || (current() === 'webgl' && options.webgl !== false && contextLost.now),
    backendChanged() {},
    // As device.destroy() or WEBGL_lose_context: the path's work fails (WebGPU) or reads zeros (WebGL) from now on.
    loseDevice() {
      const path = h.paths[h.paths.length - 1];
      const b = current();
      if (!path || (b !== 'webgpu' && b !== 'webgl')) return false;
      if (b === 'webgpu') path.lost = true;
      else {
        path.zeros = true;
        contextLost.now = true;
      }
      // The signal of the device lost now, not of whichever device is current when it arrives.
      const lost = signal;
      setTimeout(() => lost?.('the device was lost (simulated)'), options.lostAfter ?? 0);
      return true;
    },
    memory: () => ({ numTensors: tf.memory().numTensors, gpuBuffers: null }),
  };
  // As the worker's webglGone(): a lost context is known at once, though its reads go on returning zeros.
  if (options.webgl !== false)
    platform.deviceGone = () => (current() === 'webgl' && contextLost.now ? 'the WebGL context was lost' : null);
  h.session = new TrainerSession(platform, {
    frame: (f) => {
      h.frames.push(f);
      h.frameBackends.push(current());
    },
    status: (s) => h.statuses.push(s),
  });
  return h;
}
