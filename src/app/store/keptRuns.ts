// The runs undo keeps (the worker's whole run, left behind by a destructive change), keyed by the history entry's
// stable id and bounded in bytes: at the largest network one run of 32 networks is ≈ 27 MB (θ, m and v of 70 000
// parameters each), so 50 kept entries would hold more than a gigabyte. Past the cap the oldest go first; the
// entry then remembers that its weights were dropped, and undo says so.

/** Bytes of kept runs undo holds at most. */
export const KEPT_RUN_BYTES = 64 * 2 ** 20;

/** Bytes held by a value's typed arrays, numbers and strings (what a RunExport is made of). */
export function bytesOf(value: unknown, seen = new Set<object>()): number {
  if (typeof value === 'number') return 8;
  if (typeof value === 'string') return 2 * value.length;
  if (typeof value !== 'object' || value === null || seen.has(value)) return 0;
  seen.add(value);
  if (ArrayBuffer.isView(value)) return value.byteLength;
  let sum = 0;
  for (const v of Object.values(value)) sum += bytesOf(v, seen);
  return sum;
}

export type KeptStatus = 'kept' | 'pending' | 'dropped' | 'none';

export class KeptRuns<R> {
  /** Resolved runs in the order they arrived (a Map iterates in insertion order: the oldest first). */
  private runs = new Map<number, { run: R; bytes: number }>();
  private pending = new Map<number, Promise<R | undefined>>();
  private dropped = new Set<number>();
  private total = 0;

  constructor(
    readonly cap = KEPT_RUN_BYTES,
    private readonly sizeOf: (run: R) => number = bytesOf,
  ) {}

  /** Keeps the run on its way for entry `id` (an export queued before the change that discards it). */
  keep(id: number, run: Promise<R | undefined>): void {
    this.forget(id);
    const p = run.then(
      (r) => {
        if (this.pending.get(id) !== p) return r;
        this.pending.delete(id);
        if (r !== undefined) this.add(id, r);
        return this.runs.get(id)?.run;
      },
      () => {
        if (this.pending.get(id) === p) this.pending.delete(id);
        return undefined;
      },
    );
    this.pending.set(id, p);
  }

  /** The run kept for `id`, once its export arrived (undefined: none, or dropped). */
  async get(id: number): Promise<R | undefined> {
    const p = this.pending.get(id);
    if (p) await p;
    return this.runs.get(id)?.run;
  }

  status(id: number): KeptStatus {
    return this.runs.has(id) ? 'kept' : this.pending.has(id) ? 'pending' : this.dropped.has(id) ? 'dropped' : 'none';
  }

  /** Drops what is kept for `id` (a refused change's export). */
  forget(id: number): void {
    const had = this.runs.get(id);
    if (had) this.total -= had.bytes;
    this.runs.delete(id);
    this.pending.delete(id);
    this.dropped.delete(id);
  }

  /** Forgets entries undo can no longer reach (past the step cap, or a redo branch replaced). */
  prune(live: ReadonlySet<number>): void {
    for (const id of [...this.runs.keys(), ...this.pending.keys(), ...this.dropped]) if (!live.has(id)) this.forget(id);
  }

  bytes(): number {
    return this.total;
  }

  private add(id: number, run: R): void {
    const bytes = this.sizeOf(run);
    this.runs.set(id, { run, bytes });
    this.total += bytes;
    for (const [old, kept] of this.runs) {
      if (this.total <= this.cap) break;
      this.runs.delete(old);
      this.total -= kept.bytes;
      this.dropped.add(old);
    }
  }
}
