// The fused kernel's contract generator: codes, record layouts and parameter offsets in the WGSL are the TS
// objects'; and (through Dawn, skipped without an adapter) the WGSL warm-up rule and special functions
// evaluate as their TS sources do.
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_LOSS_IDS, WRAPPER_IDS, TAU_MODES } from '../../src/core/losses';
import { lambertW } from '../../src/core/special';
import { paramLayout, type Architecture } from '../../src/core/model';
import { ADAM, paramCount, phaseAt } from '../../src/core/state';
import {
  BASE_CODE,
  COUNTER_FIELDS,
  HYPER_FIELDS,
  kernelLayout,
  META_FIELDS,
  PHASE_CODE,
  TAU_MODE_CODE,
  WRAPPER_CODE,
  wgslSharedConstants,
} from '../../src/fused/contract';
import { fusedKernelSource } from '../../src/fused/kernel.wgsl';
import { MATH_WGSL } from '../../src/fused/losses.wgsl';
import { testDevice } from './fused-harness';

const constant = (src: string, name: string): string => {
  const m = new RegExp(`const ${name}: \\w+ = ([^;]+);`).exec(src);
  if (!m) throw new Error(`no constant ${name}`);
  return m[1];
};
const u32 = (src: string, name: string) => Number(constant(src, name).replace(/u$/, ''));
const f32 = (src: string, name: string) => Math.fround(Number(constant(src, name)));
const wgslName = (id: string) => id.toUpperCase().replace(/-/g, '_');

describe('generated WGSL contract', () => {
  const shared = wgslSharedConstants();

  it('loss, wrapper, τ-mode and phase codes are the TS objects, each distinct', () => {
    for (const id of BASE_LOSS_IDS) expect(u32(shared, `BASE_${wgslName(id)}`), id).toBe(BASE_CODE[id]);
    for (const id of WRAPPER_IDS) expect(u32(shared, `WRAP_${wgslName(id)}`), id).toBe(WRAPPER_CODE[id]);
    for (const id of TAU_MODES) expect(u32(shared, `TAU_${wgslName(id)}`), id).toBe(TAU_MODE_CODE[id]);
    for (const [id, code] of Object.entries(PHASE_CODE)) expect(u32(shared, `PHASE_${wgslName(id)}`)).toBe(code);
    expect(new Set(Object.values(BASE_CODE)).size).toBe(BASE_LOSS_IDS.length);
    expect(new Set(Object.values(WRAPPER_CODE)).size).toBe(WRAPPER_IDS.length);
  });

  it('Adam constants come from src/core/state.ts', () => {
    expect(f32(shared, 'ADAM_BETA1')).toBe(Math.fround(ADAM.beta1));
    expect(f32(shared, 'ADAM_BETA2')).toBe(Math.fround(ADAM.beta2));
    expect(f32(shared, 'ADAM_EPS')).toBe(Math.fround(ADAM.epsilon));
    expect(f32(shared, 'ADAM_LOG_BETA2')).toBeCloseTo(Math.log(ADAM.beta2), 9);
  });

  it('the Hyper, Counters and Meta structs list the TS fields in order (the host writes words by these indices)', () => {
    for (const [name, fields] of [
      ['Hyper', HYPER_FIELDS],
      ['Counters', COUNTER_FIELDS],
      ['Meta', META_FIELDS],
    ] as const) {
      const body = new RegExp(`struct ${name} \\{([^}]*)\\}`).exec(shared)![1];
      const declared = [...body.matchAll(/(\w+): (\w+),/g)].map((m) => [m[1], m[2]]);
      expect(declared, name).toEqual(fields.map(([n, t]) => [n, t]));
      // Every word 4 bytes, no implicit padding: the host's word index is the WGSL offset / 4.
      expect(fields.every(([, t]) => t === 'u32' || t === 'f32')).toBe(true);
    }
  });

  const archs: Architecture[] = [
    { hidden: [50], activation: 'relu', shared: true, varianceFloor: 1e-6 },
    { hidden: [], activation: 'tanh', shared: true, varianceFloor: 1e-6 },
    { hidden: [16, 16], activation: 'tanh', shared: false, varianceFloor: 1e-8 },
    { hidden: [256, 256, 256, 256], activation: 'elu', shared: false, varianceFloor: 1e-6 },
  ];

  it.each(archs)('offsets follow paramLayout: %o', (arch) => {
    const lay = kernelLayout(arch);
    const { names, shapes } = paramLayout(arch, 1);
    const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const at = (name: string) => sizes.slice(0, names.indexOf(name)).reduce((a, b) => a + b, 0);
    expect(lay.params).toBe(paramCount(arch));
    const prefixes = arch.shared ? [''] : ['mean.', 'var.'];
    prefixes.forEach((prefix, tw) => {
      arch.hidden.forEach((_, l) => {
        expect(lay.towers[tw].w[l]).toBe(at(`${prefix}W${l}`));
        expect(lay.towers[tw].b[l]).toBe(at(`${prefix}b${l}`));
      });
      expect(lay.towers[tw].wOut).toBe(at(`${prefix}Wout`));
      expect(lay.towers[tw].bOut).toBe(at(`${prefix}bout`));
    });
    expect(lay.outputs).toBe(arch.shared ? 2 : 1);
    expect(lay.alphaLatent).toBe(at('alphaLatent'));
    expect(lay.scaleLatent).toBe(at('scaleLatent'));
    const src = fusedKernelSource({
      arch,
      n: 100,
      batch: 32,
      fullBatch: false,
      workgroup: 64,
      logZCount: 513,
      logZStepsPerUnit: 256,
    });
    expect(u32(src, 'P')).toBe(paramCount(arch));
    expect(u32(src, 'ALPHA_LATENT')).toBe(at('alphaLatent'));
    expect(u32(src, 'SCALE_LATENT')).toBe(at('scaleLatent'));
    expect(f32(src, 'FLOOR')).toBe(Math.fround(arch.varianceFloor));
  });
});

describe('WGSL functions evaluate as their TS sources (Dawn)', () => {
  let device: GPUDevice | null = null;
  beforeAll(async () => {
    device = await testDevice();
    if (!device) console.warn('SKIPPED WGSL function checks: no WebGPU adapter in Node');
  });

  /** Runs `expr` (of u32 index i and f32 input x) over the inputs on the GPU. */
  async function evaluate(expr: string, xs: number[]): Promise<Float32Array> {
    const d = device!;
    const code = `${wgslSharedConstants()}\n${MATH_WGSL}
@group(0) @binding(0) var<storage, read_write> io: array<f32>;
@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let i = id.x;
  if (i >= arrayLength(&io)) { return; }
  let x = io[i];
  io[i] = ${expr};
}`;
    const pipeline = d.createComputePipeline({
      layout: 'auto',
      compute: { module: d.createShaderModule({ code }), entryPoint: 'main' },
    });
    const size = 4 * xs.length;
    const io = d.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    const read = d.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    d.queue.writeBuffer(io, 0, Float32Array.from(xs));
    const enc = d.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      d.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [{ binding: 0, resource: { buffer: io } }],
      }),
    );
    pass.dispatchWorkgroups(Math.ceil(xs.length / 64));
    pass.end();
    enc.copyBufferToBuffer(io, 0, read, 0, size);
    d.queue.submit([enc.finish()]);
    await read.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(read.getMappedRange().slice(0));
    read.unmap();
    io.destroy();
    read.destroy();
    return out;
  }

  it('phaseAt is src/core/state.ts phaseAt (warm-ups 0/0, 3/0, 0/4, 3/4)', async () => {
    if (!device) return;
    const steps = Array.from({ length: 12 }, (_, i) => i);
    for (const [a, b] of [
      [0, 0],
      [3, 0],
      [0, 4],
      [3, 4],
    ]) {
      const got = await evaluate(`f32(phaseAt(u32(x), ${a}u, ${b}u))`, steps);
      expect(Array.from(got), `${a}/${b}`).toEqual(steps.map((s) => phaseAt(s, { meanSteps: a, nllSteps: b })));
    }
  });

  it('softplus is tfjs’s: eˢ far below 0 (a 1e-8 floor stays visible), s far above', async () => {
    if (!device) return;
    const xs = [-30, -20, -16, -13, -5, -1e-3, 0, 1e-3, 2, 13, 20, 40];
    const got = await evaluate('softplus(x)', xs);
    xs.forEach((x, i) => {
      const exact = Math.log1p(Math.exp(x));
      expect(Math.abs(got[i] - exact) / exact, `softplus(${x})`).toBeLessThan(1e-5);
    });
    expect(got[0]).toBeGreaterThan(0);
  });

  it('log1p, expm1 keep relative precision near 0; lambertW matches the core’s to float32', async () => {
    if (!device) return;
    const small = [-0.2, -1e-3, -1e-6, 1e-7, 1e-4, 0.1, 0.24, 0.3, 3];
    const l = await evaluate('log1p(x)', small);
    const e = await evaluate('expm1(x)', small);
    small.forEach((x, i) => {
      expect(Math.abs(l[i] - Math.log1p(x)) / Math.abs(Math.log1p(x)), `log1p(${x})`).toBeLessThan(1e-6);
      expect(Math.abs(e[i] - Math.expm1(x)) / Math.abs(Math.expm1(x)), `expm1(${x})`).toBeLessThan(1e-6);
    });
    const zs = [-1 / Math.E, -0.36, -0.3, -0.1, 0, 0.5, 2.9, 3.1, 50, 1e4];
    const w = await evaluate('lambertW(x)', zs);
    zs.forEach((z, i) =>
      expect(Math.abs(w[i] - lambertW(Math.max(z, -1 / Math.E))), `W(${z})`).toBeLessThan(
        2e-5 * Math.max(1, Math.abs(w[i])),
      ),
    );
  });
});
