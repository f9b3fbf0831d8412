// Every slider, declared once: label, formula (KaTeX), range, scale. The controls are generated from here.
import type { ModelSpec, TrainSettings } from '../core/config';
import type { DataSpec } from '../core/datasets';
import { isSeed } from '../core/messages';

export interface SliderDef {
  label: string;
  /** A short formula for the tooltip, in TeX. */
  tex: string;
  help: string;
  min: number;
  max: number;
  step: number;
  /** 'log': the slider moves log10 of the value. */
  scale: 'linear' | 'log';
  /** Values beyond the slider's ends that have names: T = ∞ (plain NLL), α = −∞ (Welsch). */
  infinite?: 'max' | 'min';
  format?: (v: number) => string;
}

/** The seed a seed field's text asks for, or null (an empty field is an edit in progress and keeps the seed; 1e20 or 2.5 is no seed). */
export function seedFromField(text: string): number | null {
  const t = text.trim();
  if (t === '') return null;
  const v = Number(t);
  return isSeed(v) ? v : null;
}

const pct = (v: number) => `${Math.round(v * 100)} %`;

export const MODEL_SLIDERS: Partial<Record<keyof ModelSpec, SliderDef>> = {
  T: {
    label: 'T',
    tex: 'w_i = \\frac{e^{-\\ell_i/T}}{\\sum_j e^{-\\ell_j/T}}',
    help: 'Boltzmann temperature: small T keeps only the lowest losses (hardmax), T = ∞ is plain averaging.',
    min: -1,
    // The last notch past 10³ is T = ∞.
    max: 3.1,
    step: 0.01,
    scale: 'log',
    infinite: 'max',
  },
  beta: {
    label: 'β',
    tex: '\\lfloor\\sigma^{2\\beta}\\rfloor\\,\\ell_{\\mathrm{NLL}}',
    help: 'β-NLL: 0 is NLL, 1 gives the mean the MSE gradient.',
    min: 0,
    max: 1,
    step: 0.05,
    scale: 'linear',
  },
  alpha: {
    label: 'α',
    tex: '\\rho = \\tfrac{|\\alpha-2|}{\\alpha}\\Big(\\big(\\tfrac{(x/c)^2}{|\\alpha-2|}+1\\big)^{\\alpha/2}-1\\Big)',
    help: "Barron's shape: 2 = L2, 1 = pseudo-Huber, 0 = Cauchy, −2 = Geman-McClure, −∞ = Welsch.",
    // The first notch below −10 is α = −∞.
    min: -10.5,
    max: 2,
    step: 0.1,
    scale: 'linear',
    infinite: 'min',
  },
  c: {
    label: 'c',
    tex: 'x/c',
    help: "Barron's scale: the width of the loss's quadratic bowl.",
    min: -2,
    max: 1,
    step: 0.05,
    scale: 'log',
  },
  lambda: {
    label: 'λ',
    tex: '\\sigma^*(\\ell-\\tau)+\\lambda(\\log\\sigma^*)^2',
    help: 'SuperLoss regularisation: large λ keeps σ* near 1.',
    min: -2,
    max: 2,
    step: 0.05,
    scale: 'log',
  },
  tau: {
    label: 'τ',
    tex: '\\tau',
    help: 'SuperLoss threshold (used when τ mode is fixed).',
    min: -2,
    max: 20,
    step: 0.1,
    scale: 'linear',
  },
  nu: {
    label: 'ν',
    tex: '\\nu',
    help: 'Student-t degrees of freedom: large ν approaches the Gaussian.',
    min: -0.5,
    max: 3,
    step: 0.05,
    scale: 'log',
  },
};

export const DATA_SLIDERS: Partial<Record<keyof DataSpec, SliderDef>> = {
  outlierRate: {
    label: 'outlier rate',
    tex: 'P(\\text{outlier})',
    help: 'Share of targets corrupted; raising it keeps the earlier outliers.',
    min: 0,
    max: 0.9,
    step: 0.05,
    scale: 'linear',
    format: pct,
  },
  outlierScale: {
    label: 'outlier size',
    tex: 'o \\sim \\mathcal{N}(0, s^2)',
    help: 'Std of additive outliers (the papers use 10).',
    min: 0,
    max: 20,
    step: 0.5,
    scale: 'linear',
  },
  noise: {
    label: 'noise ×',
    tex: '\\varepsilon \\cdot k',
    help: "Multiplies the data set's own noise.",
    min: 0,
    max: 3,
    step: 0.1,
    scale: 'linear',
  },
  n: {
    label: 'N',
    tex: 'N',
    help: 'Number of training points.',
    min: 1,
    max: 3.7,
    step: 0.05,
    scale: 'log',
    format: (v) => String(Math.round(v)),
  },
};

export const TRAIN_SLIDERS: Partial<Record<keyof TrainSettings, SliderDef>> = {
  learningRate: {
    label: 'learning rate',
    tex: '\\eta',
    help: 'Step size of Adam or SGD.',
    min: -5,
    max: -0.5,
    step: 0.05,
    scale: 'log',
  },
  batchSize: {
    label: 'batch size',
    tex: 'B',
    help: 'Minibatch size; T depends on it (Robust-NLL sec. 4.4).',
    min: 0.9,
    max: 3,
    step: 0.05,
    scale: 'log',
    format: (v) => String(Math.round(v)),
  },
  warmupMeanSteps: {
    label: 'warm-up: mean only',
    tex: '\\ell = (y-\\mu)^2',
    help: 'Steps that fit the mean alone first.',
    min: 0,
    max: 5000,
    step: 100,
    scale: 'linear',
  },
  warmupNllSteps: {
    label: 'warm-up: NLL',
    tex: '\\ell_{\\mathrm{NLL}}',
    help: 'Then steps of plain NLL, before the chosen loss.',
    min: 0,
    max: 5000,
    step: 100,
    scale: 'linear',
  },
};

/**
 * ω of the first layer's spread initialisation (Architecture.initScale), offered as a choice rather than a
 * slider: every change starts the models again. undefined = He/Glorot weights with zero biases; the default
 * architecture has ω = 3 (model.ts DEFAULT_ARCHITECTURE).
 */
export const INIT_SCALES: (number | undefined)[] = [undefined, 1, 3, 10, 30, 100];
export const INIT_SCALE_HELP =
  'First hidden layer: W ~ U(−ω, ω), biases U(−ω·√3, ω·√3), so the units’ kinks spread over the (standardised) inputs; larger ω gives richer, steeper features. Default ω = 3. “He/Glorot, zero biases” is the first release’s init (every kink at x = 0), with which the paper reproductions were measured.';

/** Slider position → value, with the infinite ends. */
export function fromSlider(def: SliderDef, position: number): number {
  if (def.infinite === 'max' && position >= def.max) return Infinity;
  if (def.infinite === 'min' && position <= def.min) return -Infinity;
  return def.scale === 'log' ? 10 ** position : position;
}

export function toSlider(def: SliderDef, value: number): number {
  if (value === Infinity) return def.max;
  if (value === -Infinity) return def.min;
  const p = def.scale === 'log' ? Math.log10(value) : value;
  return Math.min(def.max, Math.max(def.min, p));
}

export function formatValue(def: SliderDef, value: number): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '−∞';
  if (def.format) return def.format(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toPrecision(3)).toString();
}
