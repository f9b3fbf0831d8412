// The complete, portable training state of a run: what every training path (the tfjs engine on any
// backend, the fused WebGPU kernel, Node) exports and imports exactly, so a hand-off continues the trajectory.
import type { ModelSpec, TrainSettings } from './config';
import { initialWeightsFlat } from './initialWeights';
import { counterOutOfRange, MAX_COUNTER } from './messages';
import { paramLayout, type Architecture } from './model';

/** Adam's constants (Kingma & Ba), one source for the engine, the fused kernel and the benchmark baseline. */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const;

/** 0: mean-only warm-up (squared error), 1: NLL warm-up, 2: the model's own loss. */
export type Phase = 0 | 1 | 2;

export interface Warmup {
  meanSteps: number;
  nllSteps: number;
}

/** A model's warm-up: its own override, else the shared one. */
export function warmupOf(spec: ModelSpec, train: TrainSettings): Warmup {
  return spec.warmup ?? { meanSteps: train.warmupMeanSteps, nllSteps: train.warmupNllSteps };
}

/** The warm-up rule: the phase of a model that has taken `steps` optimisation steps. */
export function phaseAt(steps: number, warmup: Warmup): Phase {
  return steps < warmup.meanSteps ? 0 : steps < warmup.meanSteps + warmup.nllSteps ? 1 : 2;
}

export interface ModelState {
  /** The model's stable id (ModelSpec.id). */
  id: string;
  /** Parameters flattened in paramLayout order (one model's slice of each stacked tensor, in turn). */
  params: Float32Array;
  /** Adam's first and second moments, same layout (zeros for SGD, which keeps none). */
  m: Float32Array;
  v: Float32Array;
  /** Adam's own step count (its bias correction); 0 whenever the moments restart. */
  t: number;
  /** Optimisation steps this model has taken: its warm-up phase follows from them. */
  steps: number;
  /** SuperLoss's τ state (running or EMA mode) and how many own-loss steps went into it. */
  tau: number;
  tauCount: number;
  /** Null while the model trains; the reason once it diverged (it then takes no more steps). */
  diverged: string | null;
}

export interface TrainingState {
  /** The global minibatch step: minibatch `step` is drawn by hash32(batchSeed, STREAM.batch, step, j). */
  step: number;
  models: ModelState[];
}

/** Parameters per model for an architecture (the length of ModelState.params). */
export function paramCount(arch: Architecture): number {
  return paramLayout(arch, 1).shapes.reduce((sum, shape) => sum + shape.reduce((a, b) => a * b, 1), 0);
}

/** One field of every model (θ, m or v), as the stacked tensors of paramLayout want it: one array per tensor, K slices each. */
export function stackField(
  state: TrainingState,
  arch: Architecture,
  field: 'params' | 'm' | 'v',
): { shapes: number[][]; values: Float32Array[] } {
  const { shapes } = paramLayout(arch, state.models.length);
  let offset = 0;
  const values = shapes.map((shape) => {
    const size = shape.slice(1).reduce((a, b) => a * b, 1);
    const out = new Float32Array(size * state.models.length);
    state.models.forEach((m, k) => out.set(m[field].subarray(offset, offset + size), k * size));
    offset += size;
    return out;
  });
  return { shapes, values };
}

/** A model at step 0: its seeded initial weights, no optimiser history, τ at the spec's value. */
export function freshModelState(arch: Architecture, spec: ModelSpec): ModelState {
  const params = initialWeightsFlat(arch, spec);
  return {
    id: spec.id,
    params,
    m: new Float32Array(params.length),
    v: new Float32Array(params.length),
    t: 0,
    steps: 0,
    tau: spec.tau,
    tauCount: 0,
    diverged: null,
  };
}

export function freshState(arch: Architecture, specs: ModelSpec[]): TrainingState {
  return { step: 0, models: specs.map((s) => freshModelState(arch, s)) };
}

export function cloneModelState(s: ModelState): ModelState {
  return { ...s, params: s.params.slice(), m: s.m.slice(), v: s.v.slice() };
}

/** What a path keeps on the host beside the state it reads from the device. */
export interface HostCounters {
  step: number;
  ids: readonly string[];
  t: readonly number[];
  steps: readonly number[];
  tauCount: readonly number[];
  diverged: readonly (string | null)[];
}

/**
 * The state from one device read: per model a row [θ (P values) | m (P) | v (P) | τ], the order in which both
 * the engine and the fused path concatenate their tensors; the counters come from the host.
 */
export function stateFromRows(rows: readonly Float32Array[], p: number, c: HostCounters): TrainingState {
  return {
    step: c.step,
    models: rows.map((row, k) => ({
      id: c.ids[k],
      params: row.slice(0, p),
      m: row.slice(p, 2 * p),
      v: row.slice(2 * p, 3 * p),
      t: c.t[k],
      steps: c.steps[k],
      tau: row[3 * p],
      tauCount: c.tauCount[k],
      diverged: c.diverged[k],
    })),
  };
}

/**
 * The state of a new list of models: ids already present keep theirs, `copyFrom[id]` starts from a copy of
 * another's, an id with a state in `seeds` from a copy of that, other ids start fresh. Throws, changing nothing, when a model to copy is not there.
 */
export function restackState(
  s: TrainingState,
  specs: readonly ModelSpec[],
  arch: Architecture,
  copyFrom: Record<string, string> = {},
  seeds: readonly ModelState[] = [],
): TrainingState {
  return {
    step: s.step,
    models: specs.map((spec) => {
      const own = s.models.find((m) => m.id === spec.id);
      if (own) return own;
      // A new model may bring its own trained state (a sweep's cell): its parameters, moments and counters.
      const seed = seeds.find((m) => m.id === spec.id);
      if (seed) return cloneModelState(seed);
      const from = copyFrom[spec.id];
      if (from === undefined) return freshModelState(arch, spec);
      const source = s.models.find((m) => m.id === from);
      if (!source) throw new Error(`there is no model "${from}" to copy; nothing was changed`);
      return { ...cloneModelState(source), id: spec.id };
    }),
  };
}

/** A counter every path can hold: a whole number that fits the fused path's u32 words. */
const isCounter = (v: number) => Number.isInteger(v) && v >= 0 && v <= MAX_COUNTER;

/** Why `state` cannot be loaded for these models and this architecture, or null when it can. */
export function stateMismatch(state: TrainingState, arch: Architecture, specs: ModelSpec[]): string | null {
  if (!isCounter(state.step)) return counterOutOfRange('the global step', state.step);
  if (state.models.length !== specs.length)
    return `the state has ${state.models.length} models; the configuration has ${specs.length}`;
  const n = paramCount(arch);
  for (let k = 0; k < specs.length; k++) {
    const m = state.models[k];
    const name = `model ${specs[k].id}`;
    if (m.id !== specs[k].id) return `model ${k + 1} is ${m.id} in the state but ${specs[k].id} in the configuration`;
    for (const [field, arr] of [
      ['params', m.params],
      ['m', m.m],
      ['v', m.v],
    ] as const) {
      if (arr.length !== n) return `${name}: ${field} has ${arr.length} values; the architecture needs ${n}`;
    }
    if (!isCounter(m.steps)) return `${name}: ${counterOutOfRange('steps', m.steps)}`;
    if (!isCounter(m.t)) return `${name}: ${counterOutOfRange("Adam's t", m.t)}`;
    if (!isCounter(m.tauCount)) return `${name}: ${counterOutOfRange('tauCount', m.tauCount)}`;
    if (m.diverged === null) {
      // A model still training must have finite parameters and moments; a diverged one keeps what it had.
      for (const [field, arr] of [
        ['params', m.params],
        ['m', m.m],
        ['v', m.v],
      ] as const) {
        const bad = arr.findIndex((x) => !Number.isFinite(x));
        if (bad >= 0) return `${name}: ${field}[${bad}] is not finite, yet the model is not marked diverged`;
      }
      // Adam divides by √v̂: a negative second moment is NaN at the next step.
      const negative = m.v.findIndex((x) => x < 0);
      if (negative >= 0)
        return `${name}: v[${negative}] = ${m.v[negative]} is negative (Adam's second moment is a mean of squares, ≥ 0)`;
      // Adam's bias correction divides by 1 − βᵗ: moments with t = 0 would be divided by zero.
      if (m.t === 0 && (m.m.some((x) => x !== 0) || m.v.some((x) => x !== 0)))
        return `${name}: Adam's t is 0 but its moments are not zero (t counts the steps that made them, so it is at least 1)`;
      // SuperLoss reads τ at every step; NaN (a file's null) would spread to every weight.
      if (!Number.isFinite(m.tau))
        return `${name}: τ is ${m.tau}, yet the model is not marked diverged (τ must be a finite number)`;
    }
  }
  return null;
}
