// Where everything sits in one CPU shard's WebAssembly memory, and the header that tells the module: the
// architecture's offsets are read off paramLayout through kernelLayout (the WGSL kernel's own reading), so
// the two fused trainers and the engine agree on the parameter order by construction.
import type { Architecture } from '../core/model';
import { kernelLayout, COUNTER, COUNTER_FIELDS, HYPER_FIELDS } from '../fused/contract';
import { ACTIVATION_CODE, HEADER, HEADER_WORDS, IDX_CHUNK, ROW_FIELDS } from './contract';

export interface ShardShape {
  arch: Architecture;
  /** Training points, minibatch rows (= n for a full batch), whether the batch is the data in order. */
  n: number;
  batch: number;
  fullBatch: boolean;
  /** Models this shard trains. */
  models: number;
  batchSeed: number;
  logZCount: number;
  logZStepsPerUnit: number;
}

export interface ShardLayout {
  /** Parameters per model and that count rounded up to whole vectors of four. */
  params: number;
  paramsPadded: number;
  /** Byte offsets. */
  header: number;
  logZ: number;
  x: number;
  y: number;
  models: number;
  hyper: number;
  counters: number;
  taus: number;
  bytes: number;
  /** The header's words, ready to copy to `header`. */
  words: Uint32Array;
  /** Words per hyper record and per counter record, and the counters' word indices (the shard imports nothing). */
  hyperWords: number;
  counterWords: number;
  counter: { t: number; steps: number; tauCount: number };
}

const align = (bytes: number) => Math.ceil(bytes / 16) * 16;

/** Where a module's header goes (past its own static data): read once per compiled module. */
const headers = new WeakMap<WebAssembly.Module, number>();
export function headerPtrOf(module: WebAssembly.Module): number {
  let ptr = headers.get(module);
  if (ptr === undefined) {
    const probe = new WebAssembly.Instance(module, { env: { abort: () => undefined } });
    ptr = (probe.exports as { headerPtr: () => number }).headerPtr();
    headers.set(module, ptr);
  }
  return ptr;
}

export function shardLayout(shape: ShardShape, headerPtr: number): ShardLayout {
  const { arch } = shape;
  const lay = kernelLayout(arch);
  const L = arch.hidden.length;
  if (L > 4) throw new Error(`the CPU trainer takes at most 4 hidden layers (got ${L})`);
  const towers = lay.towers.length;
  const params = lay.params;
  const paramsPadded = Math.ceil(params / 4) * 4;
  const quads = 2 * Math.ceil(shape.batch / 8);
  const sumW = arch.hidden.reduce((a, b) => a + b, 0);
  const maxW = Math.max(0, ...arch.hidden);
  let at = align(headerPtr + 4 * HEADER_WORDS);
  const take = (bytes: number) => {
    const start = at;
    at = align(at + bytes);
    return start;
  };
  const logZ = take(8 * shape.logZCount);
  const x = take(4 * shape.n);
  const y = take(4 * shape.n);
  const models = take(12 * paramsPadded * shape.models);
  const hyper = take(4 * HYPER_FIELDS.length * shape.models);
  const counters = take(4 * COUNTER_FIELDS.length * shape.models);
  const taus = take(4 * shape.models);
  const grad = take(4 * paramsPadded);
  const rows = take(16 * quads * ROW_FIELDS.length);
  const acts = take(16 * quads * towers * sumW);
  const deltas = take(16 * quads * 2 * towers * maxW);
  const indices = take(4 * IDX_CHUNK * shape.batch);

  const buf = new ArrayBuffer(4 * HEADER_WORDS);
  const u = new Uint32Array(buf);
  const f = new Float32Array(buf);
  const t0 = lay.towers[0];
  u[HEADER.layers] = L;
  arch.hidden.forEach((w, l) => (u[HEADER.width0 + l] = w));
  u[HEADER.activation] = ACTIVATION_CODE[arch.activation];
  u[HEADER.towers] = towers;
  u[HEADER.outputs] = lay.outputs;
  f[HEADER.floor] = arch.varianceFloor;
  u[HEADER.params] = params;
  u[HEADER.paramsPadded] = paramsPadded;
  u[HEADER.alphaLatent] = lay.alphaLatent;
  u[HEADER.scaleLatent] = lay.scaleLatent;
  t0.w.forEach((o, l) => (u[HEADER.offW0 + l] = o));
  t0.b.forEach((o, l) => (u[HEADER.offB0 + l] = o));
  u[HEADER.offWOut] = t0.wOut;
  u[HEADER.offBOut] = t0.bOut;
  u[HEADER.towerStride] = towers === 2 ? lay.towers[1].wOut - t0.wOut : 0;
  u[HEADER.n] = shape.n;
  u[HEADER.batch] = shape.batch;
  u[HEADER.fullBatch] = shape.fullBatch ? 1 : 0;
  u[HEADER.quads] = quads;
  u[HEADER.logZCount] = shape.logZCount;
  f[HEADER.logZStepsPerUnit] = shape.logZStepsPerUnit;
  u[HEADER.models] = shape.models;
  u[HEADER.batchSeed] = shape.batchSeed >>> 0;
  u[HEADER.logZPtr] = logZ;
  u[HEADER.xPtr] = x;
  u[HEADER.yPtr] = y;
  u[HEADER.modelPtr] = models;
  u[HEADER.hyperPtr] = hyper;
  u[HEADER.counterPtr] = counters;
  u[HEADER.tauPtr] = taus;
  u[HEADER.gradPtr] = grad;
  u[HEADER.rowPtr] = rows;
  u[HEADER.actPtr] = acts;
  u[HEADER.deltaPtr] = deltas;
  u[HEADER.indexPtr] = indices;
  return {
    params,
    paramsPadded,
    header: headerPtr,
    logZ,
    x,
    y,
    models,
    hyper,
    counters,
    taus,
    bytes: at,
    words: u,
    hyperWords: HYPER_FIELDS.length,
    counterWords: COUNTER_FIELDS.length,
    counter: { t: COUNTER.t, steps: COUNTER.steps, tauCount: COUNTER.tauCount },
  };
}
