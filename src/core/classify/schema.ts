// The classification run's configuration as a zod schema (its links and JSON files), and its JSON export.
// T = ∞ travels as the string "Infinity", as in the regression schema.
import { z } from 'zod';
import { CLASS_BOUNDS, inBound, outOfBound, type Bound } from '../messages';
import { COMPENSATIONS, MIX_BY } from './alum';
import { CLASS_DATASETS, CLASS_DATA_BOUNDS, classDataProblem, FLIP_KINDS } from './data';
import type { ClassRunConfig } from './engine';
import type { ClassSnapshot } from './evaluate';
import { CLASS_ACTIVATIONS } from './model';
import { CLASS_METHODS, classModelProblem } from './spec';

z.config({ jitless: true });

const extended = z.union([z.number(), z.literal('Infinity')]).transform((v) => (v === 'Infinity' ? Infinity : v));
const unit = z.number().min(0).max(1);
/** A number within a bound of the catalogue (messages.ts CLASS_BOUNDS: both ends, and why), or its message. */
const within = (b: Bound) =>
  z.number().superRefine((v, ctx) => {
    if (!inBound(v, b)) ctx.addIssue({ code: 'custom', message: outOfBound(v, b) });
  });

export const MAX_CLASS_MODELS = 8;

const dataSchema = z
  .object({
    dataset: z.enum(CLASS_DATASETS),
    classes: z.number().int().min(CLASS_DATA_BOUNDS.classes[0]).max(CLASS_DATA_BOUNDS.classes[1]),
    n: z.number().int().min(CLASS_DATA_BOUNDS.n[0]).max(CLASS_DATA_BOUNDS.n[1]),
    noise: z.number().min(0).max(1),
    flipRate: z.number().min(0).max(0.5),
    flipKind: z.enum(FLIP_KINDS),
    seed: within(CLASS_BOUNDS.seed),
    testN: z.number().int().min(CLASS_DATA_BOUNDS.testN[0]).max(CLASS_DATA_BOUNDS.testN[1]),
  })
  .superRefine((d, ctx) => {
    const why = classDataProblem(d);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

const modelSchema = z.object({
  id: z.string().min(1).max(32),
  method: z.enum(CLASS_METHODS),
  label: z.string().max(40),
  compensation: z.enum(COMPENSATIONS),
  compP: unit,
  groups: z.number().int().min(1).max(64),
  hardFraction: unit,
  positives: z.boolean(),
  negatives: z.boolean(),
  triplet: z.boolean(),
  literal: z.boolean(),
  lambda: z.number().min(0).max(100),
  margin: z.number().min(0).max(100),
  // Readings added later: links and files from before them take the defaults.
  mixBy: z.enum(MIX_BY).default('std'),
  weightedCe: z.boolean().default(false),
  tripletMean: z.boolean().default(false),
  smoothing: unit,
  q: within(CLASS_BOUNDS.q),
  klWeight: z.number().min(0).max(100),
  T: extended.superRefine((v, ctx) => {
    if (!inBound(v, CLASS_BOUNDS.T)) ctx.addIssue({ code: 'custom', message: outOfBound(v, CLASS_BOUNDS.T) });
  }),
  constantWeights: z.boolean(),
  tauMode: z.enum(['logC', 'ema']),
  slLambda: within(CLASS_BOUNDS.slLambda),
});

const trainSchema = z.object({
  hidden: z.array(z.number().int().min(1).max(256)).max(4),
  activation: z.enum(CLASS_ACTIVATIONS),
  embedding: z.number().int().min(2).max(8),
  learningRate: within(CLASS_BOUNDS.learningRate),
  batchSize: z.number().int().min(2).max(1024),
  seed: within(CLASS_BOUNDS.seed),
});

export const classRunConfigSchema = z
  .object({ data: dataSchema, models: z.array(modelSchema).min(1).max(MAX_CLASS_MODELS), train: trainSchema })
  .superRefine((c, ctx) => {
    const ids = new Set<string>();
    c.models.forEach((m, k) => {
      if (ids.has(m.id))
        ctx.addIssue({ code: 'custom', path: ['models', k, 'id'], message: `model id ${m.id} appears twice` });
      ids.add(m.id);
      const why = classModelProblem(m, c.train);
      if (why) ctx.addIssue({ code: 'custom', path: ['models', k], message: why });
    });
  });

/** JSON with T = ∞ as "Infinity". */
export function classJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (v === Infinity ? 'Infinity' : v));
}

/** A configuration from untrusted JSON, or the first problem named by its path. */
export function parseClassConfig(raw: unknown): { config: ClassRunConfig } | { error: string } {
  const parsed = classRunConfigSchema.safeParse(raw);
  if (parsed.success) return { config: parsed.data };
  const issue = parsed.error.issues[0];
  return { error: `${issue.path.join('.') || 'configuration'}: ${issue.message}` };
}

export interface ClassHistoryRow {
  step: number;
  /** Clean-test accuracy per model, in the models' order. */
  accuracy: number[];
}

/** The classification export: the setup (it re-opens the run) and the metrics so far. */
export function classExportJson(
  config: ClassRunConfig,
  snapshot: ClassSnapshot | null,
  history: ClassHistoryRow[],
): string {
  const models =
    snapshot?.models.map((m) => ({
      id: m.id,
      method: m.method,
      scoreKind: m.scoreKind,
      diverged: m.diverged,
      metrics: m.metrics,
    })) ?? [];
  return classJson({ kind: 'classification-run', version: 1, config, step: snapshot?.step ?? 0, models, history });
}

/** The configuration of a classification export (or of a bare configuration). */
export function parseClassFile(text: string): { config: ClassRunConfig } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { error: 'the file is not JSON' };
  }
  const obj = raw as { kind?: unknown; config?: unknown };
  return parseClassConfig(obj && obj.kind === 'classification-run' ? obj.config : raw);
}
