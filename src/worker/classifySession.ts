// The classification mode's training session: one ClassifyEngine driven in queued ticks on the same machinery as
// the regression trainer (SerialSession: one queue for every call, the loop as queued ticks, a generation counter,
// the fail-over plumbing). Live changes of the setup (data under the same weights, a model's hyperparameters) and
// restarts are queued calls, so none lands while a tick is stepping or reading a frame: a restart can never
// dispose the tensors a frame is still reading (readMining), and the old run's frame never lands in the new
// run's curve. Platform-free: the worker (classify.worker.ts) gives it the browser's backend, tests a Node one.
import { classCount, makeClassData, type ClassData } from '../core/classify/data';
import { ClassifyEngine, type ClassRunConfig } from '../core/classify/engine';
import type { ClassSnapshot } from '../core/classify/evaluate';
import type { ClassHistoryRow } from '../core/classify/schema';
import { classModelProblem, type ClassModelSpec, type ClassTrainSettings } from '../core/classify/spec';
import type { ClassListener, ClassMessage } from './protocol';
import { message, SerialSession, type DeviceWatch } from './serialSession';

export type { ClassListener, ClassMessage };

/** What the session drives: the engine (tests wrap it to widen the windows a race needs). */
export type ClassTrainer = Pick<
  ClassifyEngine,
  'run' | 'frame' | 'exportParams' | 'setData' | 'updateModel' | 'dispose'
>;

/** What the session stands on: the worker gives it the browser's, tests a Node one. */
export interface ClassPlatform extends DeviceWatch {
  /** The next backend, skipping those tried; resolves with its name. */
  initBackend: (skip: string[]) => Promise<string>;
  makeEngine: (
    data: ClassData,
    specs: ClassModelSpec[],
    train: ClassTrainSettings,
    start?: { params: Float32Array[][]; step: number },
  ) => ClassTrainer;
}

const STEPS_PER_TICK = 5;
const FRAME_MS = 400;
/**
 * A frame (metrics, fields over the grid, the latest mining: several forward passes and reads) may cost more than
 * training steps on a slow adapter (SwiftShader: seconds); frames then wait this many times their own cost, so
 * at most about a quarter of the time goes to drawing.
 */
const FRAME_COST_FACTOR = 3;
/** …but never longer than this between frames (the first frames also compile every kernel: tens of seconds). */
const FRAME_WAIT_MAX_MS = 3000;
const MAX_STEP_CALL = 10_000;
/** The curve keeps at most this many points (every other one is dropped when it is full). */
const HISTORY_MAX = 400;

/** The engine itself, where a platform builds nothing else. */
export const makeEngine = (
  data: ClassData,
  specs: ClassModelSpec[],
  train: ClassTrainSettings,
  start?: { params: Float32Array[][]; step: number },
): ClassTrainer => new ClassifyEngine(data, specs, train, start?.params, start?.step);

export class ClassifySession extends SerialSession<ClassPlatform> {
  private engine: ClassTrainer | null = null;
  private config: ClassRunConfig | null = null;
  private history: ClassHistoryRow[] = [];
  /** Bumped whenever the run restarts (fresh weights): the page starts its curve again. */
  private runId = 0;
  private lastFrame = 0;
  private stepsAtFrame = 0;
  /** How long the last frame took (ms). */
  private frameCost = 0;
  /** The weights and step of the last frame shown: where a fail-over restarts (Adam's moments are not kept). */
  private checkpoint: { params: Float32Array[][]; step: number } | null = null;
  private triedBackends: string[] = [];

  constructor(
    platform: ClassPlatform,
    private listener: ClassListener,
  ) {
    super(platform);
  }

  protected hasRun(): boolean {
    return this.engine !== null;
  }

  protected stopTraining(reason: string): void {
    this.send({ kind: 'error', message: reason });
  }

  private send(m: ClassMessage): void {
    this.listener(m);
  }

  /** Starts on the platform's backend: fresh weights on this setup; playing when `autoplay`. */
  start(config: ClassRunConfig, backend: string, autoplay = true): Promise<void> {
    return this.enqueue(async () => {
      this.backend = backend;
      this.watchDevice();
      this.install(config);
      this.wantPlaying = autoplay;
      await this.afterChange();
    });
  }

  /** A new run on this setup from fresh weights (a lesson, a changed architecture or model list). */
  restart(config: ClassRunConfig): Promise<void> {
    return this.enqueue(async () => {
      this.install(config);
      await this.afterChange();
    });
  }

  /** A changed setup: the same weights where it can (data with the same classes, hyperparameters), else a restart. */
  update(config: ClassRunConfig): Promise<'live' | 'restarted'> {
    return this.enqueue(async () => {
      const old = this.config;
      const engine = this.engine;
      if (!engine || !old) throw new Error('the trainer has not started');
      const sameModels =
        old.models.length === config.models.length && old.models.every((m, k) => m.id === config.models[k].id);
      const sameTrain = JSON.stringify(old.train) === JSON.stringify(config.train);
      if (!sameModels || !sameTrain || classCount(old.data) !== classCount(config.data)) {
        this.install(config);
        await this.afterChange();
        return 'restarted';
      }
      // Every model is checked before any changes: a refused change leaves the run as it was.
      const data = JSON.stringify(old.data) !== JSON.stringify(config.data) ? makeClassData(config.data) : null;
      for (const m of config.models) {
        const why = classModelProblem(m, config.train);
        if (why) throw new Error(`model ${m.id}: ${why}; nothing was changed`);
      }
      if (data) engine.setData(data);
      config.models.forEach((m, k) => engine.updateModel(k, m));
      this.config = structuredClone(config);
      if (!this.wantPlaying) await this.sendFrame();
      return 'live';
    });
  }

  play(): Promise<void> {
    return this.enqueue(() => {
      if (!this.engine) throw new Error('the trainer has not started');
      this.wantPlaying = true;
      this.ensureLoop();
    });
  }

  pause(): Promise<void> {
    return this.enqueue(() => {
      this.wantPlaying = false;
    });
  }

  step(n: number): Promise<void> {
    return this.enqueue(async () => {
      if (!this.engine) throw new Error('the trainer has not started');
      this.engine.run(Math.max(1, Math.min(MAX_STEP_CALL, Math.floor(Number.isFinite(n) ? n : 1))));
      await this.sendFrame();
    });
  }

  /** For tests: waits until every queued call has been applied. */
  idle(): Promise<void> {
    return this.enqueue(() => undefined);
  }

  dispose(): Promise<void> {
    return this.enqueue(() => {
      this.wantPlaying = false;
      this.generation++;
      this.engine?.dispose();
      this.engine = null;
    });
  }

  /** A new run: the new engine is built first (a setup it refuses leaves the old run in place), then the old one goes. */
  private install(config: ClassRunConfig, start?: { params: Float32Array[][]; step: number }): void {
    const engine = this.platform.makeEngine(makeClassData(config.data), config.models, config.train, start);
    const old = this.engine;
    this.engine = engine;
    this.config = structuredClone(config);
    this.generation++;
    if (!start) {
      this.runId++;
      this.history = [];
      this.checkpoint = null;
    }
    this.lastFrame = 0;
    try {
      old?.dispose();
    } catch {
      // A lost device's tensors cannot be freed; dropping the references is all that is left.
    }
  }

  private async afterChange(): Promise<void> {
    if (this.wantPlaying) this.ensureLoop();
    else await this.sendFrame();
  }

  protected async tick(): Promise<void> {
    const engine = this.engine;
    if (!this.wantPlaying || !engine) return;
    const gen = this.generation;
    try {
      engine.run(STEPS_PER_TICK);
      const wait = Math.max(FRAME_MS, Math.min(FRAME_WAIT_MAX_MS, FRAME_COST_FACTOR * this.frameCost));
      if (performance.now() - this.lastFrame > wait) await this.sendFrame();
    } catch (err) {
      // A lost device fails the tick in flight too, but its fail-over is already queued (the generation moved).
      if (gen !== this.generation) return;
      await this.handleFailure(err);
    }
  }

  /** Reads one frame and sends it; false (nothing sent) if the run was replaced while it was read. */
  private async sendFrame(): Promise<boolean> {
    const engine = this.engine;
    if (!engine) return false;
    const gen = this.generation;
    const now = performance.now();
    const [snapshot, params] = await Promise.all([engine.frame(true, 48), engine.exportParams()]);
    if (gen !== this.generation) return false;
    this.checkpoint = { params, step: snapshot.step };
    this.frameCost = performance.now() - now;
    const elapsed = (now - this.lastFrame) / 1000;
    const stepsPerSecond = this.lastFrame && elapsed > 0 ? (snapshot.step - this.stepsAtFrame) / elapsed : 0;
    this.lastFrame = now;
    this.stepsAtFrame = snapshot.step;
    const last = this.history[this.history.length - 1];
    if (!last || last.step !== snapshot.step)
      this.history.push({ step: snapshot.step, accuracy: snapshot.models.map((m) => m.metrics.testAccuracy) });
    if (this.history.length > HISTORY_MAX) this.history = this.history.filter((_, i) => i % 2 === 0);
    this.send({ kind: 'frame', snapshot, history: this.history.slice(), stepsPerSecond, run: this.runId });
    return true;
  }

  /** The next backend, from the weights of the last frame shown (Adam's moments restart); the run goes on as asked. */
  protected async failOver(reason: string): Promise<void> {
    const config = this.config;
    if (!config) return;
    if (this.backend) this.triedBackends.push(this.backend);
    try {
      this.engine?.dispose();
    } catch {
      // The lost device's tensors cannot be freed.
    }
    this.engine = null;
    this.generation++;
    try {
      this.backend = await this.platform.initBackend(this.triedBackends);
      this.install(config, this.checkpoint ?? undefined);
      this.watchDevice();
    } catch (err) {
      this.wantPlaying = false;
      this.send({ kind: 'error', message: `${reason}, and no other backend could take over: ${message(err)}` });
      return;
    }
    this.send({
      kind: 'notice',
      message: `${reason}; training continues on ${this.backend} from step ${this.checkpoint?.step ?? 0} (Adam's moments restart).`,
    });
    // The carried-over weights, shown at once: the first frame on the new backend is the last one shown on the old.
    await this.sendFrame();
    if (this.wantPlaying) this.ensureLoop();
  }
}

// The snapshot type the frames carry, for the page.
export type { ClassSnapshot };
