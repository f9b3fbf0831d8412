// The page's store as a plain object (no React, no DOM, so tests drive it against a real TrainerSession): the
// history of RunStates, the worker kept in step with it, and the runs undo keeps.
//
// How changes compose. An acceptFirst change (a file, a sweep's cell) commits only once the worker took it, and
// every later change and walk waits behind it, then reads the present as it left it: what comes after a file is
// planned from the file's outcome, which is unknown until the worker answers. (Committing at once and rolling
// back on refusal would have to rebase every later change over the refused one, in the store and the worker
// both.) A plain edit with nothing waiting commits at once and its calls go out at once, so a slider stays live.
// The worker is always told the difference between what it was last told (`told`: what it holds once every call
// sent lands) and what the store commits, so a change whose target moved while it waited still lands exactly.
// A refused call is read off `actual` (the answers so far): once the calls in flight settle, a refused edit
// gives way in the store, and a change that never committed has the worker brought back to the store.
import type { ModelSpec, RunConfig, TrainSettings } from '../../core/config';
import type { DataSpec, Points } from '../../core/datasets';
import { undoModelsFresh, undoWeightsDropped, undoWeightsNotKept } from '../../core/messages';
import type { RunExport, RunImport } from '../../worker/protocol';
import {
  coalesces,
  commit,
  createHistory,
  entries,
  newestIndex,
  oldestIndex,
  redo,
  redoIsDestructive,
  replacePresent,
  undo,
  undoIsDestructive,
  type Commit,
  type History,
} from './history';
import { KEPT_RUN_BYTES, KeptRuns } from './keptRuns';
import { effectOf, sameView, viewOf } from './mirror';
import { planChanges, type WorkerCall, type WorkerView } from './plan';
import type { RunState } from './runState';

export type RunHistory = History<RunState, never>;

export interface Change {
  /** The next state, or how to get it from the present one (an acceptFirst change: the present when it commits). */
  state: RunState | ((s: RunState) => RunState);
  /** What the change does, for the info line ("Removed model 2"). */
  label: string;
  /** It discards training (a lesson, data, a removal, Reset all): the run before it is kept for undo. */
  destructive?: boolean;
  /** The control making it: repeats within ~600 ms merge into one entry (a slider drag). */
  key?: string;
  /** The worker calls that make the change, when they are not the difference of the states (Reset all, a file, a
   * sweep's trained cell). They must take the worker from `from` to `to` whole, or change nothing and reject. */
  apply?: (to: RunState, from: RunState) => Promise<void>;
  /** Commit only once the worker accepted the change (files: a refused file changes nothing). */
  acceptFirst?: boolean;
  /** The browser already has an entry for it (a pasted link): take it over instead of pushing one. */
  replaceEntry?: boolean;
}

/** The worker calls the store makes (TrainerSession's, or the worker's through Comlink). */
export interface StoreTrainer {
  restart: (config: RunConfig, points: Points | null, autoplay: boolean) => Promise<void>;
  setTrain: (patch: Partial<TrainSettings>) => Promise<void>;
  setModels: (models: ModelSpec[]) => Promise<void>;
  updateModel: (id: string, patch: Partial<Omit<ModelSpec, 'id'>>) => Promise<void>;
  setData: (spec: DataSpec, keepWeights: boolean) => Promise<void>;
  setPoints: (points: Points, keepWeights: boolean, truth: DataSpec | null) => Promise<void>;
  exportRun: () => Promise<RunExport>;
  importRun: (run: RunImport) => Promise<void>;
}

export interface StoreHost {
  trainer: () => StoreTrainer | null;
  keepWeights: () => boolean;
  /** A restart (a lesson) plays only if the run was playing. */
  playing: () => boolean;
  now: () => number;
  /** Writes the address for the entry at `pos`: a new browser entry, or the current one rewritten. */
  address: (how: 'push' | 'replace', pos: number, state: RunState) => void;
  /** Moves the browser by `delta` entries after the store walked them; resolves once it arrived. */
  navigate: (delta: number) => Promise<void>;
  info: (text: string) => void;
  alert: (text: string | null) => void;
}

/** Who gives way when the worker refuses: the store (an edit it already shows) or the worker (a change never committed). */
type Yield = 'store' | 'worker';

export function invoke(t: StoreTrainer, c: WorkerCall, playing: boolean): Promise<void> {
  switch (c.kind) {
    case 'restart':
      return t.restart(c.config, null, playing);
    case 'setTrain':
      return t.setTrain(c.patch);
    case 'setModels':
      return t.setModels(c.models);
    case 'updateModel':
      return t.updateModel(c.id, c.patch);
    case 'setData':
      return t.setData(c.spec, c.keepWeights);
    case 'setPoints':
      return t.setPoints(c.points, c.keepWeights, c.truth);
  }
}

export class RunStore {
  private h: RunHistory;
  private readonly listeners = new Set<() => void>();
  readonly kept: KeptRuns<RunExport>;
  /** What the worker holds once every call sent lands: new calls are planned from it. */
  private told: WorkerView;
  /** What the worker holds by the answers received so far. */
  private actual: WorkerView;
  private inflight = 0;
  private refused: Yield | null = null;
  private idleWaiters: (() => void)[] = [];
  /** Changes and walks waiting behind an acceptFirst change or a walk, in the order made. */
  private line: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    initial: RunState,
    private readonly host: StoreHost,
    keptCap = KEPT_RUN_BYTES,
  ) {
    this.h = createHistory<RunState, never>(initial);
    this.kept = new KeptRuns<RunExport>(keptCap);
    this.told = viewOf(initial);
    this.actual = this.told;
  }

  get history(): RunHistory {
    return this.h;
  }

  get state(): RunState {
    return this.h.present.state;
  }

  /** What the worker holds once every call sent lands (tests compare it with the store). */
  get workerView(): WorkerView {
    return this.told;
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => void this.listeners.delete(fn);
  }

  /** Makes a change; resolves once the worker took it, rejects with the worker's reason. */
  change(c: Change): Promise<void> {
    if (!c.acceptFirst && this.queued === 0) return this.applyNow(c);
    let result: Promise<void> = Promise.resolve();
    const turn = this.inLine(async () => {
      if (c.acceptFirst) {
        result = this.applyPending(c);
        await result.catch(() => undefined);
      } else result = this.applyNow(c);
    });
    return turn.then(() => result);
  }

  /**
   * Undo (−1) or redo (+1) steps, in line with the changes made before them: the store walks from its present as
   * the changes ahead left it, then the browser follows. (A walk to a position fixed when the button was pressed
   * would skip the file that committed meanwhile.)
   */
  walkBy(delta: number): Promise<void> {
    return this.inLine(async () => {
      const from = this.h.index;
      await this.walk(Math.max(oldestIndex(this.h), Math.min(newestIndex(this.h), from + delta)));
      if (this.h.index !== from) await this.host.navigate(this.h.index - from);
    });
  }

  /** Walks to absolute position `pos`: the browser's own Back and Forward, which moved it there already. */
  walkTo(pos: number): Promise<void> {
    return this.inLine(() => this.walk(pos));
  }

  /** True while changes or walks wait in line (the browser's own Back then has to wait its turn too). */
  get busy(): boolean {
    return this.queued > 0;
  }

  private async walk(pos: number): Promise<void> {
    while (this.h.index > pos && this.h.past.length) await this.step(-1);
    while (this.h.index < pos && this.h.future.length) await this.step(1);
  }

  /** Selects a model for the views (not an undo step; the worker is not concerned). */
  select(id: string): void {
    this.setHistory(replacePresent(this.h, { ...this.h.present.state, selectedId: id }));
  }

  /** For tests: every change and walk made so far applied, and every call sent answered. */
  async idle(): Promise<void> {
    for (;;) {
      const line = this.line;
      await line;
      if (this.inflight > 0) await new Promise<void>((r) => this.idleWaiters.push(r));
      if (line === this.line && this.inflight === 0 && this.queued === 0) return;
    }
  }

  // ---------------------------------------------------------------- changes

  private inLine(op: () => Promise<void>): Promise<void> {
    this.queued++;
    const turn = this.line.then(op).finally(() => this.queued--);
    this.line = turn.catch(() => undefined);
    return turn;
  }

  private applyNow(c: Change): Promise<void> {
    try {
      const from = this.h.present.state;
      const to = typeof c.state === 'function' ? c.state(from) : c.state;
      const step: Commit<RunState, never> = {
        state: to,
        label: c.label,
        destructive: c.destructive,
        key: c.key,
        at: this.host.now(),
      };
      if (c.destructive && !coalesces(this.h, step)) this.keep(this.h.present.id);
      this.commit(step, c.replaceEntry);
      return c.apply ? this.sendWhole(() => c.apply!(to, from), to, 'store') : this.sendPlan(to, 'store');
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private async applyPending(c: Change): Promise<void> {
    const target = (s: RunState) => (typeof c.state === 'function' ? c.state(s) : c.state);
    const from = this.h.present.state;
    const to = target(from);
    const leaving = this.h.present.id;
    const keeps = c.destructive && !coalesces(this.h, { key: c.key, at: this.host.now(), destructive: c.destructive });
    if (keeps) this.keep(leaving);
    try {
      await (c.apply ? this.sendWhole(() => c.apply!(to, from), to, 'worker') : this.sendPlan(to, 'worker'));
    } catch (err) {
      if (keeps) this.kept.forget(leaving);
      throw err;
    }
    // The target as a function of the present now (a selection may have moved it), and the worker told the rest.
    this.commit(
      {
        state: target(this.h.present.state),
        label: c.label,
        destructive: c.destructive,
        key: c.key,
        at: this.host.now(),
      },
      c.replaceEntry,
    );
    await this.sync('store');
  }

  private commit(step: Commit<RunState, never>, replaceEntry?: boolean): void {
    const before = this.h;
    const next = commit(before, step);
    this.setHistory(next);
    // A merged step rewrites its entry; a pasted link takes over the entry the browser made for it.
    this.host.address(next.index === before.index || replaceEntry ? 'replace' : 'push', next.index, step.state);
  }

  private setHistory(next: RunHistory): void {
    this.h = next;
    this.kept.prune(new Set(entries(next).map((e) => e.id)));
    for (const fn of this.listeners) fn();
  }

  // ---------------------------------------------------------------- undo and redo

  /** One step of undo (−1) or redo (+1), restoring a kept run when the step crosses a destructive change. */
  private async step(dir: -1 | 1): Promise<void> {
    const h = this.h;
    const crossing = dir < 0 ? undoIsDestructive(h) : redoIsDestructive(h);
    const move = dir < 0 ? undo(h) : redo(h);
    if (!move) return;
    if (crossing) this.keep(h.present.id);
    this.setHistory(move.history);
    const to = move.to.state;
    const kept = crossing ? await this.kept.get(move.to.id) : undefined;
    const verb = dir < 0 ? 'Undid' : 'Redid';
    const t = this.host.trainer();
    try {
      if (kept && t) {
        const own = to.userData;
        await this.sendWhole(
          async () => {
            await t.importRun({ config: kept.config, points: kept.points, imported: kept.imported, state: kept.state });
            // Clicked points keep their truth (RMSE, σ error); a file import cannot carry it.
            if (own?.truth) await t.setPoints(own.points, true, own.truth);
          },
          { config: kept.config, lessonId: to.lessonId, userData: to.userData },
          'store',
        );
        this.host.info(`${verb}: ${move.change.label} (weights restored).`);
      } else {
        await this.sendPlan(to, 'store');
        const removed = to.config.models
          .filter((m) => !move.from.state.config.models.some((x) => x.id === m.id))
          .map((m) => m.id);
        const why = removed.length
          ? ` ${undoModelsFresh(removed)}`
          : !crossing
            ? ''
            : this.kept.status(move.to.id) === 'dropped'
              ? ` ${undoWeightsDropped(Math.round(this.kept.cap / 2 ** 20))}`
              : ` ${undoWeightsNotKept()}`;
        this.host.info(`${verb}: ${move.change.label}.${why}`);
      }
      // The kept run's configuration is the entry's; should they differ, the worker is brought to the store.
      await this.sync('store');
    } catch (err) {
      this.host.alert(`${verb} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  // ---------------------------------------------------------------- the worker

  /** Keeps the worker's run (its export is queued before the change that discards it) on entry `id`. */
  private keep(id: number): void {
    const t = this.host.trainer();
    if (t)
      this.kept.keep(
        id,
        t.exportRun().catch(() => undefined),
      );
  }

  /** Tells the worker the difference between what it was last told and the store's present. */
  private sync(onRefusal: Yield): Promise<void> {
    return this.sendPlan(this.h.present.state, onRefusal);
  }

  private sendPlan(to: WorkerView, onRefusal: Yield): Promise<void> {
    const t = this.host.trainer();
    if (!t) return Promise.resolve();
    const calls = planChanges(this.told, to, this.host.keepWeights());
    return Promise.all(
      calls.map((call) => {
        const effect = effectOf(call, to);
        this.told = effect(this.told);
        return this.track(invoke(t, call, this.host.playing()), effect, onRefusal);
      }),
    ).then(() => undefined);
  }

  /** Calls that take the worker to `to` whole, or change nothing. */
  private sendWhole(run: () => Promise<void>, to: WorkerView, onRefusal: Yield): Promise<void> {
    if (!this.host.trainer()) return Promise.resolve();
    const view = viewOf(to);
    this.told = view;
    let started: Promise<void>;
    try {
      started = run();
    } catch (err) {
      started = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return this.track(started, () => view, onRefusal);
  }

  private track(call: Promise<void>, effect: (v: WorkerView) => WorkerView, onRefusal: Yield): Promise<void> {
    this.inflight++;
    return call.then(
      () => {
        this.actual = effect(this.actual);
        this.settle();
      },
      (err: unknown) => {
        this.refused ??= onRefusal;
        this.settle();
        throw err;
      },
    );
  }

  /** Once every call in flight answered after a refusal: the worker holds `actual`, and the two are made equal. */
  private settle(): void {
    if (--this.inflight > 0) return;
    const refused = this.refused;
    this.refused = null;
    if (refused) {
      this.told = this.actual;
      const present = this.h.present.state;
      if (!sameView(this.actual, present)) {
        if (refused === 'worker') void this.sync('store').catch(() => undefined);
        else {
          // The store gives way: it shows what the worker trains, and the address follows.
          const state = { ...present, ...viewOf(this.actual) };
          this.setHistory(replacePresent(this.h, state));
          this.host.address('replace', this.h.index, state);
        }
      }
    }
    if (this.inflight === 0) for (const r of this.idleWaiters.splice(0)) r();
  }
}
