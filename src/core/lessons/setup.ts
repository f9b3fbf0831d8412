// What a learner changed in a lesson's setup, in words: the lesson's text and claim describe the setup as it
// opened, so once it differs the page says how ("outlier rate 25 % → 0 %", "model 4: T 16 → 0.5").
import type { ModelSpec, RunConfig, TrainSettings } from '../config';
import type { DataSpec } from '../datasets';
import { lossLabel } from '../losses';

const num = (v: unknown): string => {
  if (typeof v !== 'number') {
    if (v === undefined) return '(default)';
    return typeof v === 'string' || typeof v === 'boolean' ? String(v) : 'changed';
  }
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '–' : v > 0 ? '∞' : '−∞';
  return String(Number(v.toPrecision(3)));
};
const pct = (v: unknown) => (typeof v === 'number' ? `${Math.round(100 * v)} %` : num(v));

const DATA_WORDS: Partial<Record<keyof DataSpec, [string, (v: unknown) => string]>> = {
  dataset: ['data set', num],
  n: ['N', num],
  seed: ['data seed', num],
  outlierRate: ['outlier rate', pct],
  outlierKind: ['outlier kind', num],
  outlierScale: ['outlier size', num],
  noise: ['noise ×', num],
};
const MODEL_WORDS: Partial<Record<keyof ModelSpec, [string, (v: unknown) => string]>> = {
  loss: ['loss', (v) => lossLabel(String(v))],
  T: ['T', num],
  beta: ['β', num],
  alpha: ['α', num],
  c: ['c', num],
  lambda: ['λ', num],
  tau: ['τ', num],
  tauMode: ['τ mode', num],
  nu: ['ν', num],
  lrScale: ['learning-rate scale', num],
  initSeed: ['init seed', num],
  initScale: ['ω', num],
  ensemble: ['ensemble size', (v) => num(v ?? 1)],
  warmup: ['own warm-up', (v) => (v ? 'changed' : 'shared')],
};
const TRAIN_WORDS: Partial<Record<keyof TrainSettings, [string, (v: unknown) => string]>> = {
  optimizer: ['optimizer', num],
  learningRate: ['learning rate', num],
  batchSize: ['batch size', num],
  warmupMeanSteps: ['mean-only warm-up', num],
  warmupNllSteps: ['NLL warm-up', num],
  batchSeed: ['minibatch seed', num],
  architecture: ['network', () => 'changed'],
  heldOut: ['held-out share', () => 'changed'],
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function diff<T extends object>(
  words: Partial<Record<keyof T, [string, (v: unknown) => string]>>,
  was: T,
  now: T,
): string[] {
  const out: string[] = [];
  for (const key of Object.keys(words) as (keyof T)[]) {
    const [label, show] = words[key]!;
    if (same(was[key], now[key])) continue;
    const a = show(was[key]);
    const b = show(now[key]);
    out.push(a === b ? `${label} changed` : `${label} ${a} → ${b}`);
  }
  return out;
}

/**
 * The changes from the lesson's configuration to the run's, in words; empty when the run is the lesson as
 * written. `ownData`: the user's own points replace the lesson's data.
 */
export function setupChanges(lesson: RunConfig, now: RunConfig, ownData = false): string[] {
  const out: string[] = ownData ? ['your own data replaces the lesson’s'] : diff(DATA_WORDS, lesson.data, now.data);
  lesson.models.forEach((m, k) => {
    const n = now.models.find((x) => x.id === m.id);
    if (!n) return out.push(`model ${k + 1} (${lossLabel(m.loss)}) removed`);
    out.push(...diff(MODEL_WORDS, m, n).map((d) => `model ${k + 1}: ${d}`));
  });
  const added = now.models.filter((x) => !lesson.models.some((m) => m.id === x.id)).length;
  if (added) out.push(added === 1 ? 'a model added' : `${added} models added`);
  out.push(...diff(TRAIN_WORDS, lesson.train, now.train));
  return out;
}
