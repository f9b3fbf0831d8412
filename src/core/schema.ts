// The versioned JSON format the explorer exports and imports, and the reproduction command writes.
// Validated with zod; ±Infinity (T = ∞, α = −∞) travel as the strings "Infinity" and "-Infinity".
import { z } from 'zod';
import { DATASET_IDS, OUTLIER_KINDS } from './datasets';
import { LOSS_IDS, TAU_MODES } from './losses';
import { ACTIVATIONS } from './model';

export const FORMAT = 'robust-uncertainty-explorer';
export const VERSION = 1;

/** A number, or ±Infinity spelled as a string (JSON has no infinities). NaN is refused. */
const extended = z.union([z.number(), z.literal('Infinity'), z.literal('-Infinity')]).transform((v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v));
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const nullableNumber = z.number().nullable();

export const dataSpecSchema = z.object({
  dataset: z.enum(DATASET_IDS as [string, ...string[]]),
  n: z.number().int().min(2).max(100_000),
  seed: z.number().int(),
  outlierRate: z.number().min(0).max(0.9),
  outlierKind: z.enum(OUTLIER_KINDS),
  outlierScale: finite.min(0),
  noise: finite.min(0),
});

export const modelSpecSchema = z.object({
  loss: z.string().refine((id) => LOSS_IDS.includes(id), { message: 'unknown loss' }),
  T: extended.refine((v) => v > 0, 'T must be > 0'),
  beta: finite.min(0).max(1),
  alpha: extended.refine((v) => v <= 2, 'α must be ≤ 2'),
  c: finite.gt(0),
  lambda: finite.gt(0),
  tau: finite,
  tauMode: z.enum(TAU_MODES),
  nu: finite.gt(0),
  lrScale: finite.gt(0).default(1),
  warmup: z.object({ meanSteps: z.number().int().min(0), nllSteps: z.number().int().min(0) }).optional(),
  initSeed: z.number().int(),
});

export const trainSettingsSchema = z.object({
  optimizer: z.enum(['adam', 'sgd']),
  learningRate: finite.gt(0).max(10),
  batchSize: z.number().int().min(1).max(100_000),
  warmupMeanSteps: z.number().int().min(0),
  warmupNllSteps: z.number().int().min(0),
  batchSeed: z.number().int(),
  architecture: z.object({
    hidden: z.array(z.number().int().min(1).max(1024)).max(6),
    activation: z.enum(ACTIVATIONS),
    shared: z.boolean(),
    varianceFloor: finite.gt(0),
  }),
});

export const runConfigSchema = z.object({
  data: dataSpecSchema,
  models: z.array(modelSpecSchema).min(1).max(64),
  train: trainSettingsSchema,
});

const numbers = z.array(nullableNumber);

export const exportSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  createdAt: z.string(),
  config: runConfigSchema,
  /** The training points (with their outlier flags) as trained on: generated from config.data, or imported. */
  data: z.object({ x: numbers, y: numbers, isOutlier: z.array(z.union([z.literal(0), z.literal(1)])), imported: z.boolean() }),
  step: z.number().int().min(0),
  grid: numbers,
  models: z.array(
    z.object({
      loss: z.string(),
      steps: z.number().int().min(0),
      mu: numbers,
      sigma: numbers,
      weight: numbers,
      gradWeight: numbers,
      metrics: z.record(z.string(), nullableNumber),
      /** Flattened parameters, to resume training where it stopped. */
      weights: numbers,
    }),
  ),
  history: z.array(z.object({ step: z.number(), models: z.array(z.record(z.string(), nullableNumber)) })),
  results: z
    .array(z.object({ loss: z.string(), params: z.record(z.string(), z.unknown()), condition: z.record(z.string(), z.unknown()), metrics: z.record(z.string(), nullableNumber) }))
    .optional(),
  claims: z.array(z.object({ claim: z.string(), paper: z.union([z.string(), z.number()]), ours: z.union([z.string(), z.number()]), agrees: z.boolean() })).optional(),
});

export type ExportFile = z.infer<typeof exportSchema>;
export type ExperimentResult = NonNullable<ExportFile['results']>[number];
export type Claim = NonNullable<ExportFile['claims']>[number];

/** JSON.stringify that writes ±Infinity as strings and NaN as null (JSON has neither). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity';
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
      return v;
    },
    indent,
  );
}

/** Parses and validates an export; the error names the first offending field. */
export function parseExport(text: string): ExportFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const result = exportSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`not a valid explorer file: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return result.data;
}

/** Builds an export from a run's configuration, its points, a snapshot and the metrics history. */
export function makeExport(
  config: import('./config').RunConfig,
  points: import('./datasets').Points,
  snapshot: import('./engine').Snapshot,
  history: ExportFile['history'],
  imported = false,
): ExportFile {
  const nums = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  return {
    format: FORMAT,
    version: VERSION,
    createdAt: new Date().toISOString(),
    config,
    data: { x: nums(points.x), y: nums(points.y), isOutlier: Array.from(points.isOutlier, (o) => (o ? 1 : 0)), imported },
    step: snapshot.step,
    grid: nums(snapshot.grid),
    models: snapshot.models.map((m) => ({
      loss: m.loss,
      steps: m.steps,
      mu: nums(m.mu),
      sigma: nums(m.sigma),
      weight: nums(m.weight),
      gradWeight: nums(m.gradWeight),
      metrics: Object.fromEntries(Object.entries(m.metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
      weights: nums(m.weights),
    })),
    history,
  };
}
