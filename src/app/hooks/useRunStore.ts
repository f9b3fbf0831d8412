// The page's one store in React: the pure store (src/app/store/runStore.ts: the RunState with undo/redo, kept in
// step with the worker) wired to the URL (versioned links, pushState per change) and to the browser's history
// (Back and Forward walk the undo history; a pasted link is a new change).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { TrainerClient } from '../../worker/client';
import type { WorkerCall } from '../store/plan';
import { invoke, RunStore as StoreCore, type Change, type RunHistory } from '../store/runStore';
import { initialRunState, type RunState } from '../store/runState';
import { parseHash, toHash } from '../urlState';

export type { Change };

export interface RunStore {
  state: RunState;
  canUndo: boolean;
  canRedo: boolean;
  /** Makes a change; resolves once the worker took it, rejects with the worker's reason. */
  change: (c: Change) => Promise<void>;
  undo: () => void;
  redo: () => void;
  /** Selects a model for the views (not an undo step). */
  select: (id: string) => void;
}

interface Options {
  trainer: React.RefObject<TrainerClient | null>;
  keepWeights: boolean;
  /** A restart (a lesson) plays only if the run was playing. */
  playing: boolean;
  /** The info line. */
  onInfo: (text: string) => void;
  onAlert: (text: string | null) => void;
}

/** How long a walk waits for the browser to follow it (popstate) before the next change may go. */
const NAVIGATE_MS = 2000;

/** Marks this page's browser history entries (a reload starts a new session). */
const SESSION = Math.random().toString(36).slice(2);
type NavState = { app: string; pos: number };
const ours = (s: unknown): s is NavState =>
  typeof s === 'object' && s !== null && (s as NavState).app === SESSION && typeof (s as NavState).pos === 'number';

export function initialState() {
  return parseHash(location.hash);
}

export function useRunStore(
  initial: ReturnType<typeof initialState>,
  { trainer, keepWeights, playing, onInfo, onAlert }: Options,
): RunStore {
  const keepRef = useRef(keepWeights);
  keepRef.current = keepWeights;
  const playingRef = useRef(playing);
  playingRef.current = playing;
  const cb = useRef({ onInfo, onAlert });
  cb.current = { onInfo, onAlert };
  /**
   * The browser's position (the `pos` of the entry it shows) and, while the browser moves because this page
   * asked it to (after the store walked, or to take back a Back pressed while changes waited), what to do when
   * it arrives: that popstate is ours and walks nothing.
   */
  const nav = useRef<{ pos: number; arriving: (() => void) | null }>({ pos: 0, arriving: null });
  const [core] = useState(
    () =>
      new StoreCore(initialRunState(initial), {
        trainer: () => trainer.current,
        keepWeights: () => keepRef.current,
        playing: () => playingRef.current,
        now: () => performance.now(),
        address(how, pos, state) {
          const entry: NavState = { app: SESSION, pos };
          if (how === 'push') window.history.pushState(entry, '', toHash(state));
          else window.history.replaceState(entry, '', toHash(state));
          nav.current.pos = pos;
        },
        navigate: (delta) =>
          new Promise<void>((arrived) => {
            // Should the browser not move (its entries gone), the line must not wait for ever.
            const timer = window.setTimeout(() => {
              if (nav.current.arriving === done) nav.current.arriving = null;
              arrived();
            }, NAVIGATE_MS);
            const done = () => (window.clearTimeout(timer), arrived());
            nav.current.arriving = done;
            window.history.go(delta);
          }),
        info: (text) => cb.current.onInfo(text),
        alert: (text) => cb.current.onAlert(text),
      }),
  );
  const [history, setHistory] = useState<RunHistory>(core.history);
  useEffect(() => {
    setHistory(core.history);
    return core.subscribe(() => setHistory(core.history));
  }, [core]);

  const change = useCallback((c: Change) => core.change(c), [core]);
  const call = useCallback(
    (c: WorkerCall) => {
      const t = trainer.current;
      return t ? invoke(t, c, playingRef.current) : Promise.resolve();
    },
    [trainer],
  );
  /** Undo (−1) and redo (+1): the store walks in line with the changes before it, then the browser follows. */
  const go = useCallback((delta: number) => void core.walkBy(delta), [core]);

  useEffect(() => {
    window.history.replaceState(
      { app: SESSION, pos: core.history.index } satisfies NavState,
      '',
      toHash(core.history.present.state),
    );
    const onPop = (e: PopStateEvent) => {
      if (!ours(e.state)) return; // a pasted link: hashchange makes it a change
      const n = nav.current;
      const delta = e.state.pos - n.pos;
      n.pos = e.state.pos;
      const arrived = n.arriving;
      n.arriving = null;
      if (arrived) return arrived();
      if (!core.busy) return void core.walkTo(e.state.pos);
      // The browser's own Back or Forward while changes wait (a file loading): a change committing now would push
      // its entry after the wrong one. The browser goes back to where the store is, and the walk takes its turn.
      n.arriving = () => void core.walkBy(delta);
      window.history.go(-delta);
    };
    const onHash = () => {
      if (ours(window.history.state)) return; // Back/Forward between this page's entries: popstate walks
      const hash = location.hash;
      if (hash === toHash(core.history.present.state)) return;
      const link = parseHash(hash);
      if (link.error) {
        // A bad link pasted into a running page changes nothing: the run goes on and the address is its own again.
        cb.current.onAlert(`${link.reason ?? link.error}; nothing was changed.`);
        window.history.replaceState({ app: SESSION, pos: nav.current.pos }, '', toHash(core.history.present.state));
        return;
      }
      cb.current.onAlert(null);
      const next = (s: RunState): RunState => ({
        ...s,
        config: link.config,
        lessonId: link.lessonId,
        hide: link.hide,
        userData: null,
        selectedId: link.config.models[link.config.models.length - 1].id,
      });
      // The browser already made an entry for the pasted link: the change takes it over instead of pushing one.
      void change({
        state: next,
        label: 'opened a link',
        destructive: true,
        replaceEntry: true,
        apply: () => call({ kind: 'restart', config: link.config }),
      }).catch((err: unknown) => cb.current.onAlert(String(err)));
    };
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const target = e.target as HTMLElement | null;
      // Text fields keep their own undo.
      if (
        target?.tagName === 'TEXTAREA' ||
        (target?.tagName === 'INPUT' &&
          !['range', 'checkbox', 'file', 'button'].includes((target as HTMLInputElement).type))
      )
        return;
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
  }, [core, go, change, call]);

  return {
    state: history.present.state,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
    change,
    undo: () => go(-1),
    redo: () => go(1),
    select: (id) => core.select(id),
  };
}
