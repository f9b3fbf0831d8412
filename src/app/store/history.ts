// Undo and redo over RunStates, as pure functions. Each entry remembers how it was reached (its label and
// whether that change discarded training) and, once left by a destructive change, the worker's whole run as it
// stood then, so that coming back restores the weights too.

/** Steps of undo kept (the issue asks for at least 20). */
export const HISTORY_CAP = 50;
/** Changes of the same control closer than this merge into one entry (a slider drag). */
export const COALESCE_MS = 600;

export interface Entry<S, R> {
  /** Stable through every replacement of the entry (a selection, a merged slider step): kept runs are keyed by it. */
  id: number;
  state: S;
  /** What the change into this entry did ("Removed model m2"). */
  label: string;
  /** The change into this entry discarded training (a lesson, data, a removal, Reset all). */
  destructive: boolean;
  /** The worker's run when this entry was last left by a destructive change (restored on the way back). */
  run?: R;
}

export interface History<S, R> {
  past: Entry<S, R>[];
  present: Entry<S, R>;
  future: Entry<S, R>[];
  /** Absolute position of `present` (the browser history entry that shows it carries the same number). */
  index: number;
  /** The control and time of the last commit, for coalescing. */
  lastKey: string | null;
  lastAt: number;
  /** The id the next new entry gets. */
  nextId: number;
}

export function createHistory<S, R = never>(state: S, index = 0): History<S, R> {
  return {
    past: [],
    present: { id: 0, state, label: 'opened', destructive: false },
    future: [],
    index,
    lastKey: null,
    lastAt: -Infinity,
    nextId: 1,
  };
}

export interface Commit<S, R> {
  state: S;
  label: string;
  destructive?: boolean;
  /** The control that made the change ('model:m4:T'): repeated within COALESCE_MS it merges. */
  key?: string;
  at: number;
  /** The worker's run before the change (kept on the entry being left when the change is destructive). */
  run?: R;
}

/** True when `commit` would merge into the present entry instead of adding one. */
export function coalesces<S, R>(h: History<S, R>, c: Pick<Commit<S, R>, 'key' | 'at' | 'destructive'>): boolean {
  // A drag of a data slider is destructive at every step; it still merges (the run before the drag is kept).
  return (
    c.key !== undefined &&
    c.key === h.lastKey &&
    c.at - h.lastAt < COALESCE_MS &&
    h.present.destructive === !!c.destructive
  );
}

export function commit<S, R>(h: History<S, R>, c: Commit<S, R>): History<S, R> {
  if (coalesces(h, c)) return { ...h, present: { ...h.present, state: c.state }, future: [], lastAt: c.at };
  const left: Entry<S, R> = c.destructive && c.run !== undefined ? { ...h.present, run: c.run } : h.present;
  const past = [...h.past, left].slice(-HISTORY_CAP);
  return {
    past,
    present: { id: h.nextId, state: c.state, label: c.label, destructive: !!c.destructive },
    future: [],
    index: h.index + 1,
    lastKey: c.key ?? null,
    lastAt: c.at,
    nextId: h.nextId + 1,
  };
}

/** The present state changed in place (a selection): no entry, nothing to undo. */
export function replacePresent<S, R>(h: History<S, R>, state: S): History<S, R> {
  return { ...h, present: { ...h.present, state } };
}

export interface Move<S, R> {
  history: History<S, R>;
  /** The entry now shown. */
  to: Entry<S, R>;
  /** The entry left behind. */
  from: Entry<S, R>;
  /** The change walked over (undone or redone), whose label and destructiveness matter. */
  change: Entry<S, R>;
  /** The run to restore exactly, if the walk crosses a destructive change and one was kept. */
  restore?: R;
}

/** One step back. `run` is the worker's run now, kept on the entry left when the undone change was destructive. */
export function undo<S, R>(h: History<S, R>, run?: R): Move<S, R> | null {
  if (!h.past.length) return null;
  const to = h.past[h.past.length - 1];
  const from: Entry<S, R> = h.present.destructive && run !== undefined ? { ...h.present, run } : h.present;
  return {
    history: {
      past: h.past.slice(0, -1),
      present: to,
      future: [from, ...h.future],
      index: h.index - 1,
      lastKey: null,
      lastAt: -Infinity,
      nextId: h.nextId,
    },
    to,
    from,
    change: h.present,
    restore: h.present.destructive ? to.run : undefined,
  };
}

/** One step forward, the mirror of undo. */
export function redo<S, R>(h: History<S, R>, run?: R): Move<S, R> | null {
  if (!h.future.length) return null;
  const to = h.future[0];
  const from: Entry<S, R> = to.destructive && run !== undefined ? { ...h.present, run } : h.present;
  return {
    history: {
      past: [...h.past, from].slice(-HISTORY_CAP),
      present: to,
      future: h.future.slice(1),
      index: h.index + 1,
      lastKey: null,
      lastAt: -Infinity,
      nextId: h.nextId,
    },
    to,
    from,
    change: to,
    restore: to.destructive ? to.run : undefined,
  };
}

/** Whether the next undo or redo crosses a destructive change (then the page exports the run first). */
export const undoIsDestructive = <S, R>(h: History<S, R>) => h.past.length > 0 && h.present.destructive;
export const redoIsDestructive = <S, R>(h: History<S, R>) => h.future.length > 0 && h.future[0].destructive;

/** Every entry undo or redo can still reach. */
export const entries = <S, R>(h: History<S, R>) => [...h.past, h.present, ...h.future];

/** The oldest absolute position that undo can reach. */
export const oldestIndex = <S, R>(h: History<S, R>) => h.index - h.past.length;
export const newestIndex = <S, R>(h: History<S, R>) => h.index + h.future.length;
