// The Post-hoc card's sliders, declared once as params.ts declares the others (issue 26).
import type { PosthocSettings } from '../core/posthoc';
import { LIMITS } from '../core/messages';
import type { SliderDef } from './params';

const pct = (v: number) => `${Math.round(v * 100)} %`;

export const POSTHOC_SLIDERS: Record<'share' | 'level', SliderDef> = {
  share: {
    label: 'calibration share',
    tex: 'n_{\\mathrm{cal}} / N',
    help: 'Share of the training data held back (never trained on) to fit q̂ and the recalibration; a change rebuilds the split, training goes on.',
    min: LIMITS.minCalibrationShare,
    max: LIMITS.maxCalibrationShare,
    step: 0.05,
    scale: 'linear',
    format: pct,
  },
  level: {
    label: 'level 1 − α',
    tex: '\\hat q = s_{(\\lceil (n+1)(1-\\alpha) \\rceil)}',
    help: 'Nominal coverage of the conformal band and of the coverage along x.',
    min: LIMITS.minLevel,
    max: LIMITS.maxLevel,
    step: 0.01,
    scale: 'linear',
    format: pct,
  },
};

export const SCORE_LABEL: Record<PosthocSettings['score'], string> = {
  normalised: '|y − μ̂| / σ̂ (σ-normalised)',
  abs: '|y − μ̂| (constant width)',
};
export const RECALIBRATION_LABEL: Record<PosthocSettings['recalibration'], string> = {
  none: 'none',
  scale: 'σ scaling (one scale, min. NLL)',
  isotonic: 'isotonic on the PIT (Kuleshov et al.)',
};
