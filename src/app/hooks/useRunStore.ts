// The page's one store: the RunState with undo/redo, kept in step with the worker (by difference, or by
// restoring a kept run), with the URL (versioned links, pushState per change) and with the browser's history
// (Back and Forward walk the undo history; a pasted link is a new change).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrainerClient } from '../../worker/client';
import type { RunExport } from '../../worker/protocol';
import { commit as commitTo, createHistory, newestIndex, oldestIndex, redo, redoIsDestructive, replacePresent, undo, undoIsDestructive, type Entry, type History } from '../store/history';
import { planChanges, type WorkerCall } from '../store/plan';
import { initialRunState, type RunState } from '../store/runState';
import { parseHash, toHash } from '../urlState';

type RunHistory = History<RunState, RunExport>;
type RunEntry = Entry<RunState, RunExport>;

export interface Change {
  /** The next state, or how to get it from the present one. */
  state: RunState | ((s: RunState) => RunState);
  /** What the change does, for the info line ("Removed model 2"). */
  label: string;
  /** It discards training (a lesson, data, a removal, Reset all): the run before it is kept for undo. */
  destructive?: boolean;
  /** The control making it: repeats within ~600 ms merge into one entry (a slider drag). */
  key?: string;
  /** The worker calls that make the change, when they are not the difference of the states (Reset all, a file, a
   * sweep's trained cell); given the states the change goes between, as computed when it is made. */
  apply?: (to: RunState, from: RunState) => Promise<void>;
  /** Commit only once the worker accepted the change (files: a refused file changes nothing). */
  acceptFirst?: boolean;
  /** The browser already has an entry for it (a pasted link): take it over instead of pushing one. */
  replaceEntry?: boolean;
}

export interface RunStore {
  state: RunState;
  canUndo: boolean;
  canRedo: boolean;
  /** Makes a change; resolves once the worker took it, rejects with the worker's reason. */
  change(c: Change): Promise<void>;
  undo(): void;
  redo(): void;
  /** Selects a model for the views (not an undo step). */
  select(id: string): void;
}

interface Options {
  trainer: React.RefObject<TrainerClient | null>;
  keepWeights: boolean;
  /** A restart (a lesson) plays only if the run was playing. */
  playing: boolean;
  /** The info line. */
  onInfo(text: string): void;
  onAlert(text: string | null): void;
}

/** Marks this page's browser history entries (a reload starts a new session). */
const SESSION = Math.random().toString(36).slice(2);
type NavState = { app: string; pos: number };
const ours = (s: unknown): s is NavState => typeof s === 'object' && s !== null && (s as NavState).app === SESSION && typeof (s as NavState).pos === 'number';

export function initialState() {
  return parseHash(location.hash);
}

export function useRunStore(initial: ReturnType<typeof initialState>, { trainer, keepWeights, playing, onInfo, onAlert }: Options): RunStore {
  const [history, setHistory] = useState<RunHistory>(() => createHistory(initialRunState(initial)));
  const ref = useRef(history);
  const set = (h: RunHistory) => {
    ref.current = h;
    setHistory(h);
  };
  const keepRef = useRef(keepWeights);
  keepRef.current = keepWeights;
  const playingRef = useRef(playing);
  playingRef.current = playing;
  const cb = useRef({ onInfo, onAlert });
  cb.current = { onInfo, onAlert };
  /** Exports still on their way, per entry: an undo that needs one waits for it. */
  const pendingRuns = useRef(new WeakMap<RunEntry, Promise<RunExport | undefined>>());
  /** Walks run one after another (each may wait for a kept run). */
  const walking = useRef<Promise<void>>(Promise.resolve());
  /** Changes committed so far (a walk in progress stops at a new one). */
  const commitCount = useRef(0);
  /**
   * The browser's position (the `pos` of the entry it shows), the move this page asked for and has not yet seen
   * arrive (popstate), and what is queued behind it. Undo's bounds do not move under undo and redo, so
   * position + moves in flight is enough to never step out of this page's entries.
   */
  const nav = useRef({ pos: history.index, inFlight: 0, queued: 0 });

  const call = useCallback(
    (c: WorkerCall): Promise<void> => {
      const t = trainer.current;
      if (!t) return Promise.resolve();
      switch (c.kind) {
        case 'restart':
          return t.restart(c.config, null, playingRef.current);
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
    },
    [trainer],
  );
  const applyPlan = useCallback((calls: WorkerCall[]) => Promise.all(calls.map(call)).then(() => undefined), [call]);

  /** Keeps the worker's run on `entry` once its export arrives (the export is queued before the change). */
  const keepRun = useCallback((entry: RunEntry, destructive: boolean) => {
    const t = trainer.current;
    if (!destructive || !t) return;
    const p = t.exportRun().then(
      (run) => ((entry.run = run), run),
      () => undefined,
    );
    pendingRuns.current.set(entry, p);
  }, [trainer]);

  const change = useCallback(
    (c: Change): Promise<void> => {
      const h = ref.current;
      const from = h.present.state;
      const to = typeof c.state === 'function' ? c.state(from) : c.state;
      const at = performance.now();
      const leaving = h.present;
      if (commitTo(h, { state: to, label: c.label, destructive: c.destructive, key: c.key, at }).index !== h.index) keepRun(leaving, !!c.destructive);
      const applied = c.apply ? c.apply(to, from) : applyPlan(planChanges(from, to, keepRef.current));
      const done = () => {
        const before = ref.current;
        const next = commitTo(before, { state: to, label: c.label, destructive: c.destructive, key: c.key, at });
        commitCount.current++;
        set(next);
        const entry: NavState = { app: SESSION, pos: next.index };
        // A merged step rewrites its entry; a pasted link takes over the entry the browser made for it.
        if (next.index === before.index || c.replaceEntry) window.history.replaceState(entry, '', toHash(to));
        else window.history.pushState(entry, '', toHash(to));
        nav.current = { pos: next.index, inFlight: 0, queued: 0 };
      };
      if (c.acceptFirst) return applied.then(done);
      done();
      return applied;
    },
    [applyPlan, keepRun],
  );

  /** One step of undo (−1) or redo (+1), restoring a kept run when the step crosses a destructive change. */
  const step = useCallback(
    async (dir: -1 | 1) => {
      const h = ref.current;
      const crossing = dir < 0 ? undoIsDestructive(h) : redoIsDestructive(h);
      const leaving = h.present;
      const move = dir < 0 ? undo(h) : redo(h);
      if (!move) return;
      keepRun(leaving, crossing);
      set(move.history);
      const t = trainer.current;
      // The kept run, if the change discarded training: undo then brings the weights back too.
      const kept = crossing ? (move.to.run ?? (await pendingRuns.current.get(move.to))) : undefined;
      const verb = dir < 0 ? 'Undid' : 'Redid';
      try {
        if (kept && t) {
          await t.importRun({ config: kept.config, points: kept.points, imported: kept.imported, state: kept.state });
          const own = move.to.state.userData;
          // Clicked points keep their truth (RMSE, σ error); a file import cannot carry it.
          if (own?.truth) await t.setPoints(own.points, true, own.truth);
          cb.current.onInfo(`${verb}: ${move.change.label} (weights restored).`);
        } else {
          await applyPlan(planChanges(move.from.state, move.to.state, keepRef.current));
          const removed = move.to.state.config.models.filter((m) => !move.from.state.config.models.some((x) => x.id === m.id)).map((m) => m.id);
          const fresh = removed.length ? ` Model ${removed.join(', ')} is back under its id but starts fresh: its weights were discarded.` : crossing ? ' Its weights could not be kept: training starts again.' : '';
          cb.current.onInfo(`${verb}: ${move.change.label}.${fresh}`);
        }
        // The page may have moved on while the run was restored: bring the worker to what is on screen.
        if (ref.current.present !== move.to) await applyPlan(planChanges(move.to.state, ref.current.present.state, true));
      } catch (err) {
        cb.current.onAlert(`${verb} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
    [applyPlan, keepRun, trainer],
  );

  const walkTo = useCallback(
    (pos: number) => {
      walking.current = walking.current.then(async () => {
        // A change made while the walk restores a run ends the walk: the browser has moved on with it.
        const commits = commitCount.current;
        const on = () => commits === commitCount.current;
        while (on() && ref.current.index > pos && ref.current.past.length) await step(-1);
        while (on() && ref.current.index < pos && ref.current.future.length) await step(1);
      });
    },
    [step],
  );

  /** Moves the browser by `delta` entries; popstate then walks the store. One navigation at a time. */
  const go = useCallback((delta: number) => {
    const h = ref.current;
    const n = nav.current;
    const target = n.pos + n.inFlight + n.queued + delta;
    if (target < oldestIndex(h) || target > newestIndex(h)) return;
    if (n.inFlight) n.queued += delta;
    else {
      n.inFlight = delta;
      window.history.go(delta);
    }
  }, []);

  useEffect(() => {
    window.history.replaceState({ app: SESSION, pos: ref.current.index } satisfies NavState, '', toHash(ref.current.present.state));
    const onPop = (e: PopStateEvent) => {
      if (!ours(e.state)) return; // a pasted link: hashchange makes it a change
      const n = nav.current;
      n.pos = e.state.pos;
      n.inFlight = 0;
      walkTo(e.state.pos);
      if (n.queued) {
        n.inFlight = n.queued;
        n.queued = 0;
        window.history.go(n.inFlight);
      }
    };
    const onHash = () => {
      if (ours(window.history.state)) return; // Back/Forward between this page's entries: popstate walks
      const hash = location.hash;
      if (hash === toHash(ref.current.present.state)) return;
      const link = parseHash(hash);
      if (link.error) {
        // A bad link pasted into a running page changes nothing: the run goes on and the address is its own again.
        cb.current.onAlert(`${link.reason ?? link.error}; nothing was changed.`);
        window.history.replaceState({ app: SESSION, pos: nav.current.pos }, '', toHash(ref.current.present.state));
        return;
      }
      cb.current.onAlert(null);
      const next: RunState = { ...ref.current.present.state, config: link.config, lessonId: link.lessonId, hide: link.hide, userData: null, selectedId: link.config.models[link.config.models.length - 1].id };
      // The browser already made an entry for the pasted link: the change takes it over instead of pushing one.
      void change({ state: next, label: 'opened a link', destructive: true, replaceEntry: true, apply: () => call({ kind: 'restart', config: link.config }) }).catch((err: unknown) => cb.current.onAlert(String(err)));
    };
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const target = e.target as HTMLElement | null;
      // Text fields keep their own undo.
      if (target?.tagName === 'TEXTAREA' || (target?.tagName === 'INPUT' && !['range', 'checkbox', 'file', 'button'].includes((target as HTMLInputElement).type))) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) go(-1);
      else if ((k === 'z' && e.shiftKey) || k === 'y') go(1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('popstate', onPop);
    window.addEventListener('hashchange', onHash);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('keydown', onKey);
    };
  }, [walkTo, go, change, call]);

  return {
    state: history.present.state,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    change,
    undo: () => go(-1),
    redo: () => go(1),
    select: (id) => set(replacePresent(ref.current, { ...ref.current.present.state, selectedId: id })),
  };
}
