// The fused kernel's contract with the host, in ONE place: loss, wrapper and τ-mode codes, the words of the
// per-model hyperparameter and counter records, the meta uniform, the parameter layout and the constants of
// the warm-up rule and Adam. The WGSL declarations are generated from these objects, so host and shader
// cannot disagree about a code or an offset (tests/unit/fused-contract.test.ts checks the generated text).
import type { ModelSpec, TrainSettings } from '../core/config';
import { BASE_LOSS_IDS, parseLossId, WRAPPER_IDS, wrapperUsesT, type BaseLoss, type Wrapper } from '../core/losses';
import { studentTConstant } from '../core/losses/studentT';
import { TAU_MODES, type TauMode } from '../core/losses/superloss';
import { ADAPTIVE_ALPHA_RANGE, ADAPTIVE_SCALE_MIN } from '../core/losses/barronAdaptive';
import { ACTIVATIONS, paramLayout, type Activation, type Architecture } from '../core/model';
import { ADAM } from '../core/state';

const codes = <T extends string>(ids: readonly T[]) =>
  Object.fromEntries(ids.map((id, i) => [id, i])) as Record<T, number>;
export const BASE_CODE = codes<BaseLoss>(BASE_LOSS_IDS);
export const WRAPPER_CODE = codes<Wrapper>(WRAPPER_IDS);
export const TAU_MODE_CODE = codes<TauMode>(TAU_MODES);
/** The phases of phaseAt (src/core/state.ts). */
export const PHASE_CODE = { mean: 0, nll: 1, own: 2 } as const;

type Field = readonly [name: string, type: 'u32' | 'f32'];
/** One model's live hyperparameters (written only when a spec changes). */
export const HYPER_FIELDS = [
  ['base', 'u32'],
  ['wrapper', 'u32'],
  ['tauMode', 'u32'],
  ['enabled', 'u32'],
  ['warmMean', 'u32'],
  ['warmNll', 'u32'],
  ['welsch', 'u32'],
  ['sgd', 'u32'],
  ['lr', 'f32'],
  ['invT', 'f32'],
  ['beta', 'f32'],
  ['alpha', 'f32'],
  ['c', 'f32'],
  ['lambda', 'f32'],
  ['tauFixed', 'f32'],
  ['nu', 'f32'],
  ['tConst', 'f32'],
  ['pad0', 'f32'],
  ['pad1', 'f32'],
  ['pad2', 'f32'],
] as const satisfies readonly Field[];
/** One model's counters, owned by the kernel between reads: Adam's t, the model's steps and τ's count. */
export const COUNTER_FIELDS = [
  ['t', 'u32'],
  ['steps', 'u32'],
  ['tauCount', 'u32'],
  ['pad', 'u32'],
] as const satisfies readonly Field[];
/** Per dispatch: the global step of its first step and how many steps it runs. */
export const META_FIELDS = [
  ['stepBase', 'u32'],
  ['steps', 'u32'],
  ['seed', 'u32'],
  ['pad', 'u32'],
] as const satisfies readonly Field[];

export type FieldName<F extends readonly Field[]> = F[number][0];
/** Word index of each field. */
export const wordOf = <F extends readonly Field[]>(fields: F) =>
  Object.fromEntries(fields.map(([n], i) => [n, i])) as Record<FieldName<F>, number>;
export const HYPER = wordOf(HYPER_FIELDS);
export const COUNTER = wordOf(COUNTER_FIELDS);
export const META = wordOf(META_FIELDS);

export const FUSED_LIMITS = { maxLayers: 4, maxWidth: 256, maxBatch: 1024, maxFullBatch: 8192 } as const;
/** Why a model or setting cannot take a fused path (the WGSL kernel or the CPU trainer: they cover the same models) (null when it can). n = number of training points. */
export function fusedUnsupported(spec: ModelSpec, train: TrainSettings, n: number): string | null {
  try {
    parseLossId(spec.loss);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  const { base } = parseLossId(spec.loss);
  const a = train.architecture;
  if (a.hidden.length > FUSED_LIMITS.maxLayers)
    return `the fused kernel takes at most ${FUSED_LIMITS.maxLayers} hidden layers (got ${a.hidden.length})`;
  if (a.hidden.some((w) => !(Number.isInteger(w) && w >= 1 && w <= FUSED_LIMITS.maxWidth)))
    return `hidden widths must be whole numbers in [1, ${FUSED_LIMITS.maxWidth}] (got ${a.hidden.join('×')})`;
  if (!ACTIVATIONS.includes(a.activation)) return `unknown activation ${String(a.activation)}`;
  if (!(a.varianceFloor > 0)) return `the variance floor must be > 0 (got ${a.varianceFloor})`;
  if (train.optimizer !== 'adam' && train.optimizer !== 'sgd') return `unknown optimizer ${String(train.optimizer)}`;
  if (!(Number.isInteger(n) && n >= 2)) return `the data needs at least two points (got ${n})`;
  const full = train.batchSize >= n;
  if (full && n > FUSED_LIMITS.maxFullBatch)
    return `a full batch of ${n} rows exceeds the fused kernel's ${FUSED_LIMITS.maxFullBatch}`;
  if (!full && train.batchSize > FUSED_LIMITS.maxBatch)
    return `batch size ${train.batchSize} exceeds the fused kernel's ${FUSED_LIMITS.maxBatch}`;
  if (!(Number.isInteger(train.batchSize) && train.batchSize >= 1))
    return `batch size must be a whole number ≥ 1 (got ${train.batchSize})`;
  if (base === 'barron' && (spec.alpha === Infinity || Number.isNaN(spec.alpha)))
    return `α = ${spec.alpha} is not offered`;
  if (base === 'barron' && !(spec.c > 0)) return `Barron's c must be > 0 (got ${spec.c})`;
  if (base === 'student-t' && !(spec.nu > 0)) return `Student-t's ν must be > 0 (got ${spec.nu})`;
  return null;
}

/** Writes model k's hyperparameter record (HYPER_FIELDS) into `words` (k · HYPER_FIELDS.length words in): the one
 * encoding of a spec both fused trainers read, the WGSL kernel and the CPU trainer. */
export function writeHyperRecord(
  words: ArrayBuffer,
  k: number,
  s: ModelSpec,
  train: TrainSettings,
  enabled: boolean,
): void {
  const f = new Float32Array(words);
  const u = new Uint32Array(words);
  const o = k * HYPER_FIELDS.length;
  const { base, wrapper } = parseLossId(s.loss);
  const warm = s.warmup ?? { meanSteps: train.warmupMeanSteps, nllSteps: train.warmupNllSteps };
  u[o + HYPER.base] = BASE_CODE[base];
  u[o + HYPER.wrapper] = WRAPPER_CODE[wrapper];
  u[o + HYPER.tauMode] = TAU_MODE_CODE[s.tauMode];
  u[o + HYPER.enabled] = enabled ? 1 : 0;
  // Warm-ups past 2³² − 1 steps never end, as in the engine.
  u[o + HYPER.warmMean] = Math.min(warm.meanSteps, 0xffffffff);
  u[o + HYPER.warmNll] = Math.min(warm.nllSteps, 0xffffffff);
  u[o + HYPER.welsch] = s.alpha === -Infinity ? 1 : 0;
  u[o + HYPER.sgd] = train.optimizer === 'sgd' ? 1 : 0;
  f[o + HYPER.lr] = train.learningRate * s.lrScale;
  f[o + HYPER.invT] = wrapperUsesT(wrapper) && Number.isFinite(s.T) ? 1 / s.T : 0;
  f[o + HYPER.beta] = s.beta;
  f[o + HYPER.alpha] = Number.isFinite(s.alpha) ? s.alpha : 0;
  f[o + HYPER.c] = s.c;
  f[o + HYPER.lambda] = s.lambda;
  f[o + HYPER.tauFixed] = s.tau;
  f[o + HYPER.nu] = s.nu;
  f[o + HYPER.tConst] = base === 'student-t' ? studentTConstant(s.nu) : 0;
}

export function wgslStruct(name: string, fields: readonly Field[]): string {
  return `struct ${name} {\n${fields.map(([n, t]) => `  ${n}: ${t},`).join('\n')}\n};`;
}

/** Where a tower's layers sit in one model's flattened parameters (paramLayout order). */
export interface TowerLayout {
  /** Offsets of W_l and b_l for each hidden layer, then of Wout and bout. */
  w: number[];
  b: number[];
  wOut: number;
  bOut: number;
}

export interface KernelLayout {
  /** Parameters per model (paramCount). */
  params: number;
  towers: TowerLayout[];
  /** Outputs of each tower's head: 2 (μ, s) for a shared trunk, 1 for separate towers. */
  outputs: number;
  alphaLatent: number;
  scaleLatent: number;
}

/** The offsets, read off paramLayout's names and shapes (never recounted by hand). */
export function kernelLayout(arch: Architecture): KernelLayout {
  const { names, shapes } = paramLayout(arch, 1);
  const offset: Record<string, number> = {};
  let o = 0;
  names.forEach((name, p) => {
    offset[name] = o;
    o += shapes[p].reduce((a, b) => a * b, 1);
  });
  const tower = (prefix: string): TowerLayout => ({
    w: arch.hidden.map((_, l) => offset[`${prefix}W${l}`]),
    b: arch.hidden.map((_, l) => offset[`${prefix}b${l}`]),
    wOut: offset[`${prefix}Wout`],
    bOut: offset[`${prefix}bout`],
  });
  return {
    params: o,
    towers: arch.shared ? [tower('')] : [tower('mean.'), tower('var.')],
    outputs: arch.shared ? 2 : 1,
    alphaLatent: offset.alphaLatent,
    scaleLatent: offset.scaleLatent,
  };
}

const f32 = (v: number) => {
  const s = Math.fround(v).toPrecision(9);
  return /[.e]/.test(s) ? s : `${s}.0`;
};

/** The constants every kernel shares: codes, Adam, the adaptive loss's ranges. */
export function wgslSharedConstants(): string {
  const lines: string[] = [];
  for (const [id, code] of Object.entries(BASE_CODE))
    lines.push(`const BASE_${id.toUpperCase().replace(/-/g, '_')}: u32 = ${code}u;`);
  for (const [id, code] of Object.entries(WRAPPER_CODE))
    lines.push(`const WRAP_${id.toUpperCase().replace(/-/g, '_')}: u32 = ${code}u;`);
  for (const [id, code] of Object.entries(TAU_MODE_CODE)) lines.push(`const TAU_${id.toUpperCase()}: u32 = ${code}u;`);
  for (const [id, code] of Object.entries(PHASE_CODE)) lines.push(`const PHASE_${id.toUpperCase()}: u32 = ${code}u;`);
  lines.push(
    `const ADAM_BETA1: f32 = ${f32(ADAM.beta1)};`,
    `const ADAM_BETA2: f32 = ${f32(ADAM.beta2)};`,
    `const ADAM_ONE_MINUS_BETA1: f32 = ${f32(1 - ADAM.beta1)};`,
    `const ADAM_ONE_MINUS_BETA2: f32 = ${f32(1 - ADAM.beta2)};`,
    // β^t as exp(t·ln β), with ln β taken in float64 here.
    `const ADAM_LOG_BETA1: f32 = ${f32(Math.log(ADAM.beta1))};`,
    `const ADAM_LOG_BETA2: f32 = ${f32(Math.log(ADAM.beta2))};`,
    `const ADAM_EPS: f32 = ${f32(ADAM.epsilon)};`,
    `const ADAPTIVE_ALPHA_LO: f32 = ${f32(ADAPTIVE_ALPHA_RANGE[0])};`,
    `const ADAPTIVE_ALPHA_SPAN: f32 = ${f32(ADAPTIVE_ALPHA_RANGE[1] - ADAPTIVE_ALPHA_RANGE[0])};`,
    `const ADAPTIVE_SCALE_MIN: f32 = ${f32(ADAPTIVE_SCALE_MIN)};`,
    wgslStruct('Hyper', HYPER_FIELDS),
    wgslStruct('Counters', COUNTER_FIELDS),
    wgslStruct('Meta', META_FIELDS),
    // phaseAt of src/core/state.ts.
    `fn phaseAt(steps: u32, warmMean: u32, warmNll: u32) -> u32 {
  if (steps < warmMean) { return PHASE_MEAN; }
  if (steps - warmMean < warmNll) { return PHASE_NLL; }
  return PHASE_OWN;
}`,
  );
  return lines.join('\n');
}

/** Each activation on four rows at once (z, h: vec4<f32>), and its slope read off the output h. */
export const ACTIVATION_WGSL: Record<Activation, { value: string; slopeFromOutput: string }> = {
  relu: {
    value: 'max(z, vec4<f32>(0.0))',
    slopeFromOutput: 'select(vec4<f32>(0.0), vec4<f32>(1.0), h > vec4<f32>(0.0))',
  },
  // WGSL's tanh may be (e²ᶻ − 1)/(e²ᶻ + 1), NaN once e²ᶻ overflows (|z| > 44, SwiftShader: a first layer at ω = 30 gets
  // there); tanh(±20) is ±1 in f32 already, so the clamp changes no value.
  tanh: { value: 'tanh(clamp(z, vec4<f32>(-20.0), vec4<f32>(20.0)))', slopeFromOutput: '(1.0 - h * h)' },
  // tfjs's elu: x ≥ 0 ? x : eˣ − 1; its gradient is read off the output as here.
  elu: {
    value: 'select(expm1v(z), z, z >= vec4<f32>(0.0))',
    slopeFromOutput: 'select(h + 1.0, vec4<f32>(1.0), h >= vec4<f32>(0.0))',
  },
  sigmoid: { value: '(1.0 / (1.0 + exp(-z)))', slopeFromOutput: '(h * (1.0 - h))' },
};

export { f32 as wgslF32 };
