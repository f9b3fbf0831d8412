// One shard of the CPU trainer: a WebAssembly instance with its own memory training a contiguous block of the
// run's models. It runs wherever its messages arrive (a Web Worker, a Node worker thread, or in-thread for
// tests): `ShardHost.handle` takes a request and returns the reply, if any. Runs are fire-and-forget; a
// failure is kept and returned by the next read, so the host learns of it in order.
// It imports no code (types only), so a shard's worker loads this file and its module and nothing else.
import type { ModelState } from '../core/state';
import type { ShardLayout } from './layout';

/** One model's state as a shard loads it (ModelState without its id and divergence, which the host keeps). */
export type ShardModel = Omit<ModelState, 'id' | 'diverged'>;

export interface ShardInit {
  kind: 'init';
  id: number;
  module: WebAssembly.Module;
  /** Where everything goes in the shard's memory, and the header (computed by the host: src/cpu/layout.ts). */
  layout: ShardLayout;
  /** The core's log Z table: values then slopes. */
  logZ: Float32Array;
  /** Standardised inputs and targets of the training points. */
  x: Float32Array;
  y: Float32Array;
  models: ShardModel[];
  /** The shard's models' hyper records (HYPER_FIELDS words each). */
  hyper: ArrayBuffer;
}
export type ShardRequest =
  | ShardInit
  | { kind: 'run'; stepBase: number; count: number }
  | { kind: 'hyper'; hyper: ArrayBuffer }
  | { kind: 'read'; id: number; state: boolean }
  /** The benchmark's peak probe: `iters` iterations of the module's multiply-add loop in a fresh instance. */
  | { kind: 'probe'; id: number; module: WebAssembly.Module; iters: number }
  | { kind: 'dispose' };

/** Per model: θ (always), m and v (with the state), τ and the counters; and the milliseconds spent training since the last read. */
export interface ShardRead {
  params: Float32Array;
  m: Float32Array | null;
  v: Float32Array | null;
  tau: Float32Array;
  t: Uint32Array;
  steps: Uint32Array;
  tauCount: Uint32Array;
  trainMs: number;
  stepsRun: number;
}
export type ShardReply =
  { id: number; ok: true; read: ShardRead | null; probeMs?: number } | { id: number; ok: false; error: string };

interface Exports {
  memory: WebAssembly.Memory;
  headerPtr: () => number;
  configure: () => void;
  train: (k0: number, k1: number, stepBase: number, steps: number) => void;
}

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

export class ShardHost {
  private exports: Exports | null = null;
  private layout: ShardLayout | null = null;
  private k = 0;
  private failure: string | null = null;
  private trainMs = 0;
  private stepsRun = 0;

  handle(req: ShardRequest): ShardReply | null {
    try {
      switch (req.kind) {
        case 'init':
          this.init(req);
          return { id: req.id, ok: true, read: null };
        case 'run':
          if (!this.failure) this.run(req.stepBase, req.count);
          return null;
        case 'hyper':
          this.writeHyper(req.hyper);
          return null;
        case 'read': {
          if (this.failure) return { id: req.id, ok: false, error: this.failure };
          return { id: req.id, ok: true, read: this.read(req.state) };
        }
        case 'probe':
          return { id: req.id, ok: true, read: null, probeMs: probe(req.module, req.iters) };
        case 'dispose':
          this.exports = null;
          return null;
      }
    } catch (err) {
      if (req.kind === 'init' || req.kind === 'read' || req.kind === 'probe')
        return { id: req.id, ok: false, error: errorText(err) };
      this.failure = `the CPU trainer failed: ${errorText(err)}`;
      return null;
    }
  }

  private init(req: ShardInit): void {
    const instance = new WebAssembly.Instance(req.module, {
      env: {
        abort: () => {
          throw new Error('the CPU trainer aborted');
        },
      },
    });
    const ex = instance.exports as unknown as Exports;
    const layout = req.layout;
    if (ex.headerPtr() !== layout.header)
      throw new Error(`the module's header is at ${ex.headerPtr()}, the layout's at ${layout.header}`);
    const have = ex.memory.buffer.byteLength;
    if (layout.bytes > have) ex.memory.grow(Math.ceil((layout.bytes - have) / 65536));
    const mem = ex.memory.buffer;
    new Uint32Array(mem, layout.header, layout.words.length).set(layout.words);
    new Float32Array(mem, layout.logZ, req.logZ.length).set(req.logZ);
    new Float32Array(mem, layout.x, req.x.length).set(req.x);
    new Float32Array(mem, layout.y, req.y.length).set(req.y);
    const pp = layout.paramsPadded;
    const cw = layout.counterWords;
    const counters = new Uint32Array(mem, layout.counters, req.models.length * cw);
    const taus = new Float32Array(mem, layout.taus, req.models.length);
    req.models.forEach((m, k) => {
      const block = new Float32Array(mem, layout.models + 12 * pp * k, 3 * pp);
      block.fill(0);
      block.set(m.params, 0);
      block.set(m.m, pp);
      block.set(m.v, 2 * pp);
      counters[k * cw + layout.counter.t] = m.t;
      counters[k * cw + layout.counter.steps] = m.steps;
      counters[k * cw + layout.counter.tauCount] = m.tauCount;
      taus[k] = m.tau;
    });
    this.exports = ex;
    this.layout = layout;
    this.k = req.models.length;
    this.writeHyper(req.hyper);
    ex.configure();
  }

  private writeHyper(hyper: ArrayBuffer): void {
    const { exports: ex, layout } = this.require();
    const words = this.k * layout.hyperWords;
    if (hyper.byteLength !== 4 * words)
      throw new Error(`hyper records of ${hyper.byteLength} bytes; the shard has ${this.k} models`);
    new Uint32Array(ex.memory.buffer, layout.hyper, words).set(new Uint32Array(hyper));
  }

  private run(stepBase: number, count: number): void {
    const { exports: ex } = this.require();
    const t0 = performance.now();
    ex.train(0, this.k, stepBase >>> 0, count);
    this.trainMs += performance.now() - t0;
    this.stepsRun += count;
  }

  private read(withState: boolean): ShardRead {
    const { exports: ex, layout } = this.require();
    const mem = ex.memory.buffer;
    const p = layout.params;
    const pp = layout.paramsPadded;
    const field = (which: number) => {
      const out = new Float32Array(this.k * p);
      for (let k = 0; k < this.k; k++)
        out.set(new Float32Array(mem, layout.models + 4 * pp * (3 * k + which), p), k * p);
      return out;
    };
    const cw = layout.counterWords;
    const counters = new Uint32Array(mem, layout.counters, this.k * cw);
    const counter = (c: number) => Uint32Array.from({ length: this.k }, (_, k) => counters[k * cw + c]);
    const read: ShardRead = {
      params: field(0),
      m: withState ? field(1) : null,
      v: withState ? field(2) : null,
      tau: new Float32Array(mem, layout.taus, this.k).slice(),
      t: counter(layout.counter.t),
      steps: counter(layout.counter.steps),
      tauCount: counter(layout.counter.tauCount),
      trainMs: this.trainMs,
      stepsRun: this.stepsRun,
    };
    this.trainMs = 0;
    this.stepsRun = 0;
    return read;
  }

  private require(): { exports: Exports; layout: ShardLayout } {
    if (!this.exports || !this.layout) throw new Error('the CPU shard has not started');
    return { exports: this.exports, layout: this.layout };
  }
}

/** Milliseconds of `iters` iterations of the module's peak probe (12 independent vector multiply-adds each). */
export function probe(module: WebAssembly.Module, iters: number): number {
  const instance = new WebAssembly.Instance(module, { env: { abort: () => undefined } });
  const run = (instance.exports as unknown as { peakProbe: (n: number) => number }).peakProbe;
  run(Math.min(iters, 10_000));
  const t0 = performance.now();
  run(iters);
  return performance.now() - t0;
}

/** The buffers a reply can hand over without a copy. */
export function replyTransfer(reply: ShardReply): ArrayBuffer[] {
  if (!reply.ok || !reply.read) return [];
  const r = reply.read;
  return [r.params, r.m, r.v, r.tau, r.t, r.steps, r.tauCount]
    .filter((a): a is Float32Array | Uint32Array => a !== null)
    .map((a) => a.buffer as ArrayBuffer);
}
