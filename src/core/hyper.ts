// Every model's hyperparameters as [K, …] tensors: a slider move rebuilds these few small tensors, never the graph.
import type { ModelSpec, TrainSettings } from './config';
import { parseLossId, studentTConstant, wrapperUsesT, type BaseLoss, type Wrapper } from './losses';
import { phaseAt, warmupOf, type Phase } from './state';
import { tf, type Tensor } from './tf';

export interface HyperTensors {
  /** 1/T for Boltzmann wrappers (0 = T = ∞ = uniform weights), 0 for the others. [K, 1] */
  invT: Tensor;
  beta: Tensor;
  /** Barron's α, finite (Welsch is the mask below). */
  alpha: Tensor;
  welsch: Tensor;
  c: Tensor;
  lambda: Tensor;
  tauFixed: Tensor;
  /** 1 where τ is fixed (the spec's τ), 0 where it is the model's running or EMA state. [K, 1] */
  tauIsFixed: Tensor;
  nu: Tensor;
  /** Student-t's log normaliser for each ν. */
  tConst: Tensor;
  /** Learning rate × the model's scale. [K] */
  lr: Tensor;
  /** 1 where the variance head must not train a shared trunk (Faithful). [K, 1, 1] */
  detachVarianceTrunk: Tensor;
  /** [K, 1] masks of the base losses and wrappers in use. */
  bases: Map<BaseLoss, Tensor>;
  wrappers: Map<Wrapper, Tensor>;
}

function column(values: number[]): Tensor {
  return tf.tensor2d(values, [values.length, 1]);
}

export function buildHyper(specs: readonly ModelSpec[], train: TrainSettings): HyperTensors {
  let built: HyperTensors | null = null;
  tf.tidy(() => {
    const parts = specs.map((s) => parseLossId(s.loss));
    const mask = (pred: (k: number) => boolean) => column(specs.map((_, k) => (pred(k) ? 1 : 0)));
    const bases = new Map<BaseLoss, Tensor>();
    const wrappers = new Map<Wrapper, Tensor>();
    for (const p of parts) {
      if (!bases.has(p.base))
        bases.set(
          p.base,
          mask((k) => parts[k].base === p.base),
        );
      if (!wrappers.has(p.wrapper))
        wrappers.set(
          p.wrapper,
          mask((k) => parts[k].wrapper === p.wrapper),
        );
    }
    const h: HyperTensors = {
      invT: column(specs.map((s, k) => (wrapperUsesT(parts[k].wrapper) && Number.isFinite(s.T) ? 1 / s.T : 0))),
      beta: column(specs.map((s) => s.beta)),
      // −∞ never reaches a kernel: Welsch is a mask, and α itself is then any finite value.
      alpha: column(specs.map((s) => (Number.isFinite(s.alpha) ? s.alpha : 0))),
      welsch: column(specs.map((s) => (s.alpha === -Infinity ? 1 : 0))),
      c: column(specs.map((s) => s.c)),
      lambda: column(specs.map((s) => s.lambda)),
      tauFixed: column(specs.map((s) => s.tau)),
      tauIsFixed: column(specs.map((s) => (s.tauMode === 'fixed' ? 1 : 0))),
      nu: column(specs.map((s) => s.nu)),
      tConst: column(specs.map((s) => studentTConstant(s.nu))),
      lr: tf.tensor1d(specs.map((s) => train.learningRate * s.lrScale)),
      detachVarianceTrunk: tf.tensor3d(parts.map((p) => [[p.base === 'faithful' ? 1 : 0]])),
      bases,
      wrappers,
    };
    // Keep everything past the tidy: the maps hide their tensors from tidy's return-value scan.
    for (const t of hyperTensors(h)) tf.keep(t);
    built = h;
  });
  return built!;
}

function hyperTensors(h: HyperTensors): Tensor[] {
  const out: Tensor[] = [];
  for (const value of Object.values(h)) {
    if (value instanceof Map) value.forEach((t: Tensor) => out.push(t));
    else out.push(value as Tensor);
  }
  return out;
}

export function disposeHyper(h: HyperTensors): void {
  for (const t of hyperTensors(h)) t.dispose();
}

/**
 * Each model's warm-up phase at its step, and the one-hot phase mask [K, 3] (mean-only, NLL, own loss) that the
 * objective selects with. The mask is rebuilt (and the old one disposed) only when a phase changed.
 */
export function nextPhaseMask(
  steps: readonly number[],
  specs: readonly ModelSpec[],
  train: TrainSettings,
  phases: Phase[],
  mask: Tensor | null,
): { phases: Phase[]; mask: Tensor } {
  const next = steps.map((s, k) => phaseAt(s, warmupOf(specs[k], train)));
  if (mask && next.length === phases.length && next.every((p, k) => p === phases[k])) return { phases, mask };
  mask?.dispose();
  return { phases: next, mask: tf.tensor2d(next.map((p) => [p === 0 ? 1 : 0, p === 1 ? 1 : 0, p === 2 ? 1 : 0])) };
}
