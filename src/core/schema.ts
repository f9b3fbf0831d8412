// The run configuration as zod schemas (the URL hash and the JSON files share them), and JSON with infinities.
// ±Infinity (T = ∞, α = −∞) travel as the strings "Infinity" and "-Infinity".
import { z } from 'zod';
import { DATASET_IDS, OUTLIER_KINDS } from './datasets';
import { LOSS_IDS, TAU_MODES } from './losses';
import { ACTIVATIONS } from './model';
import { withIds, type RunConfig } from './config';
import {
  batchOutOfRange,
  BOUNDS,
  calibrationShareOutOfRange,
  ensembleOutOfRange,
  heldOutShareOutOfRange,
  inBound,
  isSeed,
  levelOutOfRange,
  LIMITS,
  outOfBound,
  type Bound,
  seedNotInteger,
  tooManyMembers,
  layerTooWide,
  noModels,
  nOutOfRange,
  tooManyLayers,
  tooManyModels,
  tooManyParams,
  tTooSmall,
  varianceFloorOutOfRange,
} from './messages';
import { paramCount } from './state';
import { CONFORMAL_SCORES } from './conformal';
import { RECALIBRATIONS } from './recalibrated';

export { LIMITS, MAX_MODELS } from './messages';

// zod compiles object parsers with `new Function` after probing whether eval is allowed; under the built page's
// Content-Security-Policy (no 'unsafe-eval') even the caught probe is reported as a violation. Parse without it.
z.config({ jitless: true });

/** A number, or ±Infinity spelled as a string (JSON has no infinities). NaN is refused. */
const extended = z
  .union([z.number(), z.literal('Infinity'), z.literal('-Infinity')])
  .transform((v) => (v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v));
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/** A number that must pass `ok`; otherwise the catalogue's message for the value (messages.ts). */
const bounded = (ok: (v: number) => boolean, message: (v: number) => string) =>
  z.number().superRefine((v, ctx) => {
    if (!ok(v)) ctx.addIssue({ code: 'custom', message: message(v) });
  });

/** A number within a bound of the catalogue (messages.ts BOUNDS: both ends, and why), or its message. */
export const withinBound = (b: Bound, tooSmall?: () => string) =>
  bounded(
    (v) => inBound(v, b),
    (v) => (tooSmall && v < b.min ? tooSmall() : outOfBound(v, b)),
  );
/** The same for a number that may be an infinity spelled as a string (T = ∞, α = −∞). */
const extendedWithin = (b: Bound, tooSmall?: () => string) =>
  extended.superRefine((v, ctx) => {
    if (!inBound(v, b))
      ctx.addIssue({ code: 'custom', message: tooSmall && v < b.min ? tooSmall() : outOfBound(v, b) });
  });

/** ω of the first layer's spread initialisation (model.ts): the architecture's, or one model's own. */
const initScaleSchema = finite.min(0.1).max(100);

export const dataSpecSchema = z.object({
  dataset: z.enum(DATASET_IDS as [string, ...string[]]),
  n: bounded((v) => Number.isInteger(v) && v >= LIMITS.minN && v <= LIMITS.maxN, nOutOfRange),
  seed: bounded(isSeed, seedNotInteger),
  outlierRate: z.number().min(0).max(0.9),
  outlierKind: z.enum(OUTLIER_KINDS),
  outlierScale: withinBound(BOUNDS.outlierScale),
  noise: withinBound(BOUNDS.noise),
});

export const modelSpecSchema = z.object({
  /** Optional in files and links made before ids existed: those models get m1, m2, … by position. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'a model id is 1–32 letters, digits, _ or -')
    .default(''),
  loss: z.string().refine((id) => LOSS_IDS.includes(id), { message: 'unknown loss' }),
  T: extendedWithin(BOUNDS.T, tTooSmall),
  beta: finite.min(0).max(1),
  alpha: extendedWithin(BOUNDS.alpha),
  c: withinBound(BOUNDS.c),
  lambda: withinBound(BOUNDS.lambda),
  tau: withinBound(BOUNDS.tau),
  tauMode: z.enum(TAU_MODES),
  nu: withinBound(BOUNDS.nu),
  lrScale: withinBound(BOUNDS.lrScale).default(1),
  warmup: z
    .object({ meanSteps: withinBound(BOUNDS.warmupSteps), nllSteps: withinBound(BOUNDS.warmupSteps) })
    .optional(),
  initSeed: bounded(isSeed, seedNotInteger),
  initScale: initScaleSchema.optional(),
  ensemble: bounded((v) => Number.isInteger(v) && v >= 1 && v <= LIMITS.maxEnsemble, ensembleOutOfRange).optional(),
});

export const trainSettingsSchema = z.object({
  optimizer: z.enum(['adam', 'sgd']),
  learningRate: withinBound(BOUNDS.learningRate),
  batchSize: bounded((v) => Number.isInteger(v) && v >= LIMITS.minBatch && v <= LIMITS.maxBatch, batchOutOfRange),
  warmupMeanSteps: withinBound(BOUNDS.warmupSteps),
  warmupNllSteps: withinBound(BOUNDS.warmupSteps),
  batchSeed: bounded(isSeed, seedNotInteger),
  heldOut: z
    .object({
      share: bounded((v) => v >= 0 && v <= LIMITS.maxHeldOutShare, heldOutShareOutOfRange),
      seed: bounded(isSeed, seedNotInteger),
    })
    .optional(),
  /** Post-hoc methods (posthoc.ts); absent in files and links made before them: off. */
  posthoc: z
    .object({
      share: bounded(
        (v) => v >= LIMITS.minCalibrationShare && v <= LIMITS.maxCalibrationShare,
        calibrationShareOutOfRange,
      ),
      seed: bounded(isSeed, seedNotInteger),
      level: bounded((v) => v >= LIMITS.minLevel && v <= LIMITS.maxLevel, levelOutOfRange),
      score: z.enum(CONFORMAL_SCORES),
      recalibration: z.enum(RECALIBRATIONS),
      calibration: z.enum(['clean', 'contaminated']),
    })
    .optional(),
  architecture: z
    .object({
      hidden: z
        .array(z.unknown())
        .superRefine((h, ctx) => {
          if (h.length > LIMITS.maxHiddenLayers) ctx.addIssue({ code: 'custom', message: tooManyLayers(h.length) });
        })
        .pipe(z.array(bounded((w) => Number.isInteger(w) && w >= 1 && w <= LIMITS.maxWidth, layerTooWide))),
      activation: z.enum(ACTIVATIONS),
      shared: z.boolean(),
      varianceFloor: bounded(
        (v) => v >= LIMITS.minVarianceFloor && v <= LIMITS.maxVarianceFloor,
        varianceFloorOutOfRange,
      ),
      /** ω of the first layer's spread initialisation (model.ts); absent = He/Glorot, zero biases. */
      initScale: initScaleSchema.optional(),
      /** model.ts: torch.nn.Linear's default init; x fed unstandardised (the β-NLL authors' Fig. 1 setting). */
      init: z.literal('pytorch').optional(),
      rawInput: z.boolean().optional(),
    })
    // Bounded layers and widths already bound this; the check names the real limit (memory per model).
    .superRefine((arch, ctx) => {
      const n = paramCount(arch);
      if (n > LIMITS.maxParams) ctx.addIssue({ code: 'custom', message: tooManyParams(n), path: ['hidden'] });
    }),
});

/** A run's configuration holding at most `maxModels` models (counted before any model is read). */
export function runConfigSchemaFor(maxModels: number) {
  return (
    z
      .object({
        data: dataSpecSchema,
        models: z
          .array(z.unknown())
          .superRefine((m, ctx) => {
            if (m.length === 0) ctx.addIssue({ code: 'custom', message: noModels() });
            else if (m.length > maxModels)
              ctx.addIssue({ code: 'custom', message: tooManyModels(m.length, maxModels) });
          })
          .pipe(z.array(modelSpecSchema)),
        train: trainSettingsSchema,
      })
      // Every ensemble member is a network of the stack: the cap on what trains at once counts them all.
      .superRefine((c, ctx) => {
        const n = c.models.reduce((sum, m) => sum + (m.ensemble ?? 1), 0);
        if (n > LIMITS.maxMembers) ctx.addIssue({ code: 'custom', message: tooManyMembers(n), path: ['models'] });
      })
      .transform((c) => ({ ...c, models: withIds(c.models) }) as RunConfig)
  );
}

/** What a link (and the page) accepts: at most MAX_MODELS models. */
export const runConfigSchema = runConfigSchemaFor(LIMITS.maxModels);
/** What a file accepts: the reproduction command exports up to 10 models; the page trains at most MAX_MODELS. */
export const fileRunConfigSchema = runConfigSchemaFor(LIMITS.maxFileModels);

/** JSON.stringify that writes ±Infinity as strings and NaN as null (JSON has neither). */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v))
        return Number.isNaN(v) ? null : v > 0 ? 'Infinity' : '-Infinity';
      if (ArrayBuffer.isView(v) && !(v instanceof DataView))
        return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null));
      return v;
    },
    indent,
  );
}
