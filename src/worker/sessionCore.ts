// The regression trainer session's machinery: the run it owns (configuration, points, the active training path and
// its last consistent state), its tick and frame, and the fail-over to the next backend when a device is lost. The
// queue every call goes through, the loop as queued ticks and the generation counter are SerialSession's
// (serialSession.ts), shared with the classification session. The calls the page makes are TrainerSession's (session.ts).
import type { RunConfig } from '../core/config';
import type { DataSpec, Points } from '../core/datasets';
import { Engine, type Snapshot, type TrainingPath } from '../core/engine';
import { expandMembers, memberTotal } from '../core/members';
import { trainingPoints } from '../core/split';
import { calibrationSplit } from '../core/posthoc';
import { paramCount, stateMismatch, type TrainingState } from '../core/state';
import type { BackendName } from '../platform/browser';
import type { Frame, TrainerListener, TrainerPhase } from './protocol';
import { DeviceGone, type LossMoment, type SessionPlatform } from './sessionRules';
import { message, SerialSession } from './serialSession';
import { nextBudget } from './tickBudget';

/** The state rides along in every frame's read up to this many floats; above it, every CHECKPOINT_MS. */
const STATE_IN_EVERY_FRAME = 1 << 18;
const CHECKPOINT_MS = 2000;

export { message };

export abstract class SessionCore extends SerialSession<SessionPlatform> {
  protected config: RunConfig | null = null;
  protected points: Points | null = null;
  /** The data spec the points come from (their truth), null for the user's own points. */
  protected truth: DataSpec | null = null;
  protected path: TrainingPath | null = null;
  /** The last state known to be consistent with `config`: where a fail-over restarts. */
  protected checkpoint: TrainingState | null = null;
  protected checkpointAt = 0;
  /** The frame shown with the checkpoint (null until one is read): an export falls back to the pair. */
  protected checkpointSnapshot: Snapshot | null = null;
  declare protected backend: BackendName | null;
  protected triedBackends: BackendName[] = [];
  protected fusedAllowed = true;
  /** A sweep's session (StartOptions.sweep): 64 models, metrics-only frames. */
  protected sweep = false;
  /** Bumped whenever the run is replaced (restart, import, data): the page restarts its curves. */
  protected runId = 0;
  protected pointsSent = false;
  protected budget = 1;
  /** Recent ticks (steps, milliseconds): the budget model tick = a + b·steps is fitted to them. */
  protected ticks: { n: number; ms: number }[] = [];
  protected lastFrame = { at: 0, step: 0 };
  protected notice: string | null = null;
  protected phase: TrainerPhase = 'starting';
  /** A test's armed device loss (loseDevice(moment)); null in normal use. */
  protected lossArmed: LossMoment | null = null;

  constructor(
    platform: SessionPlatform,
    protected listener: TrainerListener | null = null,
  ) {
    super(platform);
  }

  protected hasRun(): boolean {
    return this.path !== null;
  }

  protected stopTraining(reason: string): void {
    this.status('error', `training stopped: ${reason}. The run is kept; press Play to try again.`);
  }

  protected status(phase: TrainerPhase, msg: string | null = null): void {
    this.phase = phase;
    this.listener?.status({
      phase,
      backend: this.backend,
      message: msg,
      notice: this.notice,
      path: this.path?.kind ?? 'tfjs',
      pathLabel: this.path?.label,
      playing: this.wantPlaying,
    });
  }

  protected require(): { config: RunConfig; points: Points; path: TrainingPath } {
    if (!this.config || !this.points || !this.path) throw new Error('the trainer has not started');
    return { config: this.config, points: this.points, path: this.path };
  }

  protected indexOf(id: string): number {
    const k = this.config?.models.findIndex((m) => m.id === id) ?? -1;
    if (k < 0) throw new Error(`there is no model "${id}" (it may have been removed); nothing was changed`);
    return k;
  }

  // ---------------------------------------------------------------- paths

  protected stateFloats(config: RunConfig): number {
    return memberTotal(config.models) * (3 * paramCount(config.train.architecture) + 1);
  }

  /** The fused kernel where it covers the run, else the tfjs engine. Builds only; throws if the state does not fit. */
  protected build(config: RunConfig, points: Points, truth: DataSpec | null, state: TrainingState): TrainingPath {
    // The paths train every ensemble member as a model of its own; your own data without a truth trains on
    // its training share only (the held-out share rides along for the evaluator).
    const members = expandMembers(config.models);
    const why = stateMismatch(state, config.train.architecture, members);
    if (why) throw new Error(`the training state does not fit this run: ${why}`);
    // Post-hoc methods hold a calibration share back from training as well (posthoc.ts); a sweep's cells train on the
    // same points as the main run (so a cell opens with weights trained on its data), its frames skip the post-hoc figures.
    const trained = calibrationSplit(
      truth ? points : trainingPoints(points, config.train.heldOut),
      config.train.posthoc,
    );
    const view = { metricsOnly: this.sweep };
    const fused = this.fusedAllowed
      ? this.platform.makeFused(trained, truth, members, config.train, state, view)
      : null;
    return fused ?? new Engine(trained, truth, members, config.train, state, view);
  }

  /**
   * Swaps in a new run: the new path is built first, and only once it stands is the old one dropped, so a
   * failure leaves everything as it was. `newRun` restarts the page's curves.
   */
  protected install(
    config: RunConfig,
    points: Points,
    truth: DataSpec | null,
    state: TrainingState,
    newRun: boolean,
  ): void {
    const path = this.build(config, points, truth, state);
    const old = this.path;
    const pointsChanged = points !== this.points;
    this.path = path;
    this.config = config;
    this.points = points;
    this.truth = truth;
    this.checkpoint = state;
    this.checkpointAt = performance.now();
    this.checkpointSnapshot = null;
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
  protected async rebuild(
    next: { config?: RunConfig; points?: Points; truth?: DataSpec | null; newRun?: boolean },
    change: (s: TrainingState) => TrainingState = (s) => s,
  ): Promise<void> {
    const { config, points } = this.require();
    const current = await this.onDevice((path) => {
      const exporting = path.exportState();
      this.loseIfArmed('handoff');
      return exporting;
    });
    const nextConfig = next.config ?? config;
    this.install(
      nextConfig,
      next.points ?? points,
      next.truth === undefined ? this.truth : next.truth,
      change(current),
      next.newRun ?? false,
    );
    await this.afterChange();
  }

  /**
   * Runs `fn` on the current path; if the device fails under it (lost mid-hand-off or mid-read), the run first
   * moves to the next backend from its last consistent state and `fn` runs again there, so the call still lands.
   */
  protected async onDevice<T>(fn: (path: TrainingPath) => Promise<T>): Promise<T> {
    const backend = this.backend;
    try {
      const out = await fn(this.require().path);
      const gone = this.platform.deviceGone?.();
      if (gone) throw new DeviceGone(gone);
      return out;
    } catch (err) {
      if (!this.isLoss(err) || this.backend !== backend) throw err;
      await this.failOver(`the ${this.backend} device failed (${message(err)})`);
      return fn(this.require().path);
    }
  }

  /** A device's own failure, or a read from a device that is gone. */
  protected override isLoss(err: unknown): boolean {
    return err instanceof DeviceGone || this.platform.isDeviceError(err);
  }

  protected loseIfArmed(at: LossMoment): void {
    if (this.lossArmed !== at) return;
    this.lossArmed = null;
    this.platform.loseDevice();
  }

  /** After a change: the loop goes on as the user asked, or a paused page sees the new state at once. */
  protected async afterChange(): Promise<void> {
    if (this.wantPlaying) {
      if (this.phase !== 'training') this.status('training');
      this.ensureLoop();
    } else await this.sendFrame();
  }

  // ---------------------------------------------------------------- the loop

  /** Steps for about TICK_MS, then one read: the snapshot (and the state, as a checkpoint for fail-over). */
  protected async tick(): Promise<void> {
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
    this.budget = nextBudget(this.ticks, this.budget, performance.now() - t0, this.path?.tickMs);
    if (this.phase !== 'training') this.status('training');
  }

  /** Reads one frame from the path and sends it; false if the path was replaced while it was read. */
  protected async sendFrame(): Promise<boolean> {
    const { config, points, path } = this.require();
    const gen = this.generation;
    const now = performance.now();
    const withState = this.stateFloats(config) <= STATE_IN_EVERY_FRAME || now - this.checkpointAt >= CHECKPOINT_MS;
    const reading = path.frame(withState);
    this.loseIfArmed('read');
    const { snapshot, state } = await reading;
    if (gen !== this.generation) return false;
    const gone = this.platform.deviceGone?.();
    if (gone) {
      // A lost WebGL context reads zeros without an error: this frame is not the run and must not become the
      // checkpoint. The run moves on from the last one (the loss event's fail-over then finds it moved).
      await this.failOver(gone);
      return false;
    }
    if (state) {
      this.checkpoint = state;
      this.checkpointAt = now;
      this.checkpointSnapshot = snapshot;
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

  /** Re-initialises on the next backend from the last consistent state and goes on as the user asked. */
  protected async failOver(reason: string): Promise<void> {
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
}
