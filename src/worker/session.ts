// The trainer session: one object that owns the run (configuration, points, the active training path and
// its last consistent state) and applies every call in order through one queue. The training loop is a
// series of queued ticks, so a call never lands in the middle of one; a generation counter drops the result
// of a tick whose path was replaced while it awaited (a fail-over).
import { withIds, type ModelSpec, type RunConfig, type TrainSettings } from '../core/config';
import { makePoints, validateDataSpec, type DataSpec, type Points } from '../core/datasets';
import { Engine, type TrainingPath } from '../core/engine';
import { parseLossId } from '../core/losses';
import { expandCopyFrom, expandMembers, memberTotal } from '../core/members';
import { LIMITS, tooManyPoints } from '../core/messages';
import { trainingPoints } from '../core/split';
import { freshModelState, paramCount, restackState, stateMismatch, type ModelState, type TrainingState } from '../core/state';
import type { BackendChoice, BackendName } from '../platform/browser';
import type { Frame, RunExport, RunImport, StartOptions, TrainerListener, TrainerPhase } from './protocol';
import { checkMembers, checkModelCount, freshState, type LossMoment, type SessionPlatform } from './sessionRules';
import { nextBudget } from './tickBudget';

export { nextBudget };
export type { LossMoment, SessionPlatform };

/** The state rides along in every frame's read up to this many floats; above it, every CHECKPOINT_MS. */
const STATE_IN_EVERY_FRAME = 1 << 18;
const CHECKPOINT_MS = 2000;
const MAX_STEP_CALL = 100_000;

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class TrainerSession {
  private config: RunConfig | null = null;
  private points: Points | null = null;
  /** The data spec the points come from (their truth), null for the user's own points. */
  private truth: DataSpec | null = null;
  private path: TrainingPath | null = null;
  /** The last state known to be consistent with `config`: where a fail-over restarts. */
  private checkpoint: TrainingState | null = null;
  private checkpointAt = 0;
  private backend: BackendName | null = null;
  private triedBackends: BackendName[] = [];
  private fusedAllowed = true;
  /** A sweep's session (StartOptions.sweep): 64 models, metrics-only frames. */
  private sweep = false;
  private wantPlaying = false;
  private looping = false;
  private queue: Promise<unknown> = Promise.resolve();
  /** Bumped whenever the path is replaced: an await that spans a replacement drops its result. */
  private generation = 0;
  /** Bumped whenever the run is replaced (restart, import, data): the page restarts its curves. */
  private runId = 0;
  private pointsSent = false;
  private budget = 1;
  /** Recent ticks (steps, milliseconds): the budget model tick = a + b·steps is fitted to them. */
  private ticks: { n: number; ms: number }[] = [];
  private lastFrame = { at: 0, step: 0 };
  private notice: string | null = null;
  private phase: TrainerPhase = 'starting';
  /** A test's armed device loss (loseDevice(moment)); null in normal use. */
  private lossArmed: LossMoment | null = null;

  constructor(
    private readonly platform: SessionPlatform,
    private listener: TrainerListener | null = null,
  ) {}

  /** Queues `fn` behind every earlier call; its failure is the caller's, never the queue's. */
  private enqueue<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private status(phase: TrainerPhase, msg: string | null = null): void {
    this.phase = phase;
    this.listener?.status({ phase, backend: this.backend, message: msg, notice: this.notice, path: this.path?.kind ?? 'tfjs', playing: this.wantPlaying });
  }

  private require(): { config: RunConfig; points: Points; path: TrainingPath } {
    if (!this.config || !this.points || !this.path) throw new Error('the trainer has not started');
    return { config: this.config, points: this.points, path: this.path };
  }

  private indexOf(id: string): number {
    const k = this.config?.models.findIndex((m) => m.id === id) ?? -1;
    if (k < 0) throw new Error(`there is no model "${id}" (it may have been removed); nothing was changed`);
    return k;
  }

  // ---------------------------------------------------------------- paths

  private stateFloats(config: RunConfig): number {
    return memberTotal(config.models) * (3 * paramCount(config.train.architecture) + 1);
  }

  /** The fused kernel where it covers the run, else the tfjs engine. Builds only; throws if the state does not fit. */
  private build(config: RunConfig, points: Points, truth: DataSpec | null, state: TrainingState): TrainingPath {
    // The paths train every ensemble member as a model of its own; your own data without a truth trains on
    // its training share only (the held-out share rides along for the evaluator).
    const members = expandMembers(config.models);
    const why = stateMismatch(state, config.train.architecture, members);
    if (why) throw new Error(`the training state does not fit this run: ${why}`);
    const trained = truth ? points : trainingPoints(points, config.train.heldOut);
    const view = { metricsOnly: this.sweep };
    const fused = this.fusedAllowed ? this.platform.makeFused(trained, truth, members, config.train, state, view) : null;
    return fused ?? new Engine(trained, truth, members, config.train, state, view);
  }

  /**
   * Swaps in a new run: the new path is built first, and only once it stands is the old one dropped, so a
   * failure leaves everything as it was. `newRun` restarts the page's curves.
   */
  private install(config: RunConfig, points: Points, truth: DataSpec | null, state: TrainingState, newRun: boolean): void {
    const path = this.build(config, points, truth, state);
    const old = this.path;
    const pointsChanged = points !== this.points;
    this.path = path;
    this.config = config;
    this.points = points;
    this.truth = truth;
    this.checkpoint = state;
    this.checkpointAt = performance.now();
    this.generation++;
    if (newRun) this.runId++;
    if (pointsChanged) this.pointsSent = false;
    this.budget = Math.max(1, Math.min(this.budget, 50));
    this.ticks = [];
    this.lastFrame = { at: performance.now(), step: state.step };
    try {
      old?.dispose();
    } catch {
      // A lost device's buffers cannot be freed; dropping the references is all that is left.
    }
  }

  /** Rebuilds the run from its own current state, transformed by `change` (ids keep their models' state). */
  private async rebuild(next: { config?: RunConfig; points?: Points; truth?: DataSpec | null; newRun?: boolean }, change: (s: TrainingState) => TrainingState = (s) => s): Promise<void> {
    const { config, points } = this.require();
    const current = await this.onDevice((path) => {
      const exporting = path.exportState();
      this.loseIfArmed('handoff');
      return exporting;
    });
    const nextConfig = next.config ?? config;
    this.install(nextConfig, next.points ?? points, next.truth === undefined ? this.truth : next.truth, change(current), next.newRun ?? false);
    await this.afterChange();
  }

  /**
   * Runs `fn` on the current path; if the device fails under it (lost mid-hand-off or mid-read), the run first
   * moves to the next backend from its last consistent state and `fn` runs again there, so the call still lands.
   */
  private async onDevice<T>(fn: (path: TrainingPath) => Promise<T>): Promise<T> {
    const backend = this.backend;
    try {
      return await fn(this.require().path);
    } catch (err) {
      if (!this.platform.isDeviceError(err) || this.backend !== backend) throw err;
      await this.failOver(`the ${this.backend} device failed (${message(err)})`);
      return fn(this.require().path);
    }
  }

  private loseIfArmed(at: LossMoment): void {
    if (this.lossArmed !== at) return;
    this.lossArmed = null;
    this.platform.loseDevice();
  }

  /** After a change: the loop goes on as the user asked, or a paused page sees the new state at once. */
  private async afterChange(): Promise<void> {
    if (this.wantPlaying) {
      if (this.phase !== 'training') this.status('training');
      this.ensureLoop();
    } else await this.sendFrame();
  }

  // ---------------------------------------------------------------- the loop

  private ensureLoop(): void {
    if (this.looping) return;
    this.looping = true;
    void (async () => {
      try {
        while (this.wantPlaying && this.path) {
          try {
            await this.enqueue(() => this.tick());
          } catch (err) {
            // tick() handles its own failures; anything escaping it is a bug of the session: stop and say so.
            this.wantPlaying = false;
            this.status('error', `training stopped: ${message(err)}. The run is kept; press Play to try again.`);
          }
          await new Promise((r) => setTimeout(r, 0));
        }
      } finally {
        this.looping = false;
      }
    })();
  }

  /** Steps for about TICK_MS, then one read: the snapshot (and the state, as a checkpoint for fail-over). */
  private async tick(): Promise<void> {
    if (!this.wantPlaying || !this.path) return;
    const gen = this.generation;
    const t0 = performance.now();
    try {
      this.path.run(this.budget);
      this.loseIfArmed('dispatch');
      const sent = await this.sendFrame();
      if (!sent) return;
    } catch (err) {
      // A lost device fails the tick in flight too, but its fail-over is already queued (the generation moved):
      // handling this failure as well would hand the run on a second time, to the backend after the next.
      if (gen !== this.generation) return;
      await this.handleFailure(err);
      return;
    }
    this.budget = nextBudget(this.ticks, this.budget, performance.now() - t0);
    if (this.phase !== 'training') this.status('training');
  }

  /** Reads one frame from the path and sends it; false if the path was replaced while it was read. */
  private async sendFrame(): Promise<boolean> {
    const { config, points, path } = this.require();
    const gen = this.generation;
    const now = performance.now();
    const withState = this.stateFloats(config) <= STATE_IN_EVERY_FRAME || now - this.checkpointAt >= CHECKPOINT_MS;
    const reading = path.frame(withState);
    this.loseIfArmed('read');
    const { snapshot, state } = await reading;
    if (gen !== this.generation) return false;
    if (state) {
      this.checkpoint = state;
      this.checkpointAt = now;
    }
    const elapsed = (now - this.lastFrame.at) / 1000;
    const frame: Frame = {
      snapshot,
      config,
      points: this.pointsSent ? null : points,
      stepsPerSecond: elapsed > 0 ? (snapshot.step - this.lastFrame.step) / elapsed : 0,
      reads: 1,
      run: this.runId,
    };
    this.pointsSent = true;
    this.lastFrame = { at: now, step: snapshot.step };
    this.listener?.frame(frame);
    return true;
  }

  /** A failing tick: a device's own failure hands the run to the next backend; anything else stops and says so. */
  private async handleFailure(err: unknown): Promise<void> {
    const lost = this.platform.isDeviceError(err);
    if (lost) {
      await this.failOver(`the ${this.backend} device failed (${message(err)})`);
      return;
    }
    this.wantPlaying = false;
    this.status('error', `training stopped: ${message(err)}. The run is kept; press Play to try again.`);
  }

  private watchDevice(): void {
    const lost = this.platform.deviceLost();
    if (!lost) return;
    const backend = this.backend;
    void lost.then((reason) => {
      if (this.backend !== backend) return;
      // A tick awaiting the lost device must not land: bump the generation before queueing the fail-over.
      this.generation++;
      // A call that met the failure first (a hand-off, a tick) may have failed over already: then nothing is left to do.
      void this.enqueue(() => (this.backend === backend ? this.failOver(reason) : undefined));
    });
  }

  /** Re-initialises on the next backend from the last consistent state and goes on as the user asked. */
  private async failOver(reason: string): Promise<void> {
    if (!this.config || !this.points || !this.checkpoint) return;
    if (this.backend) this.triedBackends.push(this.backend);
    const state = this.checkpoint;
    try {
      this.path?.dispose();
    } catch {
      // The lost device's buffers cannot be freed.
    }
    this.path = null;
    this.platform.backendChanged();
    try {
      const choice = await this.platform.initBackend(undefined, this.triedBackends);
      this.backend = choice.backend;
      this.install(this.config, this.points, this.truth, state, false);
      this.watchDevice();
    } catch (err) {
      this.wantPlaying = false;
      this.status('error', `${reason}, and no other backend could take over: ${message(err)}`);
      return;
    }
    this.notice = `${reason}; training continues on ${this.backend} from step ${state.step}.`;
    this.status(this.wantPlaying ? 'training' : 'paused');
    // The carried-over state, shown at once: the first frame on the new backend is the last one shown on the old.
    await this.sendFrame();
    if (this.wantPlaying) this.ensureLoop();
  }

  // ---------------------------------------------------------------- the calls

  start(config: RunConfig, options: StartOptions): Promise<BackendChoice> {
    return this.enqueue(async () => {
      this.status('starting', 'starting TensorFlow.js…');
      const choice = await this.platform.initBackend(options.backend);
      this.backend = choice.backend;
      this.fusedAllowed = options.fused !== false;
      this.sweep = options.sweep === true;
      const cfg = { ...config, models: withIds(config.models) };
      checkModelCount(cfg.models.length, this.sweep);
      checkMembers(cfg.models, this.sweep);
      this.install(cfg, makePoints(cfg.data), cfg.data, freshState(cfg.train.architecture, cfg.models), true);
      this.watchDevice();
      this.notice = choice.notes.length ? `using ${this.backend}: ${choice.notes.join('; ')}` : null;
      this.wantPlaying = options.autoplay;
      this.status(this.wantPlaying ? 'compiling' : 'paused', this.wantPlaying ? 'compiling the training kernels…' : null);
      await this.afterChange();
      return choice;
    });
  }

  setListener(listener: TrainerListener): void {
    this.listener = listener;
  }

  play(): Promise<void> {
    return this.enqueue(() => {
      this.require();
      this.wantPlaying = true;
      this.status('training');
      this.ensureLoop();
    });
  }

  pause(): Promise<void> {
    return this.enqueue(async () => {
      this.wantPlaying = false;
      this.status('paused');
      if (this.path) await this.sendFrame();
    });
  }

  step(n: number): Promise<void> {
    return this.enqueue(async () => {
      const { path } = this.require();
      path.run(Math.max(1, Math.min(MAX_STEP_CALL, Math.floor(Number.isFinite(n) ? n : 1))));
      await this.sendFrame();
    });
  }

  updateModel(id: string, patch: Partial<ModelSpec>): Promise<void> {
    return this.enqueue(async () => {
      const { config, path } = this.require();
      const k = this.indexOf(id);
      const next: ModelSpec = { ...config.models[k], ...patch, id };
      parseLossId(next.loss);
      const models = config.models.map((m, j) => (j === k ? next : m));
      checkMembers(models, this.sweep);
      // Live on every member when the members stay the same networks; a new member count restacks.
      const before = expandMembers(config.models);
      const mine = expandMembers([next]);
      const at = mine.map((s) => before.findIndex((b) => b.id === s.id));
      if (mine.length === expandMembers([config.models[k]]).length && at.every((j, i) => path.updateModel(j, mine[i]))) {
        this.config = { ...config, models };
        if (!this.wantPlaying) await this.sendFrame();
        return;
      }
      await this.rebuild({ config: { ...config, models } }, (s) => restackState(s, expandMembers(models), config.train.architecture));
    });
  }

  setTrain(patch: Partial<TrainSettings>): Promise<void> {
    return this.enqueue(async () => {
      const { config } = this.require();
      const train = { ...config.train, ...patch };
      const archChanged = JSON.stringify(train.architecture) !== JSON.stringify(config.train.architecture);
      // A new architecture has new parameters: every model starts again. Anything else goes on from where it is.
      await this.rebuild({ config: { ...config, train } }, (s) => (archChanged ? freshState(train.architecture, config.models) : s));
    });
  }

  /** The page's new list of models; a new id starts from a copy of `copyFrom[id]`, from its state in `seeds`, or fresh. */
  setModels(models: ModelSpec[], copyFrom: Record<string, string> = {}, seeds: ModelState[] = []): Promise<void> {
    return this.enqueue(async () => {
      const { config } = this.require();
      if (models.length === 0) throw new Error('a run needs at least one model');
      checkModelCount(models.length, this.sweep);
      const specs = withIds(models);
      specs.forEach((s) => parseLossId(s.loss));
      checkMembers(specs, this.sweep);
      await this.rebuild({ config: { ...config, models: specs } }, (s) => restackState(s, expandMembers(specs), config.train.architecture, expandCopyFrom(config.models, specs, copyFrom), seeds));
    });
  }

  resetModel(id: string): Promise<void> {
    return this.enqueue(async () => {
      const { config } = this.require();
      const mine = expandMembers([config.models[this.indexOf(id)]]);
      await this.rebuild({}, (s) => ({ step: s.step, models: s.models.map((m) => {
        const member = mine.find((x) => x.id === m.id);
        return member ? freshModelState(config.train.architecture, member) : m;
      }) }));
    });
  }

  resetAll(): Promise<void> {
    return this.enqueue(async () => {
      const { config, points } = this.require();
      this.install(config, points, this.truth, freshState(config.train.architecture, config.models), true);
      await this.afterChange();
    });
  }

  setData(spec: DataSpec, keepWeights: boolean): Promise<void> {
    return this.enqueue(async () => {
      const { config } = this.require();
      validateDataSpec(spec);
      const points = makePoints(spec);
      const next = { ...config, data: spec };
      await this.rebuild({ config: next, points, truth: spec, newRun: !keepWeights }, (s) => (keepWeights ? s : freshState(config.train.architecture, config.models)));
    });
  }

  setPoints(points: Points, keepWeights: boolean, truth: DataSpec | null): Promise<void> {
    return this.enqueue(async () => {
      const { config } = this.require();
      if (points.x.length < 2 || points.y.length !== points.x.length || points.isOutlier.length !== points.x.length) throw new Error('the data needs at least two points, with x, y and outlier flags of equal length');
      if (points.x.length > LIMITS.maxPoints) throw new Error(`${tooManyPoints(points.x.length)}; nothing was changed`);
      await this.rebuild({ points, truth, newRun: !keepWeights }, (s) => (keepWeights ? s : freshState(config.train.architecture, config.models)));
    });
  }

  restart(config: RunConfig, points: Points | null, autoplay: boolean): Promise<void> {
    return this.enqueue(async () => {
      this.require();
      checkModelCount(config.models.length, this.sweep);
      checkMembers(config.models, this.sweep);
      const cfg = { ...config, models: withIds(config.models) };
      this.install(cfg, points ?? makePoints(cfg.data), points ? null : cfg.data, freshState(cfg.train.architecture, cfg.models), true);
      this.wantPlaying = autoplay;
      this.status(autoplay ? 'training' : 'paused');
      await this.afterChange();
    });
  }

  importRun(run: RunImport): Promise<void> {
    return this.enqueue(async () => {
      this.require();
      checkModelCount(run.config.models.length, this.sweep);
      // install() builds the new path before it touches anything: a file that does not load leaves the run as it was.
      this.install(run.config, run.points, run.imported ? null : run.config.data, run.state, true);
      await this.afterChange();
    });
  }

  exportRun(): Promise<RunExport> {
    return this.enqueue(async () => {
      const { snapshot, state } = await this.onDevice((path) => path.frame(true));
      const { config, points } = this.require();
      this.checkpoint = state!;
      this.checkpointAt = performance.now();
      return { config, points, imported: this.truth === null, state: state!, snapshot };
    });
  }

  /** For tests: loses the device now, or arms it to go at the next dispatch, frame read or hand-off. */
  loseDevice(moment: LossMoment = 'now'): Promise<boolean> {
    if (moment === 'now') return Promise.resolve(this.platform.loseDevice());
    this.lossArmed = moment;
    return Promise.resolve(true);
  }

  memory(): Promise<{ numTensors: number; gpuBuffers: number | null }> {
    return this.enqueue(() => this.platform.memory());
  }

  /** For tests: waits until every queued call has been applied. */
  idle(): Promise<void> {
    return this.enqueue(() => undefined);
  }
}
