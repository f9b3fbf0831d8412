// The trainer session: one object that owns the run and applies every call in order through one queue
// (the machinery, its loop and its fail-over, are SessionCore's: sessionCore.ts). Each call validates first
// and changes nothing when it refuses.
import { withIds, type ModelSpec, type RunConfig, type TrainSettings } from '../core/config';
import { makePoints, validateDataSpec, type DataSpec, type Points } from '../core/datasets';
import { parseLossId } from '../core/losses';
import { expandCopyFrom, expandMembers } from '../core/members';
import { LIMITS, tooManyPoints } from '../core/messages';
import { freshModelState, restackState, type ModelState } from '../core/state';
import type { BackendChoice } from '../platform/browser';
import type { RunExport, RunImport, StartOptions, TrainerListener } from './protocol';
import { checkMembers, checkModelCount, freshState, type LossMoment, type SessionPlatform } from './sessionRules';
import { SessionCore } from './sessionCore';
import { nextBudget } from './tickBudget';

export { nextBudget };
export type { LossMoment, SessionPlatform };

const MAX_STEP_CALL = 100_000;

export class TrainerSession extends SessionCore {
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
      this.status(
        this.wantPlaying ? 'compiling' : 'paused',
        this.wantPlaying ? 'compiling the training kernels…' : null,
      );
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
      if (
        mine.length === expandMembers([config.models[k]]).length &&
        at.every((j, i) => path.updateModel(j, mine[i]))
      ) {
        this.config = { ...config, models };
        if (!this.wantPlaying) await this.sendFrame();
        return;
      }
      await this.rebuild({ config: { ...config, models } }, (s) =>
        restackState(s, expandMembers(models), config.train.architecture),
      );
    });
  }

  setTrain(patch: Partial<TrainSettings>): Promise<void> {
    return this.enqueue(async () => {
      const { config, path } = this.require();
      const train = { ...config.train, ...patch };
      // The conformal level, score or recalibration alone: the evaluator takes it live (same calibration split).
      if (
        Object.keys(patch).every((k) => k === 'posthoc') &&
        train.posthoc &&
        config.train.posthoc &&
        path.setPosthoc?.(train.posthoc)
      ) {
        this.config = { ...config, train };
        return this.afterChange();
      }
      const archChanged = JSON.stringify(train.architecture) !== JSON.stringify(config.train.architecture);
      // A new architecture has new parameters: every model starts again. Anything else goes on from where it is.
      await this.rebuild({ config: { ...config, train } }, (s) =>
        archChanged ? freshState(train.architecture, config.models) : s,
      );
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
      // A trained state may only start a network that is new here (one already training keeps its own).
      const had = new Set(expandMembers(config.models).map((m) => m.id));
      const now = new Set(expandMembers(specs).map((m) => m.id));
      const stray = seeds.find((seed) => had.has(seed.id) || !now.has(seed.id));
      if (stray)
        throw new Error(
          `a trained state was given for "${stray.id}", which is not a new model here; nothing was changed`,
        );
      await this.rebuild({ config: { ...config, models: specs } }, (s) =>
        restackState(
          s,
          expandMembers(specs),
          config.train.architecture,
          expandCopyFrom(config.models, specs, copyFrom),
          seeds,
        ),
      );
    });
  }

  resetModel(id: string): Promise<void> {
    return this.enqueue(async () => {
      const { config } = this.require();
      const mine = expandMembers([config.models[this.indexOf(id)]]);
      await this.rebuild({}, (s) => ({
        step: s.step,
        models: s.models.map((m) => {
          const member = mine.find((x) => x.id === m.id);
          return member ? freshModelState(config.train.architecture, member) : m;
        }),
      }));
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
      await this.rebuild({ config: next, points, truth: spec, newRun: !keepWeights }, (s) =>
        keepWeights ? s : freshState(config.train.architecture, config.models),
      );
    });
  }

  setPoints(points: Points, keepWeights: boolean, truth: DataSpec | null): Promise<void> {
    return this.enqueue(async () => {
      const { config } = this.require();
      if (points.x.length < 2 || points.y.length !== points.x.length || points.isOutlier.length !== points.x.length)
        throw new Error('the data needs at least two points, with x, y and outlier flags of equal length');
      if (points.x.length > LIMITS.maxPoints) throw new Error(`${tooManyPoints(points.x.length)}; nothing was changed`);
      await this.rebuild({ points, truth, newRun: !keepWeights }, (s) =>
        keepWeights ? s : freshState(config.train.architecture, config.models),
      );
    });
  }

  restart(config: RunConfig, points: Points | null, autoplay: boolean): Promise<void> {
    return this.enqueue(async () => {
      this.require();
      checkModelCount(config.models.length, this.sweep);
      checkMembers(config.models, this.sweep);
      const cfg = { ...config, models: withIds(config.models) };
      this.install(
        cfg,
        points ?? makePoints(cfg.data),
        points ? null : cfg.data,
        freshState(cfg.train.architecture, cfg.models),
        true,
      );
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
      let read;
      try {
        read = await this.onDevice((path) => path.frame(true));
      } catch (err) {
        // The path cannot read (its device lost with no backend left to take over, or failing): the last
        // consistent state, with the frame shown with it, is the run.
        const { config, points, checkpoint, checkpointSnapshot: snapshot } = this;
        if (!config || !points || !checkpoint || !snapshot || snapshot.step !== checkpoint.step) throw err;
        return { config, points, imported: this.truth === null, state: checkpoint, snapshot };
      }
      const { snapshot, state } = read;
      const { config, points } = this.require();
      this.checkpoint = state!;
      this.checkpointAt = performance.now();
      this.checkpointSnapshot = snapshot;
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
