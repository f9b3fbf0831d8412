// Host side of the fused WebGPU path: buffers on TensorFlow.js's own GPUDevice, one dispatch per S steps,
// hyperparameters in a small storage buffer (a slider move is one write, never a recompile).
import type { ModelSpec, TrainSettings } from '../core/config';
import { inputScale, type Points } from '../core/datasets';
import { parseLossId } from '../core/losses';
import { paramLayout } from '../core/model';
import { initialWeightsFlat } from '../core/initialWeights';
import { FUSED_WGSL, WORKGROUP } from './kernel.wgsl';

const BASE_CODES: Record<string, number> = { nll: 0, mse: 1, 'beta-nll': 2, faithful: 3, barron: 4 };
const WRAPPER_CODES: Record<string, number> = { none: 0, boltzmann: 1, 'boltzmann-const': 2 };
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/** Why a model or setting cannot take the fused path, or null when it can. */
export function fusedUnsupported(spec: ModelSpec, train: TrainSettings): string | null {
  const { base, wrapper } = parseLossId(spec.loss);
  if (!(base in BASE_CODES)) return `${base} is not in the fused kernel`;
  if (!(wrapper in WRAPPER_CODES)) return `${wrapper} is not in the fused kernel`;
  if (train.optimizer !== 'adam') return 'the fused kernel runs Adam only';
  const a = train.architecture;
  if (a.hidden.length !== 1 || a.activation !== 'relu' || !a.shared) return 'the fused kernel covers one hidden ReLU layer with a shared trunk';
  if (a.hidden[0] >= WORKGROUP) return `hidden width must be below ${WORKGROUP}`;
  if (train.batchSize > WORKGROUP) return `batch size must be at most ${WORKGROUP}`;
  if (base === 'barron' && spec.alpha === Infinity) return 'α = +∞ is not offered';
  return null;
}

export class FusedTrainer {
  private readonly pipeline: GPUComputePipeline;
  private readonly bindGroup: GPUBindGroup;
  private readonly metaBuffer: GPUBuffer;
  private readonly hyperBuffer: GPUBuffer;
  private readonly paramBuffer: GPUBuffer;
  private readonly buffers: GPUBuffer[];
  private readonly nParams: number;
  private readonly batch: number;
  private readonly fullBatch: boolean;
  private steps: number[];
  private active: boolean[];
  private globalStep = 0;
  private specs: ModelSpec[];

  constructor(
    private readonly device: GPUDevice,
    private readonly points: Points,
    specs: ModelSpec[],
    private readonly train: TrainSettings,
    /** Where to start: per-model weights and step counts (as Engine.modelWeights gives them); fresh otherwise. */
    initial?: { weights: Float32Array[]; steps: number[]; step: number },
  ) {
    for (const s of specs) {
      const why = fusedUnsupported(s, train);
      if (why) throw new Error(`fused path: ${why}`);
    }
    this.specs = specs.map((s) => ({ ...s }));
    this.steps = initial ? [...initial.steps] : specs.map(() => 0);
    this.globalStep = initial?.step ?? 0;
    this.active = specs.map(() => true);
    const n = points.x.length;
    this.fullBatch = train.batchSize >= n;
    this.batch = this.fullBatch ? n : train.batchSize;
    if (this.batch > WORKGROUP) throw new Error(`fused path: batch of ${this.batch} exceeds ${WORKGROUP}`);
    const layout = paramLayout(train.architecture, 1);
    this.nParams = layout.shapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
    const { mean, std } = inputScale(points.x);
    const storage = (data: Float32Array<ArrayBuffer>, extra = 0) => {
      const b = device.createBuffer({ size: Math.max(16, data.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC | extra });
      device.queue.writeBuffer(b, 0, data);
      return b;
    };
    const x = storage(Float32Array.from(points.x, (v) => (v - mean) / std));
    const y = storage(Float32Array.from(points.y));
    const init = new Float32Array(this.nParams * specs.length);
    specs.forEach((s, k) => {
      if (initial) {
        if (initial.weights[k].length !== this.nParams) throw new Error(`fused path: model ${k} has ${initial.weights[k].length} weights, expected ${this.nParams}`);
        init.set(initial.weights[k], k * this.nParams);
        return;
      }
      init.set(initialWeightsFlat(train.architecture, s), k * this.nParams);
    });
    this.paramBuffer = storage(init);
    const m1 = storage(new Float32Array(init.length));
    const m2 = storage(new Float32Array(init.length));
    this.hyperBuffer = device.createBuffer({ size: 64 * specs.length, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    this.metaBuffer = device.createBuffer({ size: 48, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.buffers = [x, y, this.paramBuffer, m1, m2, this.hyperBuffer, this.metaBuffer];
    this.pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: FUSED_WGSL }), entryPoint: 'main' } });
    this.bindGroup = device.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [this.metaBuffer, x, y, this.hyperBuffer, this.paramBuffer, m1, m2].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  get step(): number {
    return this.globalStep;
  }

  get modelSteps(): number[] {
    return [...this.steps];
  }

  /** Pauses (false) or resumes models one by one, e.g. a diverged one. */
  setActive(active: boolean[]): void {
    this.active = [...active];
  }

  /** Live hyperparameters: written with the next dispatch. */
  updateModel(k: number, patch: Partial<ModelSpec>): void {
    const next = { ...this.specs[k], ...patch };
    const why = fusedUnsupported(next, this.train);
    if (why) throw new Error(`fused path: ${why}`);
    this.specs[k] = next;
  }

  private writeHyper(): void {
    const words = new ArrayBuffer(64 * this.specs.length);
    const f = new Float32Array(words);
    const u = new Uint32Array(words);
    this.specs.forEach((s, k) => {
      const { base, wrapper } = parseLossId(s.loss);
      const o = 16 * k;
      const usesT = wrapper !== 'none';
      f[o] = usesT && Number.isFinite(s.T) ? 1 / s.T : 0;
      f[o + 1] = s.beta;
      f[o + 2] = Number.isFinite(s.alpha) ? s.alpha : 0;
      f[o + 3] = s.c;
      f[o + 4] = this.train.learningRate * s.lrScale;
      f[o + 5] = s.alpha === -Infinity ? 1 : 0;
      u[o + 6] = BASE_CODES[base];
      u[o + 7] = WRAPPER_CODES[wrapper];
      u[o + 8] = s.warmup?.meanSteps ?? this.train.warmupMeanSteps;
      u[o + 9] = s.warmup?.nllSteps ?? this.train.warmupNllSteps;
      u[o + 10] = this.steps[k];
      u[o + 11] = this.active[k] ? 1 : 0;
      f[o + 12] = this.steps[k];
    });
    this.device.queue.writeBuffer(this.hyperBuffer, 0, words);
  }

  /** Enqueues `count` steps for every model, `perDispatch` steps to one dispatch. Reads nothing back. */
  run(count: number, perDispatch = 50): void {
    for (let done = 0; done < count; ) {
      const s = Math.min(perDispatch, count - done);
      const meta = new ArrayBuffer(48);
      const u = new Uint32Array(meta);
      const f = new Float32Array(meta);
      u.set([this.points.x.length, this.batch, this.train.architecture.hidden[0], s, this.train.batchSeed >>> 0, this.globalStep, this.nParams, this.fullBatch ? 1 : 0]);
      f.set([this.train.architecture.varianceFloor, ADAM.beta1, ADAM.beta2, ADAM.epsilon], 8);
      this.device.queue.writeBuffer(this.metaBuffer, 0, meta);
      this.writeHyper();
      const encoder = this.device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, this.bindGroup);
      pass.dispatchWorkgroups(this.specs.length);
      pass.end();
      this.device.queue.submit([encoder.finish()]);
      this.globalStep += s;
      this.steps = this.steps.map((v, k) => (this.active[k] ? v + s : v));
      done += s;
    }
  }

  /** Every model's parameters, flattened in the engine's layout (one read). */
  async readWeights(): Promise<Float32Array[]> {
    const size = this.nParams * this.specs.length * 4;
    const staging = this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(this.paramBuffer, 0, staging, 0, size);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(GPUMapMode.READ);
    const all = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    staging.destroy();
    return this.specs.map((_, k) => all.slice(k * this.nParams, (k + 1) * this.nParams));
  }

  dispose(): void {
    this.buffers.forEach((b) => b.destroy());
  }
}
