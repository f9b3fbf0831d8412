// Host side of the fused WebGPU path: one pipeline per device and kernel shape (cached), buffers made once,
// S steps per dispatch, hyperparameters written only when a spec changes, one persistent staging buffer
// for reads. The GPU owns θ, Adam's m and v, the counters and τ between reads; the host mirrors only the
// step counts (they follow from what it enqueued) and the divergence flags (it sets them).
import type { ModelSpec, TrainSettings } from '../core/config';
import { inputScale, type Points } from '../core/datasets';
import { parseLossId } from '../core/losses';
import { logPartitionTable } from '../core/losses/barronPartition';
import { paramCount, stateMismatch, warmupOf, type ModelState, type TrainingState } from '../core/state';
import {
  COUNTER,
  COUNTER_FIELDS,
  fusedUnsupported,
  HYPER_FIELDS,
  META,
  META_FIELDS,
  writeHyperRecord,
} from './contract';

export { FUSED_LIMITS, fusedUnsupported } from './contract';
import { fusedKernelSource, scratchLayout, type KernelShape } from './kernel.wgsl';
import { isEmulatedAdapter, type AdapterInfoLike } from './adapterInfo';
import { DispatchSizer, TARGET_MS } from './sizer';

/**
 * Invocations per workgroup: the default limit (256), fewer for small batches, whose idle invocations would
 * still take part in every barrier. A CPU emulation (SwiftShader) gets EMULATED_WORKGROUP: it runs a workgroup
 * on one thread, four lanes at a time, and every further group of four is a fiber that each barrier switches
 * to; one group has nothing to switch. Measured there (1 × 50 ReLU, K = 64, 32 steps a dispatch, 2 cores):
 * 1970 model-steps/s at 64 invocations, 2590 at 16, 2840 at 4; a dispatch's fixed cost fell from ~20 ms to ~5.
 */
export const EMULATED_WORKGROUP = 4;

export function workgroupFor(device: GPUDevice, rows: number): number {
  if (isEmulatedAdapter((device as GPUDevice & { adapterInfo?: AdapterInfoLike }).adapterInfo))
    return EMULATED_WORKGROUP;
  return rows <= 64 ? 64 : rows <= 128 ? 128 : 256;
}

export interface FusedOptions {
  /** Invocations per workgroup (a power of two, 4 to 256); chosen by workgroupFor when left out. */
  workgroup?: number;
}

const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/** The compute pipeline for this kernel source on this device, compiled once. */
function pipelineFor(device: GPUDevice, code: string): GPUComputePipeline {
  let byCode = pipelines.get(device);
  if (!byCode) pipelines.set(device, (byCode = new Map<string, GPUComputePipeline>()));
  let p = byCode.get(code);
  if (!p) {
    p = device.createComputePipeline({
      layout: 'auto',
      compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
    });
    byCode.set(code, p);
  }
  return p;
}

const HYPER_WORDS = HYPER_FIELDS.length;
const COUNTER_WORDS = COUNTER_FIELDS.length;

export class FusedTrainer {
  readonly paramBuffer: GPUBuffer;
  readonly tauBuffer: GPUBuffer;
  /** Adam's m and v, K×P each in layout order (zeros under SGD). */
  readonly m1Buffer: GPUBuffer;
  readonly m2Buffer: GPUBuffer;
  private readonly counterBuffer: GPUBuffer;
  private readonly metaBuffer: GPUBuffer;
  private readonly hyperBuffer: GPUBuffer;
  private readonly staging: GPUBuffer;
  private readonly buffers: GPUBuffer[];
  private readonly pipeline: GPUComputePipeline;
  private readonly bindGroup: GPUBindGroup;
  private readonly k: number;
  private readonly p: number;
  private readonly specs: ModelSpec[];
  private readonly messages: (string | null)[];
  private readonly steps: number[];
  /** Host mirrors of Adam's t and τ's update count (they follow from what was enqueued, as steps do). */
  private readonly adamT: number[];
  private readonly tauCounts: number[];
  private readonly meta = new Uint32Array(META_FIELDS.length);
  private readonly hyperWords: ArrayBuffer;
  private hyperDirty = true;
  private globalStep: number;
  private disposed = false;
  private reading: Promise<unknown> = Promise.resolve();
  /** Steps per dispatch, adapted from what reads measure; and what they measure from. */
  private readonly sizer: DispatchSizer;
  private enqueuedSinceRead = 0;
  private dispatchesSinceRead = 0;
  private firstSubmitSinceRead = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly points: Points,
    specs: ModelSpec[],
    private readonly train: TrainSettings,
    state: TrainingState,
    options: FusedOptions = {},
  ) {
    const n = points.x.length;
    if (specs.length === 0) throw new Error('fused path: no models');
    for (const s of specs) {
      const why = fusedUnsupported(s, train, n);
      if (why) throw new Error(`fused path: ${why}`);
    }
    const mismatch = stateMismatch(state, train.architecture, specs);
    if (mismatch) throw new Error(`fused path: ${mismatch}`);
    this.k = specs.length;
    this.p = paramCount(train.architecture);
    this.specs = specs.map((s) => ({ ...s }));
    this.messages = state.models.map((m) => m.diverged);
    this.steps = state.models.map((m) => m.steps);
    this.adamT = state.models.map((m) => m.t);
    this.tauCounts = state.models.map((m) => m.tauCount);
    this.globalStep = state.step;
    const fullBatch = train.batchSize >= n;
    const workgroup = options.workgroup ?? workgroupFor(device, fullBatch ? n : train.batchSize);
    if (![4, 8, 16, 32, 64, 128, 256].includes(workgroup))
      throw new Error(`fused path: a workgroup of ${workgroup} invocations; not a power of two in [4, 256]`);
    const table = logPartitionTable();
    const shape: KernelShape = {
      arch: train.architecture,
      n,
      batch: fullBatch ? n : train.batchSize,
      fullBatch,
      workgroup,
      logZCount: table.value.length,
      logZStepsPerUnit: table.stepsPerUnit,
    };
    const scratchFloats = this.k * scratchLayout(shape).perModel;
    if (scratchFloats * 4 > device.limits.maxStorageBufferBindingSize) {
      throw new Error(
        `fused path: ${this.k} models of this size need ${((scratchFloats * 4) / 2 ** 20).toFixed(0)} MiB of scratch, over the device's ${(device.limits.maxStorageBufferBindingSize / 2 ** 20).toFixed(0)} MiB`,
      );
    }
    this.pipeline = pipelineFor(device, fusedKernelSource(shape));
    const KP = this.k * this.p;
    const make = (floats: number, usage: number) => device.createBuffer({ size: Math.max(16, 4 * floats), usage });
    const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const { mean, std } = inputScale(points.x, train.architecture);
    const data = new Float32Array(2 * table.value.length + 2 * n);
    data.set(table.value, 0);
    data.set(table.slope, table.value.length);
    data.set(
      Float32Array.from(points.x, (v) => (v - mean) / std),
      2 * table.value.length,
    );
    data.set(points.y, 2 * table.value.length + n);
    const dataBuffer = make(data.length, STORAGE);
    device.queue.writeBuffer(dataBuffer, 0, data);
    this.paramBuffer = make(KP, STORAGE);
    this.m1Buffer = make(KP, STORAGE);
    this.m2Buffer = make(KP, STORAGE);
    this.tauBuffer = make(this.k, STORAGE);
    this.counterBuffer = make(this.k * COUNTER_WORDS, STORAGE);
    const scratch = make(scratchFloats, GPUBufferUsage.STORAGE);
    this.hyperBuffer = make(this.k * HYPER_WORDS, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
    this.metaBuffer = make(this.meta.length, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.staging = make(3 * KP + this.k + this.k * COUNTER_WORDS, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    this.buffers = [
      dataBuffer,
      this.paramBuffer,
      this.m1Buffer,
      this.m2Buffer,
      this.tauBuffer,
      this.counterBuffer,
      scratch,
      this.hyperBuffer,
      this.metaBuffer,
      this.staging,
    ];
    this.hyperWords = new ArrayBuffer(4 * this.k * HYPER_WORDS);
    this.load(state);
    const entries = [
      this.metaBuffer,
      dataBuffer,
      this.hyperBuffer,
      this.paramBuffer,
      this.m1Buffer,
      this.m2Buffer,
      this.tauBuffer,
      this.counterBuffer,
      scratch,
    ];
    this.bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: entries.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    // A first guess from the work per step (SwiftShader does ~1 GFLOP/s, a GPU far more); readState refines it.
    const flopsPerStep = 8 * this.k * shape.batch * this.p;
    this.sizer = new DispatchSizer((TARGET_MS * 1e6) / flopsPerStep);
  }

  private load(state: TrainingState): void {
    const KP = this.k * this.p;
    const params = new Float32Array(KP);
    const m1 = new Float32Array(KP);
    const m2 = new Float32Array(KP);
    const tau = new Float32Array(this.k);
    const counters = new Uint32Array(this.k * COUNTER_WORDS);
    state.models.forEach((m: ModelState, k) => {
      params.set(m.params, k * this.p);
      m1.set(m.m, k * this.p);
      m2.set(m.v, k * this.p);
      tau[k] = m.tau;
      counters[k * COUNTER_WORDS + COUNTER.t] = m.t;
      counters[k * COUNTER_WORDS + COUNTER.steps] = m.steps;
      counters[k * COUNTER_WORDS + COUNTER.tauCount] = m.tauCount;
    });
    const q = this.device.queue;
    q.writeBuffer(this.paramBuffer, 0, params);
    q.writeBuffer(this.m1Buffer, 0, m1);
    q.writeBuffer(this.m2Buffer, 0, m2);
    q.writeBuffer(this.tauBuffer, 0, tau);
    q.writeBuffer(this.counterBuffer, 0, counters);
  }

  get step(): number {
    return this.globalStep;
  }

  get modelSteps(): number[] {
    return [...this.steps];
  }

  /** Steps one dispatch runs now (adapted to the measured rate). */
  get stepsPerDispatch(): number {
    return this.sizer.steps;
  }

  private checkIndex(k: number): void {
    if (!(Number.isInteger(k) && k >= 0 && k < this.k))
      throw new Error(`invalid model index; not in [0, ${this.k}): ${k}`);
  }

  /** Live change of model k's loss or hyperparameters: the next dispatch uses it; θ, m, v, t and τ stay. */
  updateModel(k: number, spec: ModelSpec): void {
    this.checkIndex(k);
    const why = fusedUnsupported(spec, this.train, this.points.x.length);
    if (why) throw new Error(`fused path: ${why}`);
    this.specs[k] = { ...spec };
    this.hyperDirty = true;
  }

  /** A diverged model (message set) takes no more steps; null lets it train again. */
  setDiverged(k: number, message: string | null): void {
    this.checkIndex(k);
    this.messages[k] = message;
    this.hyperDirty = true;
  }

  private writeHyper(): void {
    this.specs.forEach((s, k) => writeHyperRecord(this.hyperWords, k, s, this.train, this.messages[k] === null));
    this.device.queue.writeBuffer(this.hyperBuffer, 0, this.hyperWords);
    this.hyperDirty = false;
  }

  /** Enqueues `count` steps for every non-diverged model; reads nothing back. */
  run(count: number): void {
    if (this.disposed) throw new Error('fused path: the trainer was disposed');
    if (!(Number.isInteger(count) && count >= 0))
      throw new Error(`invalid step count; not a whole number ≥ 0: ${count}`);
    if (count === 0) return;
    if (this.hyperDirty) this.writeHyper();
    if (this.enqueuedSinceRead === 0) this.firstSubmitSinceRead = performance.now();
    for (let done = 0; done < count;) {
      const s = Math.min(this.sizer.steps, count - done);
      this.meta[META.stepBase] = this.globalStep + done;
      this.meta[META.steps] = s;
      this.meta[META.seed] = this.train.batchSeed >>> 0;
      this.device.queue.writeBuffer(this.metaBuffer, 0, this.meta);
      const encoder = this.device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, this.bindGroup);
      pass.dispatchWorkgroups(this.k);
      pass.end();
      this.device.queue.submit([encoder.finish()]);
      done += s;
      this.dispatchesSinceRead++;
    }
    this.globalStep += count;
    this.enqueuedSinceRead += count;
    for (let k = 0; k < this.k; k++) {
      if (this.messages[k] !== null) continue;
      const spec = this.specs[k];
      if (this.train.optimizer === 'adam') this.adamT[k] += count;
      if (parseLossId(spec.loss).wrapper === 'superloss' && spec.tauMode !== 'fixed') {
        // τ moves on every step taken in the model's own phase.
        const w = warmupOf(spec, this.train);
        const ownFrom = Math.max(this.steps[k], w.meanSteps + w.nllSteps);
        this.tauCounts[k] += Math.max(0, this.steps[k] + count - ownFrom);
      }
      this.steps[k] += count;
    }
  }

  /** The host-side part of the state (Adam's t, τ's count, divergence), without a device read. */
  counters(): { t: number[]; tauCount: number[]; diverged: (string | null)[] } {
    return { t: [...this.adamT], tauCount: [...this.tauCounts], diverged: [...this.messages] };
  }

  /** The exact training state, with ONE copy and ONE mapAsync of the persistent staging buffer. */
  readState(): Promise<TrainingState> {
    const next = this.reading.then(() => this.readNow());
    this.reading = next.catch(() => undefined);
    return next;
  }

  private async readNow(): Promise<TrainingState> {
    if (this.disposed) throw new Error('fused path: the trainer was disposed');
    const KP = this.k * this.p;
    const encoder = this.device.createCommandEncoder();
    let o = 0;
    for (const [src, floats] of [
      [this.paramBuffer, KP],
      [this.m1Buffer, KP],
      [this.m2Buffer, KP],
      [this.tauBuffer, this.k],
      [this.counterBuffer, this.k * COUNTER_WORDS],
    ] as const) {
      encoder.copyBufferToBuffer(src, 0, this.staging, 4 * o, 4 * floats);
      o += floats;
    }
    this.device.queue.submit([encoder.finish()]);
    const step = this.globalStep;
    const messages = [...this.messages];
    const enqueued = this.enqueuedSinceRead;
    const dispatches = this.dispatchesSinceRead;
    const since = this.firstSubmitSinceRead;
    this.enqueuedSinceRead = 0;
    this.dispatchesSinceRead = 0;
    try {
      await this.staging.mapAsync(GPUMapMode.READ, 0, 4 * o);
    } catch (err) {
      if (this.disposed) throw new Error('fused path: the trainer was disposed during a read', { cause: err });
      throw err;
    }
    const range = this.staging.getMappedRange(0, 4 * o);
    const f = new Float32Array(range);
    const u = new Uint32Array(range);
    const models = this.specs.map((spec, k): ModelState => {
      const c = 3 * KP + this.k + k * COUNTER_WORDS;
      return {
        id: spec.id,
        params: f.slice(k * this.p, (k + 1) * this.p),
        m: f.slice(KP + k * this.p, KP + (k + 1) * this.p),
        v: f.slice(2 * KP + k * this.p, 2 * KP + (k + 1) * this.p),
        t: u[c + COUNTER.t],
        steps: u[c + COUNTER.steps],
        tau: f[3 * KP + k],
        tauCount: u[c + COUNTER.tauCount],
        diverged: messages[k],
      };
    });
    this.staging.unmap();
    // The GPU was busy from the first submit to now (reads follow runs): that sizes the next dispatches.
    if (enqueued > 0) this.sizer.observe(dispatches, enqueued, performance.now() - since);
    return { step, models };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const b of this.buffers) b.destroy();
  }
}
