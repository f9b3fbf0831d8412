// Host side of the fused WebGPU path: buffers on TensorFlow.js's own GPUDevice, one dispatch per S steps,
// hyperparameters in a small storage buffer (a slider move is one write, never a recompile).
import type { ModelSpec, TrainSettings } from '../core/config';
import { inputScale, type Points } from '../core/datasets';
import { parseLossId } from '../core/losses';
import { ADAM, paramCount, warmupOf, type TrainingState } from '../core/state';
import { FUSED_WGSL, WORKGROUP } from './kernel.wgsl';

const BASE_CODES: Record<string, number> = { nll: 0, mse: 1, 'beta-nll': 2, faithful: 3, barron: 4 };
const WRAPPER_CODES: Record<string, number> = { none: 0, boltzmann: 1, 'boltzmann-const': 2 };

/** Why a model or setting cannot take the fused path, or null when it can. */
export function fusedUnsupported(spec: ModelSpec, train: TrainSettings, n = 0): string | null {
  const { base, wrapper } = parseLossId(spec.loss);
  if (!(base in BASE_CODES)) return `${base} is not in the fused kernel`;
  if (!(wrapper in WRAPPER_CODES)) return `${wrapper} is not in the fused kernel`;
  if (train.optimizer !== 'adam') return 'the fused kernel runs Adam only';
  const a = train.architecture;
  if (a.hidden.length !== 1 || a.activation !== 'relu' || !a.shared) return 'the fused kernel covers one hidden ReLU layer with a shared trunk';
  if (a.hidden[0] >= WORKGROUP) return `hidden width must be below ${WORKGROUP}`;
  if (Math.min(train.batchSize, n || train.batchSize) > WORKGROUP) return `batch size must be at most ${WORKGROUP}`;
  if (base === 'barron' && spec.alpha === Infinity) return 'α = +∞ is not offered';
  return null;
}

const pipelines = new WeakMap<GPUDevice, GPUComputePipeline>();

/** One pipeline per device: compiling the kernel is the slow part of a rebuild. */
function pipelineFor(device: GPUDevice): GPUComputePipeline {
  let p = pipelines.get(device);
  if (!p) {
    p = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: FUSED_WGSL }), entryPoint: 'main' } });
    pipelines.set(device, p);
  }
  return p;
}

const STORAGE = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

export class FusedTrainer {
  private readonly pipeline: GPUComputePipeline;
  private readonly bindGroup: GPUBindGroup;
  private readonly metaBuffer: GPUBuffer;
  private readonly hyperBuffer: GPUBuffer;
  readonly paramBuffer: GPUBuffer;
  readonly m1Buffer: GPUBuffer;
  readonly m2Buffer: GPUBuffer;
  /** Each model's τ; the kernel does not run SuperLoss, so it stays at the state's value. */
  readonly tauBuffer: GPUBuffer;
  private readonly staging: GPUBuffer;
  private readonly buffers: GPUBuffer[];
  private readonly nParams: number;
  private readonly batch: number;
  private readonly fullBatch: boolean;
  private readonly meta = new ArrayBuffer(48);
  private readonly hyperWords: ArrayBuffer;
  private readonly steps: number[];
  private readonly adamT: number[];
  private readonly tau: number[];
  private readonly tauCount: number[];
  private readonly diverged: (string | null)[];
  private globalStep: number;
  private specs: ModelSpec[];
  private disposed = false;

  constructor(
    private readonly device: GPUDevice,
    private readonly points: Points,
    specs: ModelSpec[],
    private readonly train: TrainSettings,
    state: TrainingState,
  ) {
    const n = points.x.length;
    for (const s of specs) {
      const why = fusedUnsupported(s, train, n);
      if (why) throw new Error(`fused path: ${why}`);
    }
    this.specs = specs.map((s) => ({ ...s }));
    this.nParams = paramCount(train.architecture);
    const k = specs.length;
    if (state.models.length !== k) throw new Error(`fused path: the state has ${state.models.length} models, the run ${k}`);
    this.steps = state.models.map((m) => m.steps);
    this.adamT = state.models.map((m) => m.t);
    this.tau = state.models.map((m) => m.tau);
    this.tauCount = state.models.map((m) => m.tauCount);
    this.diverged = state.models.map((m) => m.diverged);
    this.globalStep = state.step;
    this.fullBatch = train.batchSize >= n;
    this.batch = this.fullBatch ? n : train.batchSize;
    if (this.batch > WORKGROUP) throw new Error(`fused path: batch of ${this.batch} exceeds ${WORKGROUP}`);
    const { mean, std } = inputScale(points.x);
    const storage = (data: Float32Array<ArrayBuffer>) => {
      const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: STORAGE });
      device.queue.writeBuffer(b, 0, data);
      return b;
    };
    const pack = (pick: (m: TrainingState['models'][number]) => Float32Array) => {
      const out = new Float32Array(this.nParams * k);
      state.models.forEach((m, j) => {
        const v = pick(m);
        if (v.length !== this.nParams) throw new Error(`fused path: model ${m.id} has ${v.length} values, expected ${this.nParams}`);
        out.set(v, j * this.nParams);
      });
      return out;
    };
    const x = storage(Float32Array.from(points.x, (v) => (v - mean) / std));
    const y = storage(Float32Array.from(points.y));
    this.paramBuffer = storage(pack((m) => m.params));
    this.m1Buffer = storage(pack((m) => m.m));
    this.m2Buffer = storage(pack((m) => m.v));
    this.tauBuffer = storage(Float32Array.from(this.tau));
    this.hyperWords = new ArrayBuffer(64 * k);
    this.hyperBuffer = device.createBuffer({ size: 64 * k, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.metaBuffer = device.createBuffer({ size: 48, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.staging = device.createBuffer({ size: 4 * (3 * this.nParams * k + k), usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.buffers = [x, y, this.paramBuffer, this.m1Buffer, this.m2Buffer, this.tauBuffer, this.hyperBuffer, this.metaBuffer, this.staging];
    this.pipeline = pipelineFor(device);
    this.bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [this.metaBuffer, x, y, this.hyperBuffer, this.paramBuffer, this.m1Buffer, this.m2Buffer].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  get step(): number {
    return this.globalStep;
  }

  get modelSteps(): number[] {
    return [...this.steps];
  }

  /** The host-side part of the state (Adam's t, τ's count, divergence), without a device read. */
  counters(): { t: number[]; tauCount: number[]; diverged: (string | null)[] } {
    return { t: [...this.adamT], tauCount: [...this.tauCount], diverged: [...this.diverged] };
  }

  /** A diverged model takes no more steps (its t and steps freeze); null lets it train again. */
  setDiverged(k: number, message: string | null): void {
    this.diverged[k] = message;
  }

  /** Live hyperparameters: written with the next dispatch. */
  updateModel(k: number, spec: ModelSpec): void {
    const why = fusedUnsupported(spec, this.train, this.points.x.length);
    if (why) throw new Error(`fused path: ${why}`);
    this.specs[k] = { ...spec };
  }

  private writeHyper(): void {
    const f = new Float32Array(this.hyperWords);
    const u = new Uint32Array(this.hyperWords);
    this.specs.forEach((s, k) => {
      const { base, wrapper } = parseLossId(s.loss);
      const o = 16 * k;
      const w = warmupOf(s, this.train);
      f[o] = wrapper !== 'none' && Number.isFinite(s.T) ? 1 / s.T : 0;
      f[o + 1] = s.beta;
      f[o + 2] = Number.isFinite(s.alpha) ? s.alpha : 0;
      f[o + 3] = s.c;
      f[o + 4] = this.train.learningRate * s.lrScale;
      f[o + 5] = s.alpha === -Infinity ? 1 : 0;
      u[o + 6] = BASE_CODES[base];
      u[o + 7] = WRAPPER_CODES[wrapper];
      u[o + 8] = w.meanSteps;
      u[o + 9] = w.nllSteps;
      u[o + 10] = this.steps[k];
      u[o + 11] = this.diverged[k] === null ? 1 : 0;
      // The kernel adds the step within the dispatch and 1: Adam's own t continues where it stopped.
      f[o + 12] = this.adamT[k];
    });
    this.device.queue.writeBuffer(this.hyperBuffer, 0, this.hyperWords);
  }

  /** Enqueues `count` steps for every model still training, at most 200 to one dispatch. Reads nothing back. */
  run(count: number, perDispatch = 200): void {
    if (this.disposed) throw new Error('the fused trainer was disposed');
    const u = new Uint32Array(this.meta);
    const f = new Float32Array(this.meta);
    for (let done = 0; done < count; ) {
      const s = Math.min(perDispatch, count - done);
      u.set([this.points.x.length, this.batch, this.train.architecture.hidden[0], s, this.train.batchSeed >>> 0, this.globalStep, this.nParams, this.fullBatch ? 1 : 0]);
      f.set([this.train.architecture.varianceFloor, ADAM.beta1, ADAM.beta2, ADAM.epsilon], 8);
      this.device.queue.writeBuffer(this.metaBuffer, 0, this.meta);
      this.writeHyper();
      const encoder = this.device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, this.bindGroup);
      pass.dispatchWorkgroups(this.specs.length);
      pass.end();
      this.device.queue.submit([encoder.finish()]);
      this.globalStep += s;
      this.diverged.forEach((d, k) => {
        if (d !== null) return;
        this.steps[k] += s;
        this.adamT[k] += s;
      });
      done += s;
    }
  }

  /** The exact training state: parameters, moments and τ in one copy and one read. */
  async readState(): Promise<TrainingState> {
    if (this.disposed) throw new Error('the fused trainer was disposed');
    const k = this.specs.length;
    const bytes = 4 * this.nParams * k;
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.paramBuffer, 0, this.staging, 0, bytes);
    encoder.copyBufferToBuffer(this.m1Buffer, 0, this.staging, bytes, bytes);
    encoder.copyBufferToBuffer(this.m2Buffer, 0, this.staging, 2 * bytes, bytes);
    encoder.copyBufferToBuffer(this.tauBuffer, 0, this.staging, 3 * bytes, 4 * k);
    this.device.queue.submit([encoder.finish()]);
    await this.staging.mapAsync(GPUMapMode.READ);
    const all = new Float32Array(this.staging.getMappedRange().slice(0));
    this.staging.unmap();
    const p = this.nParams;
    const part = (i: number, j: number) => all.slice(i * p * k + j * p, i * p * k + (j + 1) * p);
    return {
      step: this.globalStep,
      models: this.specs.map((s, j) => ({
        id: s.id,
        params: part(0, j),
        m: part(1, j),
        v: part(2, j),
        t: this.adamT[j],
        steps: this.steps[j],
        tau: all[3 * p * k + j],
        tauCount: this.tauCount[j],
        diverged: this.diverged[j],
      })),
    };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.buffers.forEach((b) => b.destroy());
  }
}
