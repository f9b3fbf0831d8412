// What a classification model is: its method and hyperparameters (all live: they are read at every step),
// and the run's training settings. One source of truth for the methods' names and defaults.
import type { Compensation, MixBy } from './alum';
import type { ClassActivation } from './model';

export const CLASS_METHODS = [
  'ce',
  'label-smoothing',
  'gce',
  'robust-ce',
  'superloss-ce',
  'dul',
  'rul',
  'alum',
] as const;
export type ClassMethod = (typeof CLASS_METHODS)[number];

export const METHOD_NAMES: Record<ClassMethod, string> = {
  ce: 'cross-entropy',
  'label-smoothing': 'label smoothing',
  gce: 'GCE',
  'robust-ce': 'Robust-CE',
  'superloss-ce': 'SuperLoss(CE)',
  dul: 'DUL-style',
  rul: 'RUL-style',
  alum: 'ALUM',
};

/** Methods whose σ head is trained, so σ is their uncertainty; the others' uncertainty is the predictive entropy. */
export const SIGMA_METHODS: readonly ClassMethod[] = ['dul', 'rul', 'alum'];

export interface ClassModelSpec {
  id: string;
  method: ClassMethod;
  /** A name for the panel (Table 6's ALUM-1 … ALUM-5, say); the method's name when empty. */
  label: string;
  // ALUM's parts (Table 6): LC, AP, AN, Triplet; and its constants.
  compensation: Compensation;
  /** Probability a hidden layer is compensated at a step (0.5). */
  compP: number;
  /** Groups of the grouped compensation. */
  groups: number;
  /** p of eq. 10's text: share of anchors with mined partners (0.2). */
  hardFraction: number;
  positives: boolean;
  negatives: boolean;
  triplet: boolean;
  literal: boolean;
  /** λ of eq. 12 (0.003). */
  lambda: number;
  /** α of eq. 14 (1). */
  margin: number;
  /** Eq. 11's σ: standard deviation (default) or variance. */
  mixBy: MixBy;
  /** Eq. 13's three CEs weighted by the mixup weights (off: the plain sum as printed). */
  weightedCe: boolean;
  /** Eq. 14's L_T as a mean over anchors (off: the sum as printed). */
  tripletMean: boolean;
  // Baselines.
  /** Label smoothing ε. */
  smoothing: number;
  /** GCE's q. */
  q: number;
  /** DUL's KL weight. */
  klWeight: number;
  /** Robust-CE's temperature; Infinity is plain CE. */
  T: number;
  /** Robust-CE: hold the Boltzmann weights constant (Tilted ERM) rather than eq. 6's gradient. */
  constantWeights: boolean;
  /** SuperLoss's τ: log C (the CE of a uniform guess) or an EMA of the batch CE. */
  tauMode: 'logC' | 'ema';
  /** SuperLoss's λ. */
  slLambda: number;
}

export const DEFAULT_CLASS_MODEL: Omit<ClassModelSpec, 'id' | 'method'> = {
  label: '',
  compensation: 'faithful',
  compP: 0.5,
  groups: 4,
  hardFraction: 0.2,
  positives: true,
  negatives: true,
  triplet: true,
  literal: false,
  lambda: 0.003,
  margin: 1,
  mixBy: 'std',
  weightedCe: false,
  tripletMean: false,
  smoothing: 0.1,
  q: 0.7,
  klWeight: 0.01,
  T: 1,
  constantWeights: false,
  tauMode: 'logC',
  slLambda: 1,
};

export function classModel(
  method: ClassMethod,
  patch: Partial<ClassModelSpec> = {},
  id: string = method,
): ClassModelSpec {
  return { ...DEFAULT_CLASS_MODEL, id, method, ...patch };
}

export function displayName(spec: ClassModelSpec): string {
  return spec.label || METHOD_NAMES[spec.method];
}

/** Table 6's rows on one stack: the RUL-style baseline, then ALUM-1 … ALUM-5 (LC, AP, AN, Triplet). */
export function ablationModels(): ClassModelSpec[] {
  const alum = (n: number, positives: boolean, negatives: boolean, triplet: boolean) =>
    classModel('alum', { label: `ALUM-${n}`, hardFraction: 0.2, positives, negatives, triplet }, `alum${n}`);
  return [
    classModel('rul', { label: 'baseline (RUL-style)' }),
    alum(1, false, false, false),
    alum(2, true, false, false),
    alum(3, false, true, false),
    alum(4, true, true, false),
    alum(5, true, true, true),
  ];
}

export interface ClassTrainSettings {
  hidden: number[];
  activation: ClassActivation;
  embedding: number;
  learningRate: number;
  batchSize: number;
  /** Seeds the initial weights (the same for every model), the batches and every training draw. */
  seed: number;
}

export const DEFAULT_CLASS_TRAIN: ClassTrainSettings = {
  hidden: [32, 32],
  activation: 'relu',
  embedding: 2,
  learningRate: 0.01,
  batchSize: 64,
  seed: 1,
};

/** Why a model spec is unusable, or null. */
export function classModelProblem(spec: ClassModelSpec, train: ClassTrainSettings): string | null {
  if (!CLASS_METHODS.includes(spec.method)) return `unknown method "${spec.method}"`;
  if (spec.compensation === 'grouped' && train.hidden.some((h) => h % spec.groups !== 0))
    return `grouped compensation needs every hidden width divisible by ${spec.groups}`;
  const unit = (name: string, v: number) =>
    Number.isFinite(v) && v >= 0 && v <= 1 ? null : `${name} must be in [0, 1], not ${v}`;
  return (
    unit('p (compensation)', spec.compP) ??
    unit('p (mining)', spec.hardFraction) ??
    unit('label smoothing', spec.smoothing) ??
    (spec.q > 0 && spec.q <= 1 ? null : `GCE's q must be in (0, 1], not ${spec.q}`) ??
    (spec.T >= 1e-3 ? null : `T must be ≥ 0.001, not ${spec.T}`) ??
    (Number.isFinite(spec.lambda) && spec.lambda >= 0 ? null : `λ must be ≥ 0, not ${spec.lambda}`) ??
    (spec.slLambda > 0 ? null : `SuperLoss's λ must be > 0, not ${spec.slLambda}`)
  );
}
