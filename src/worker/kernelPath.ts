// What the two fused paths share (fusedPath.ts: the WGSL kernel; cpuPath.ts: the CPU trainer): a trainer that owns
// θ, m, v and the counters, a tfjs evaluator for each frame's snapshot, and the live hyperparameter tensors it reads.
// A subclass says how a frame's parameters reach the evaluator.
import type { ModelSpec, TrainSettings } from '../core/config';
import type { DataSpec, Points } from '../core/datasets';
import type { PathFrame, TrainingPath } from '../core/engine';
import { Evaluator, type EvaluatorOptions } from '../core/evaluator';
import { buildHyper, disposeHyper, type HyperTensors } from '../core/hyper';
import { hasEnsemble } from '../core/members';
import type { PosthocSettings } from '../core/posthoc';
import type { TrainingState } from '../core/state';
import { fusedUnsupported } from '../fused/contract';

/** The trainer side of a fused path: FusedTrainer or CpuTrainer. */
export interface KernelTrainer {
  readonly step: number;
  run: (count: number) => void;
  readState: () => Promise<TrainingState>;
  updateModel: (k: number, spec: ModelSpec) => void;
  setDiverged: (k: number, message: string | null) => void;
  dispose: () => void;
}

export abstract class KernelPath<T extends KernelTrainer> implements TrainingPath {
  abstract readonly kind: 'fused' | 'cpu';
  abstract readonly label: string;
  protected readonly trainer: T;
  protected readonly evaluator: Evaluator;
  protected hyper: HyperTensors;
  protected specs: ModelSpec[];
  protected disposed = false;

  /** Throws when the trainer does not cover a model (the session then takes the tfjs path). */
  constructor(
    makeTrainer: (specs: ModelSpec[]) => T,
    points: Points,
    truth: DataSpec | null,
    specs: ModelSpec[],
    protected readonly train: TrainSettings,
    view: Pick<EvaluatorOptions, 'metricsOnly'>,
  ) {
    this.specs = specs.map((s) => ({ ...s }));
    this.trainer = makeTrainer(this.specs);
    try {
      this.evaluator = new Evaluator(points, truth, train.architecture, {
        wide: hasEnsemble(specs),
        posthoc: train.posthoc,
        ...view,
      });
      this.hyper = buildHyper(this.specs, train);
    } catch (err) {
      this.trainer.dispose();
      throw err;
    }
  }

  /** Whether a fused trainer covers every model (both cover the same ones: fusedUnsupported). */
  static covers(specs: readonly ModelSpec[], train: TrainSettings, n: number): boolean {
    return specs.every((s) => fusedUnsupported(s, train, n) === null);
  }

  get step(): number {
    return this.trainer.step;
  }

  run(count: number): void {
    this.trainer.run(count);
  }

  abstract frame(withState: boolean): Promise<PathFrame>;

  exportState(): Promise<TrainingState> {
    return this.trainer.readState();
  }

  updateModel(k: number, spec: ModelSpec): boolean {
    if (fusedUnsupported(spec, this.train, this.evaluator.points.x.length) !== null) return false;
    const specs = this.specs.map((s, j) => (j === k ? { ...spec } : s));
    const hyper = buildHyper(specs, this.train);
    this.trainer.updateModel(k, spec);
    disposeHyper(this.hyper);
    this.hyper = hyper;
    this.specs = specs;
    return true;
  }

  setPosthoc(settings: PosthocSettings): boolean {
    return this.evaluator.setPosthoc(settings);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeHyper(this.hyper);
    this.evaluator.dispose();
    this.trainer.dispose();
  }
}
