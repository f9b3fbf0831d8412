// A lesson's claim judged live: the same conditions `npm run lessons` checks after the claim's budget, read off
// the snapshots the page already has. Pure: a snapshot and the claim in, where the lesson stands out.
import type { RunConfig } from '../config';
import type { Snapshot } from '../evaluator';
import { warmupOf } from '../state';
import { claimMetricsOf, evaluateClaim, type Condition, type ConditionResult, type LessonClaim } from './judge';

/** The models a condition reads. */
export function conditionIds(c: Condition): string[] {
  if (c.kind === 'share') return c.pairs.flat();
  if (c.kind === 'median') return [...c.ids, ...c.than];
  return c.kind === 'below' ? [c.id, c.than] : [c.id];
}

/**
 * The step from which every model the claim reads trains with its own loss (the warm-up's mean-only and NLL
 * phases behind it). Before it the models share the warm-up's loss, so a comparison between them says nothing.
 */
export function claimWarmupEnd(claim: LessonClaim, config: RunConfig): number {
  const ids = new Set(claim.conditions.flatMap(conditionIds));
  let end = 0;
  for (const m of config.models) {
    if (!ids.has(m.id)) continue;
    const w = warmupOf(m, config.train);
    end = Math.max(end, w.meanSteps + w.nllSteps);
  }
  return end;
}

/**
 * waiting: no step yet; warm-up: a model the claim reads is still in its warm-up (not judged); shown: every
 * condition holds now; not-yet: some does not, before the claim's step; not-shown: some does not, at or past it.
 */
export type Verdict = 'waiting' | 'warm-up' | 'shown' | 'not-yet' | 'not-shown';

export interface ClaimProgress {
  /** The claim's step (its budget in `npm run lessons`). */
  target: number;
  /** The step the run is at now. */
  step: number;
  /** step / target, at most 1. */
  fraction: number;
  /** Seconds until the claim's step at the current speed; null when there is no speed to go by or it is reached. */
  secondsToGo: number | null;
  verdict: Verdict;
  /** The step of the snapshot the verdict was judged on (it may lag `step`). */
  judgedStep: number | null;
  warmupEnd: number;
  results: ConditionResult[];
}

export interface ProgressInput {
  claim: LessonClaim;
  /** The configuration the run trains (the lesson's own, when the progress line is shown). */
  config: RunConfig;
  /** The latest step and speed (the status bar's). */
  step: number;
  stepsPerSecond: number;
  /** The snapshot to judge (null before the first frame) and the training inputs (for the ensemble's epistemic ratio). */
  judged: Snapshot | null;
  xs: ArrayLike<number>;
  /** The training points' targets (a claim on medianAbsResidual reads them). */
  ys?: ArrayLike<number>;
}

export function claimProgress({ claim, config, step, stepsPerSecond, judged, xs, ys }: ProgressInput): ClaimProgress {
  const ids = new Set(claim.conditions.flatMap(conditionIds));
  const seen = judged && judged.step > 0 ? judged : null;
  return judgeProgress({
    claim,
    step,
    stepsPerSecond,
    warmupEnd: claimWarmupEnd(claim, config),
    judged: seen && {
      step: seen.step,
      // A model's own phase, not the run's step: an added model has its own count.
      warming: seen.models.some((m) => ids.has(m.id) && m.phase < 2),
      metrics: () => claimMetricsOf(seen, xs, ys),
    },
  });
}

/**
 * The same for any lesson (the classification mode's too): the claim's conditions judged on figures by model id
 * at `judged.step`, unless a model it reads is still warming up (`metrics` is then never computed).
 */
export function judgeProgress(input: {
  claim: { steps: number; conditions: readonly Condition[] };
  step: number;
  stepsPerSecond: number;
  warmupEnd: number;
  judged: { step: number; warming: boolean; metrics: () => Record<string, Partial<Record<string, number>>> } | null;
}): ClaimProgress {
  const { claim, step, stepsPerSecond, warmupEnd, judged } = input;
  const target = claim.steps;
  const base = {
    target,
    step,
    fraction: Math.min(1, Math.max(0, step / target)),
    secondsToGo: step < target && stepsPerSecond > 0 ? (target - step) / stepsPerSecond : null,
    warmupEnd,
  };
  if (!judged) return { ...base, verdict: 'waiting', judgedStep: null, results: [] };
  if (judged.warming) return { ...base, verdict: 'warm-up', judgedStep: judged.step, results: [] };
  const results = evaluateClaim([...claim.conditions], judged.metrics(), 0);
  const holds = results.every((r) => r.holds);
  return {
    ...base,
    verdict: holds ? 'shown' : judged.step < target ? 'not-yet' : 'not-shown',
    judgedStep: judged.step,
    results,
  };
}

const SET_WORDS: Record<string, string> = {
  heldOut: 'held-out',
  inliers: 'inliers’',
  outliers: 'outliers’',
  posthoc: 'post-hoc:',
};
const SCALAR_WORDS: Record<string, string> = {
  coverage1: 'share inside ±1σ',
  coverage2: 'share inside ±2σ',
  coverage3: 'share inside ±3σ',
  coverage95: 'share inside the 95 % interval',
  miscalibrationArea: 'miscalibration area',
  rmsCalibrationError: 'RMS calibration error',
  sharpness: 'sharpness',
  crps: 'CRPS',
  intervalScore95: '95 % interval score',
  nll: 'NLL',
  dss: 'Dawid–Sebastiani score',
  // Post-hoc figures (posthoc.ts flattenPosthoc).
  q: 'conformal multiplier q̂',
  learned: 'learned band’s multiplier',
  qOverLearned: 'q̂ ÷ the learned band’s multiplier',
  coverageLearned: 'held-out coverage of the learned band',
  coverageConformal: 'held-out coverage of the conformal band',
  widthLearned: 'mean width of the learned band',
  widthConformal: 'mean width of the conformal band',
  xGapLearned: 'learned band’s worst coverage gap along x',
  xGapConformal: 'conformal band’s worst coverage gap along x',
};
const METRIC_WORDS: Record<string, string> = {
  // The classification lessons' (core/classify/claimMetrics.ts).
  testAccuracy: 'clean-test accuracy',
  testError: 'clean-test error',
  flippedAuroc: 'flipped-vs-clean AUROC',
  reject30: 'accuracy after rejecting 30 %',
  rejectGain: 'gain from rejecting 30 %',
  rmse: 'RMSE',
  sigmaError: 'σ error',
  nll: 'clean NLL',
  epistemicRatio: 'disagreement beyond the data ÷ within it',
  minGradWeight: 'smallest gradient weight',
  medianAbsResidual: 'median |y − μ| over the data',
};

/** A claim metric in words: "RMSE", "held-out share inside ±1σ". */
export function metricWords(metric: string): string {
  const known = knownWords(metric);
  if (known !== null) return known;
  const parts = metric.split('.');
  return parts.map((p, i) => (i === 0 ? (SET_WORDS[p] ?? p) : (SCALAR_WORDS[p] ?? p))).join(' ');
}

/** The words of a metric whose every part has words; null where one part is only an identifier. */
export function knownWords(metric: string): string | null {
  const parts = metric.split('.');
  if (parts[0] === 'recalibrated' && parts.length === 3) {
    const rest = knownWords(parts.slice(1).join('.'));
    return rest === null ? null : `recalibrated ${rest}`;
  }
  if (parts.length === 1) return METRIC_WORDS[metric] ?? null;
  const [set, scalar] = parts;
  return parts.length === 2 && SET_WORDS[set] && SCALAR_WORDS[scalar]
    ? `${SET_WORDS[set]} ${SCALAR_WORDS[scalar]}`
    : null;
}

/** A figure as the line shows it: coverages as per cent, others to 2–3 significant digits. */
export function figure(metric: string, v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'none yet' : v > 0 ? '∞' : '−∞';
  if (/coverage|xGap/.test(metric)) return `${Math.round(100 * v)} %`;
  // Classification's accuracies and error rates (claimMetrics.ts); regression's σ error is a length, not a share.
  if (/Accuracy|testError|reject/.test(metric)) return `${(100 * v).toFixed(1)} %`;
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 1e4)) return v.toExponential(1);
  return String(Number(v.toPrecision(a < 1 ? 2 : 3)));
}

/** One condition's result in words, models named by `name` (e.g. "Robust-NLL (T=16)"). */
export function conditionWords(r: ConditionResult, name: (id: string) => string): string {
  const c = r.condition;
  const mark = r.holds ? '✓' : '✗';
  const what = metricWords(c.metric);
  const bound = (v: number | undefined, op: string) => (v === undefined ? '' : ` ${op} ${figure(c.metric, v)}`);
  const factor = 'factor' in c && c.factor !== undefined && c.factor !== 1 ? `${c.factor} × ` : '';
  switch (c.kind) {
    case 'bound':
      return `${mark} ${what} of ${name(c.id)} ${figure(c.metric, r.value)} (wanted${bound(c.min, '≥')}${c.min !== undefined && c.max !== undefined ? ' and' : ''}${bound(c.max, '≤')})`;
    case 'below':
      return `${mark} ${what} of ${name(c.id)} ${figure(c.metric, r.value)} ≤ ${factor}${name(c.than)}’s ${figure(c.metric, r.other ?? NaN)}`;
    case 'share':
      return `${mark} ${c.id}: ${what} in ${Number.isFinite(r.value) ? Math.round(r.value * c.pairs.length) : 0} of ${c.pairs.length} cells (wanted ≥ ${Math.ceil(c.min * c.pairs.length)})`;
    case 'median':
      return `${mark} ${c.id}: median ${what} ${figure(c.metric, r.value)} ≤ ${factor}${figure(c.metric, r.other ?? NaN)}`;
  }
}

/** A duration as a learner reads it: "12 s", "4 min", "1.5 h". */
export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A step count with thousands set apart by a narrow no-break space (14 000), so a line never splits a number. */
export function steps(n: number): string {
  return Math.round(n).toLocaleString('en-US').replace(/,/g, '\u202f');
}

/**
 * The progress line's words: where the claim shows, and whether it has. `atTarget`: the verdict at the first
 * judged step at or past the claim's (the page keeps it), so a later reading is not taken for the claim's.
 */
export function progressWords(
  p: ClaimProgress,
  name: (id: string) => string,
  atTarget: { step: number; holds: boolean } | null = null,
): { line: string; verdict: string; details: string[] } {
  const togo = p.secondsToGo !== null ? ` (about ${duration(p.secondsToGo)} to go at the current speed)` : '';
  const line =
    p.step >= p.target
      ? `the claim is about step ${steps(p.target)} — now at step ${steps(p.step)}`
      : `the claim shows by step ${steps(p.target)} — now at step ${steps(p.step)}${togo}`;
  const details = p.results.filter((r) => !r.skipped).map((r) => conditionWords(r, name));
  const at = p.judgedStep !== null ? ` (step ${steps(p.judgedStep)})` : '';
  const verdict = {
    waiting: 'not judged yet: waiting for the first training step',
    'warm-up': `not judged during the warm-up: the models share its loss until step ${steps(p.warmupEnd)}${at}`,
    shown: `✓ shown${at}`,
    'not-yet': `not yet${at}`,
    'not-shown': `✗ not shown${at}`,
  }[p.verdict];
  // Past its step a claim may stop holding as training goes on: say what it was at its step, and what it is now.
  if (
    atTarget &&
    p.judgedStep !== null &&
    p.judgedStep > atTarget.step &&
    (p.verdict === 'shown' || p.verdict === 'not-shown')
  ) {
    const then = `${atTarget.holds ? '✓ shown' : '✗ not shown'} at step ${steps(atTarget.step)}`;
    const now =
      (p.verdict === 'shown') === atTarget.holds ? `, and still at step ${steps(p.judgedStep)}` : `; now ${verdict}`;
    return { line, verdict: then + now, details };
  }
  return { line, verdict, details };
}
