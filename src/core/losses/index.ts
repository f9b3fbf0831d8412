// The loss zoo: base per-sample losses, wrappers that reweight any of them, and the ids that name a pair.
export { gaussianNll } from './nll';
export { squaredError } from './mse';
export { betaNll } from './betaNll';
export { faithful } from './faithful';
export { momentMatching } from './momentMatching';
export { studentTNll, studentTConstant } from './studentT';
export { barronRho, barronPsi, barronRhoTensor, BARRON_NAMED } from './barron';
export { barronPartition, logPartition, logPartitionTensor } from './barronPartition';
export {
  barronAdaptiveNll,
  adaptiveAlpha,
  adaptiveScale,
  adaptiveLatents,
  ADAPTIVE_ALPHA_RANGE,
} from './barronAdaptive';
export { boltzmannWeights, boltzmannLoss, gradientWeights, relativeWeights, type BoltzmannGradient } from './boltzmann';
export {
  superloss,
  superlossSigma,
  superlossTensor,
  superlossSigmaTensor,
  lambertWTensor,
  TAU_MODES,
  type TauMode,
} from './superloss';
export { stopGradient } from './stopGradient';

export type HyperId = 'T' | 'beta' | 'alpha' | 'c' | 'lambda' | 'tau' | 'tauMode' | 'nu';

export const BASE_LOSSES = {
  nll: { label: 'NLL', predictsVariance: true, uses: [] as HyperId[] },
  mse: { label: 'MSE', predictsVariance: false, uses: [] as HyperId[] },
  'beta-nll': { label: 'β-NLL', predictsVariance: true, uses: ['beta'] as HyperId[] },
  'student-t': { label: 'Student-t', predictsVariance: true, uses: ['nu'] as HyperId[] },
  faithful: { label: 'Faithful', predictsVariance: true, uses: [] as HyperId[] },
  'moment-matching': { label: 'Moment matching', predictsVariance: true, uses: [] as HyperId[] },
  barron: { label: 'Barron', predictsVariance: false, uses: ['alpha', 'c'] as HyperId[] },
  'barron-adaptive': { label: 'Barron adaptive', predictsVariance: false, uses: [] as HyperId[] },
} as const;
export type BaseLoss = keyof typeof BASE_LOSSES;
export const BASE_LOSS_IDS = Object.keys(BASE_LOSSES) as BaseLoss[];

export const WRAPPERS = {
  none: { prefix: '', label: (b: string) => b, uses: [] as HyperId[] },
  boltzmann: { prefix: 'robust-', label: (b: string) => `Robust-${b}`, uses: ['T'] as HyperId[] },
  'boltzmann-const': {
    prefix: 'tilted-',
    label: (b: string) => `Tilted-${b} (constant weights)`,
    uses: ['T'] as HyperId[],
  },
  superloss: {
    prefix: 'superloss-',
    label: (b: string) => `SuperLoss(${b})`,
    uses: ['lambda', 'tau', 'tauMode'] as HyperId[],
  },
  // This project's stabilised Robust-NLL: eq. 6 with αⱼ of eq. 7 clipped at 0 (boltzmann.ts). Last, so older codes stay.
  'boltzmann-clipped': {
    prefix: 'clipped-',
    label: (b: string) => `Clipped-Robust-${b} (α ≥ 0)`,
    uses: ['T'] as HyperId[],
  },
} as const;
export type Wrapper = keyof typeof WRAPPERS;
export const WRAPPER_IDS = Object.keys(WRAPPERS) as Wrapper[];

export interface LossParts {
  base: BaseLoss;
  wrapper: Wrapper;
}

/** Every loss the explorer offers, as URL-safe ids: 'nll', 'robust-nll', 'tilted-mse', 'superloss-beta-nll', … */
export const LOSS_IDS: string[] = WRAPPER_IDS.flatMap((w) => BASE_LOSS_IDS.map((b) => WRAPPERS[w].prefix + b));

export function lossId(parts: LossParts): string {
  return WRAPPERS[parts.wrapper].prefix + parts.base;
}

export function parseLossId(id: string): LossParts {
  for (const wrapper of WRAPPER_IDS) {
    const prefix = WRAPPERS[wrapper].prefix;
    if (prefix && !id.startsWith(prefix)) continue;
    const base = id.slice(prefix.length);
    if (base in BASE_LOSSES) return { base: base as BaseLoss, wrapper };
  }
  throw new Error(`unknown loss: ${id}`);
}

export function lossLabel(id: string): string {
  const { base, wrapper } = parseLossId(id);
  return WRAPPERS[wrapper].label(BASE_LOSSES[base].label);
}

/** The hyperparameters a loss reads, in display order. */
export function lossHypers(id: string): HyperId[] {
  const { base, wrapper } = parseLossId(id);
  return [...WRAPPERS[wrapper].uses, ...BASE_LOSSES[base].uses];
}

export function predictsVariance(id: string): boolean {
  return BASE_LOSSES[parseLossId(id).base].predictsVariance;
}

/** Whether a wrapper weights samples by Boltzmann weights at a temperature T (the one source of that fact). */
export function wrapperUsesT(wrapper: Wrapper): boolean {
  return (WRAPPERS[wrapper].uses as readonly HyperId[]).includes('T');
}
