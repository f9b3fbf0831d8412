// Host side of the CPU trainer: the run's K models split into W contiguous blocks, one shard each (a Web
// Worker, a Node worker thread, or in-thread), each with its own WebAssembly instance and memory, so no
// SharedArrayBuffer and no cross-origin isolation is needed. Runs are posted and not awaited; a read asks
// every shard once and resolves when all have answered (each answers after the runs posted before it).
// It starts from a TrainingState and reads one back, exactly as the WGSL kernel (src/fused/fused.ts) does.
import type { ModelSpec, TrainSettings } from '../core/config';
import { inputScale, type Points } from '../core/datasets';
import { logPartitionTable } from '../core/losses/barronPartition';
import { paramCount, stateMismatch, type ModelState, type TrainingState } from '../core/state';
import { fusedUnsupported, HYPER_FIELDS, writeHyperRecord } from '../fused/contract';
import { headerPtrOf, shardLayout } from './layout';
import { ShardHost, type ShardModel, type ShardRead, type ShardReply, type ShardRequest } from './shard';

/** A failure of the CPU trainer itself (a worker that died, a shard that threw): the session fails over on it as it
 * does on a lost GPU device. */
export class CpuTrainerError extends Error {
  override name = 'CpuTrainerError';
}

/** A shard's end of a message channel: a worker, or the in-thread stand-in below. */
export interface ShardPort {
  post: (msg: ShardRequest, transfer?: Transferable[]) => void;
  listen: (onReply: (reply: ShardReply) => void, onError: (message: string) => void) => void;
  terminate: () => void;
}
export type SpawnShard = () => ShardPort;

/** A shard in this thread, answering asynchronously and in order (tests, and where workers are unavailable). */
export function inThreadShard(): ShardPort {
  const host = new ShardHost();
  let reply: (r: ShardReply) => void = () => undefined;
  let queue = Promise.resolve();
  return {
    post: (msg) => {
      queue = queue.then(() => {
        const r = host.handle(msg);
        if (r) reply(r);
      });
    },
    listen: (onReply) => {
      reply = onReply;
    },
    terminate: () => undefined,
  };
}

export interface CpuOptions {
  module: WebAssembly.Module;
  spawn: SpawnShard;
  /** Shards to split the models over (at most one per model). */
  workers: number;
}

/** A frame's read: every model's parameters, and the exact state when asked for. */
export interface CpuRead {
  params: Float32Array[];
  state: TrainingState | null;
  /** Steps each model has taken (the host does not mirror them: they come with every read), and SuperLoss's τ. */
  steps: number[];
  tau: number[];
  /** The global step the read was taken at, and each model's divergence as the host knew it then. */
  step: number;
  diverged: (string | null)[];
  /** The slowest shard's milliseconds of training since the last read (its own clock, frames excluded). */
  trainMs: number;
}

interface Shard {
  port: ShardPort;
  k0: number;
  k1: number;
}

export class CpuTrainer {
  private readonly shards: Shard[];
  private readonly specs: ModelSpec[];
  private readonly messages: (string | null)[];
  private readonly ids: string[];
  private readonly p: number;
  private readonly n: number;
  private readonly pending = new Map<number, { resolve: (r: ShardRead | null) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private globalStep: number;
  private failure: string | null = null;
  private disposed = false;
  private readonly ready: Promise<unknown>;

  constructor(
    points: Points,
    specs: ModelSpec[],
    private readonly train: TrainSettings,
    state: TrainingState,
    options: CpuOptions,
  ) {
    const n = points.x.length;
    if (specs.length === 0) throw new Error('CPU trainer: no models');
    for (const s of specs) {
      const why = fusedUnsupported(s, train, n);
      if (why) throw new Error(`CPU trainer: ${why}`);
    }
    const mismatch = stateMismatch(state, train.architecture, specs);
    if (mismatch) throw new Error(`CPU trainer: ${mismatch}`);
    this.specs = specs.map((s) => ({ ...s }));
    this.messages = state.models.map((m) => m.diverged);
    this.ids = specs.map((s) => s.id);
    this.p = paramCount(train.architecture);
    this.n = n;
    this.globalStep = state.step;
    const table = logPartitionTable();
    const logZ = new Float32Array(2 * table.value.length);
    logZ.set(table.value, 0);
    logZ.set(table.slope, table.value.length);
    const { mean, std } = inputScale(points.x, train.architecture);
    const x = Float32Array.from(points.x, (v) => (v - mean) / std);
    const y = Float32Array.from(points.y);
    const fullBatch = train.batchSize >= n;
    const w = Math.max(1, Math.min(Math.floor(options.workers), specs.length));
    this.shards = [];
    for (let s = 0; s < w; s++) {
      const k0 = Math.floor((s * specs.length) / w);
      const k1 = Math.floor(((s + 1) * specs.length) / w);
      const port = options.spawn();
      const shard = { port, k0, k1 };
      port.listen(
        (reply) => this.settle(reply),
        (message) => this.fail(`a CPU worker failed: ${message}`),
      );
      this.shards.push(shard);
    }
    this.ready = Promise.all(
      this.shards.map((sh) => {
        const models: ShardModel[] = state.models
          .slice(sh.k0, sh.k1)
          .map((m) => ({ params: m.params, m: m.m, v: m.v, t: m.t, steps: m.steps, tau: m.tau, tauCount: m.tauCount }));
        const shape = {
          arch: train.architecture,
          n,
          batch: fullBatch ? n : train.batchSize,
          fullBatch,
          models: sh.k1 - sh.k0,
          batchSeed: train.batchSeed,
          logZCount: table.value.length,
          logZStepsPerUnit: table.stepsPerUnit,
        };
        const layout = shardLayout(shape, headerPtrOf(options.module));
        return this.request(sh, (id) => ({
          kind: 'init',
          id,
          module: options.module,
          layout,
          logZ,
          x,
          y,
          models,
          hyper: this.hyperOf(sh),
        }));
      }),
    );
    // A failed start is reported by the first read; nothing is left unhandled in between.
    this.ready.catch(() => undefined);
  }

  get step(): number {
    return this.globalStep;
  }

  get workers(): number {
    return this.shards.length;
  }

  private hyperOf(sh: Shard): ArrayBuffer {
    const words = new ArrayBuffer(4 * HYPER_FIELDS.length * (sh.k1 - sh.k0));
    for (let k = sh.k0; k < sh.k1; k++)
      writeHyperRecord(words, k - sh.k0, this.specs[k], this.train, this.messages[k] === null);
    return words;
  }

  private request(sh: Shard, make: (id: number) => ShardRequest): Promise<ShardRead | null> {
    const id = this.nextId++;
    const done = new Promise<ShardRead | null>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    sh.port.post(make(id));
    return done;
  }

  private settle(reply: ShardReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    // After a worker failed, no other shard's answer stands: its models may be ahead of the lost one's.
    if (this.failure) p.reject(new CpuTrainerError(this.failure));
    else if (reply.ok) p.resolve(reply.read);
    else p.reject(new CpuTrainerError(reply.error));
  }

  private fail(message: string, ownFailure = true): void {
    this.failure ??= message;
    for (const p of this.pending.values()) p.reject(ownFailure ? new CpuTrainerError(message) : new Error(message));
    this.pending.clear();
  }

  private check(): void {
    if (this.disposed) throw new Error('CPU trainer: the trainer was disposed');
    if (this.failure) throw new CpuTrainerError(this.failure);
  }

  private checkIndex(k: number): void {
    if (!(Number.isInteger(k) && k >= 0 && k < this.specs.length))
      throw new Error(`invalid model index; not in [0, ${this.specs.length}): ${k}`);
  }

  private shardOf(k: number): Shard {
    return this.shards.find((sh) => k >= sh.k0 && k < sh.k1) as Shard;
  }

  /** Posts `count` steps of every model still training to every shard; reads nothing back. */
  run(count: number): void {
    this.check();
    if (!(Number.isInteger(count) && count >= 0))
      throw new Error(`invalid step count; not a whole number ≥ 0: ${count}`);
    if (count === 0) return;
    for (const sh of this.shards) sh.port.post({ kind: 'run', stepBase: this.globalStep, count });
    this.globalStep += count;
  }

  /** Live change of model k's loss or hyperparameters: the next run uses it; θ, m, v, t and τ stay. */
  updateModel(k: number, spec: ModelSpec): void {
    this.checkIndex(k);
    const why = fusedUnsupported(spec, this.train, this.n);
    if (why) throw new Error(`CPU trainer: ${why}`);
    this.specs[k] = { ...spec };
    this.postHyper(this.shardOf(k));
  }

  /** A diverged model (message set) takes no more steps; null lets it train again. */
  setDiverged(k: number, message: string | null): void {
    this.checkIndex(k);
    if (this.messages[k] === message) return;
    this.messages[k] = message;
    this.postHyper(this.shardOf(k));
  }

  private postHyper(sh: Shard): void {
    const hyper = this.hyperOf(sh);
    sh.port.post({ kind: 'hyper', hyper }, [hyper]);
  }

  /** One read of every shard: parameters, and the exact state when `withState`. */
  async read(withState: boolean): Promise<CpuRead> {
    this.check();
    await this.ready;
    this.check();
    const step = this.globalStep;
    const messages = [...this.messages];
    const reads = await Promise.all(
      this.shards.map((sh) => this.request(sh, (id) => ({ kind: 'read', id, state: withState }))),
    );
    const p = this.p;
    const params: Float32Array[] = [];
    const models: ModelState[] = [];
    const steps: number[] = [];
    const tau: number[] = [];
    let trainMs = 0;
    reads.forEach((r, s) => {
      if (!r) throw new Error('CPU trainer: a shard answered a read with nothing');
      trainMs = Math.max(trainMs, r.trainMs);
      const sh = this.shards[s];
      for (let j = 0; j < sh.k1 - sh.k0; j++) {
        const k = sh.k0 + j;
        const theta = r.params.subarray(j * p, (j + 1) * p);
        params.push(theta);
        steps.push(r.steps[j]);
        tau.push(r.tau[j]);
        if (!withState || !r.m || !r.v) continue;
        models.push({
          id: this.ids[k],
          params: theta,
          m: r.m.subarray(j * p, (j + 1) * p),
          v: r.v.subarray(j * p, (j + 1) * p),
          t: r.t[j],
          steps: r.steps[j],
          tau: r.tau[j],
          tauCount: r.tauCount[j],
          diverged: messages[k],
        });
      }
    });
    return { params, state: withState ? { step, models } : null, steps, tau, step, diverged: messages, trainMs };
  }

  async readState(): Promise<TrainingState> {
    const r = await this.read(true);
    return r.state as TrainingState;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const sh of this.shards) {
      sh.port.post({ kind: 'dispose' });
      sh.port.terminate();
    }
    this.fail('CPU trainer: the trainer was disposed', false);
  }
}
