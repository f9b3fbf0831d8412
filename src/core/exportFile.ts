// The versioned JSON file the explorer exports and imports, and the reproduction command writes: the run's
// configuration, its points, the exact training state (to resume) and what the views showed. Version 1 files
// (parameters only, no optimiser state, no model ids) are migrated on import.
import { z } from 'zod';
import type { RunConfig } from './config';
import type { Points } from './datasets';
import type { Snapshot } from './evaluator';
import { parseLossId } from './losses';
import { BOUNDS, counterOutOfRange, inBound, LIMITS, MAX_COUNTER, outOfBound, tooManyPoints } from './messages';
import { expandMembers } from './members';
import { fileRunConfigSchema, toJson } from './schema';
import { paramCount, stateMismatch, type TrainingState } from './state';
import { flattenPosthoc } from './posthoc';
import { flattenUncertainty } from './uncertainty';

export const FORMAT = 'robust-uncertainty-explorer';
export const VERSION = 2;

/** JSON has no NaN: non-finite values travel as null and come back as NaN (a diverged model stays diverged). */
const numbers = z.array(z.number().nullable());
/** Points are stored as float32 and squared by the losses: within BOUNDS.point both stay finite (file-fuzz found ±3.4e38). */
const finiteNumbers = z.array(
  z.number().superRefine((v, ctx) => {
    if (!inBound(v, BOUNDS.point)) ctx.addIssue({ code: 'custom', message: outOfBound(v, BOUNDS.point) });
  }),
);
/** Steps and counts: whole numbers the fused path's u32 words hold (messages.ts MAX_COUNTER). */
const count = z.number().superRefine((v, ctx) => {
  if (!(Number.isInteger(v) && v >= 0 && v <= MAX_COUNTER))
    ctx.addIssue({ code: 'custom', message: counterOutOfRange('a step or count', v) });
});

const modelViewSchema = z.object({
  id: z.string().optional(),
  loss: z.string(),
  steps: count,
  mu: numbers,
  sigma: numbers,
  weight: numbers,
  gradWeight: numbers,
  metrics: z.record(z.string(), z.number().nullable()),
  /** An ensemble (members.ts): its members and the aleatoric and epistemic standard deviations on the grid. */
  ensemble: z.object({ size: count, alive: count, aleatoric: numbers, epistemic: numbers }).optional(),
  /** Version 1 only: the flattened parameters. */
  weights: numbers.optional(),
});

const modelStateSchema = z.object({
  id: z.string(),
  params: numbers,
  m: numbers,
  v: numbers,
  t: count,
  steps: count,
  tau: z.number().nullable(),
  tauCount: count,
  diverged: z.string().nullable(),
});

const fileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.union([z.literal(1), z.literal(2)]),
  createdAt: z.string(),
  config: fileRunConfigSchema,
  /** The training points (with their outlier flags) as trained on: generated from config.data, or imported. */
  data: z.object({
    x: finiteNumbers,
    y: finiteNumbers,
    isOutlier: z.array(z.union([z.literal(0), z.literal(1)])),
    imported: z.boolean(),
  }),
  step: count,
  grid: numbers,
  models: z.array(modelViewSchema),
  state: z.object({ step: count, models: z.array(modelStateSchema) }).optional(),
  /** Metrics along the run; each entry names its model (version 2) or sits at its position (version 1). */
  history: z.array(
    z.object({ step: z.number(), models: z.array(z.record(z.string(), z.union([z.number(), z.string(), z.null()]))) }),
  ),
  results: z
    .array(
      z.object({
        loss: z.string(),
        params: z.record(z.string(), z.unknown()),
        condition: z.record(z.string(), z.unknown()),
        metrics: z.record(z.string(), z.number().nullable()),
      }),
    )
    .optional(),
  claims: z
    .array(
      z.object({
        id: z.string().optional(),
        claim: z.string(),
        paper: z.union([z.string(), z.number()]),
        ours: z.union([z.string(), z.number()]),
        agrees: z.boolean(),
      }),
    )
    .optional(),
});

type RawFile = z.infer<typeof fileSchema>;
export type ExperimentResult = NonNullable<RawFile['results']>[number];
export type Claim = NonNullable<RawFile['claims']>[number];

/** An imported file, checked across its fields and turned back into the explorer's types. */
export interface RunFile {
  config: RunConfig;
  points: Points;
  imported: boolean;
  state: TrainingState;
  history: RawFile['history'];
  results?: ExperimentResult[];
  claims?: Claim[];
  /** What changed on the way in (a version-1 file's optimiser restarts), for the message; null if nothing. */
  migrated: string | null;
}

const toFloat32 = (a: (number | null)[]) => Float32Array.from(a, (v) => (v === null ? NaN : v));

/** Version 1 kept only the parameters: Adam restarts from zero moments with t = 0, τ from the spec. */
function migrateV1(f: RawFile, config: RunConfig): TrainingState {
  if (f.models.length !== config.models.length)
    throw new Error(
      `models: the file has ${f.models.length} trained models but its configuration has ${config.models.length}`,
    );
  return {
    step: f.step,
    models: f.models.map((m, k) => {
      if (!m.weights) throw new Error(`models.${k}.weights: missing (a version-1 file keeps the parameters there)`);
      const params = toFloat32(m.weights);
      const finite = params.every(Number.isFinite);
      return {
        id: config.models[k].id,
        params,
        m: new Float32Array(params.length),
        v: new Float32Array(params.length),
        t: 0,
        steps: m.steps,
        tau: config.models[k].tau,
        tauCount: 0,
        diverged: finite ? null : `${config.models[k].loss} had diverged when the file was saved`,
      };
    }),
  };
}

/** Cross-field checks zod cannot express field by field; throws naming the first inconsistency. */
function checkConsistency(f: RawFile, config: RunConfig, state: TrainingState): void {
  const n = f.data.x.length;
  if (f.data.y.length !== n || f.data.isOutlier.length !== n)
    throw new Error(
      `data: x, y and isOutlier must have equal lengths (got ${n}, ${f.data.y.length}, ${f.data.isOutlier.length})`,
    );
  if (n < 2) throw new Error('data: a run needs at least two points');
  if (n > LIMITS.maxPoints) throw new Error(`data: ${tooManyPoints(n)}`);
  config.models.forEach((s) => parseLossId(s.loss));
  if (f.models.length !== config.models.length)
    throw new Error(`models: ${f.models.length} in the views but ${config.models.length} in the configuration`);
  f.models.forEach((m, k) => {
    if (m.loss !== config.models[k].loss)
      throw new Error(`models.${k}.loss: ${m.loss} in the views but ${config.models[k].loss} in the configuration`);
  });
  // The state holds every ensemble member as a model of its own (members.ts).
  const why = stateMismatch(state, config.train.architecture, expandMembers(config.models));
  if (why) throw new Error(`state: ${why}`);
}

/** Parses, validates and migrates a file; the error names the first offending field. Nothing is applied here. */
export function parseRunFile(text: string): RunFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`not JSON: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const result = fileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`not a valid explorer file: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const f = result.data;
  const config = f.config;
  let state: TrainingState;
  let migrated: string | null = null;
  if (f.version === 1) {
    state = migrateV1(f, config);
    migrated = 'a version-1 file keeps no optimiser state: Adam restarts with fresh moments';
  } else {
    if (!f.state) throw new Error('state: missing (a version-2 file carries the training state)');
    state = {
      step: f.state.step,
      models: f.state.models.map((m) => ({
        ...m,
        params: toFloat32(m.params),
        m: toFloat32(m.m),
        v: toFloat32(m.v),
        tau: m.tau ?? NaN,
      })),
    };
  }
  checkConsistency(f, config, state);
  const points: Points = {
    x: Float32Array.from(f.data.x),
    y: Float32Array.from(f.data.y),
    isOutlier: Uint8Array.from(f.data.isOutlier),
  };
  return {
    config,
    points,
    imported: f.data.imported,
    state,
    history: f.history,
    results: f.results,
    claims: f.claims,
    migrated,
  };
}

/**
 * The first `max` models of a file: their configuration, training state and curves (the page trains at most
 * LIMITS.maxModels; a file may hold up to LIMITS.maxFileModels). A file within `max` comes back as it is.
 */
export function firstModels(f: RunFile, max: number): RunFile {
  if (f.config.models.length <= max) return f;
  const models = f.config.models.slice(0, max);
  const ids = new Set(models.map((m) => m.id));
  return {
    ...f,
    config: { ...f.config, models },
    state: { step: f.state.step, models: f.state.models.slice(0, max) },
    // Version-2 curves name their model; version-1 curves sit at its position.
    history: f.history.map((h) => ({
      step: h.step,
      models: h.models.filter((m, k) => (typeof m.id === 'string' ? ids.has(m.id) : k < max)),
    })),
  };
}

/** A run as a file: the configuration, its points, the exact state and the snapshot the views showed with it. */
export function makeRunFile(run: {
  config: RunConfig;
  points: Points;
  imported: boolean;
  state: TrainingState;
  snapshot: Snapshot;
  history: RawFile['history'];
}): RawFile {
  const nums = (a: ArrayLike<number>) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  const p = paramCount(run.config.train.architecture);
  if (run.state.models.some((m) => m.params.length !== p)) throw new Error('the state does not match the architecture');
  return {
    format: FORMAT,
    version: VERSION,
    createdAt: new Date().toISOString(),
    config: run.config,
    data: {
      x: Array.from(run.points.x),
      y: Array.from(run.points.y),
      isOutlier: Array.from(run.points.isOutlier, (o) => (o ? 1 : 0)),
      imported: run.imported,
    },
    step: run.snapshot.step,
    grid: nums(run.snapshot.grid),
    models: run.snapshot.models.map((m) => ({
      id: m.id,
      loss: m.loss,
      steps: m.steps,
      mu: nums(m.mu),
      sigma: nums(m.sigma),
      weight: nums(m.weight),
      gradWeight: nums(m.gradWeight),
      ...(m.ensemble
        ? {
            ensemble: {
              size: m.ensemble.size,
              alive: m.ensemble.alive,
              aleatoric: nums(m.ensemble.aleatoric),
              epistemic: nums(m.ensemble.epistemic),
            },
          }
        : {}),
      // The fit metrics and, flattened per set ("heldOut.crps", …), the scalar uncertainty metrics; post-hoc figures ("posthoc.q", …).
      metrics: Object.fromEntries(
        Object.entries({ ...m.metrics, ...flattenUncertainty(m.uncertainty), ...flattenPosthoc(m.posthoc) }).map(
          ([k, v]) => [k, Number.isFinite(v) ? v : null],
        ),
      ),
    })),
    state: {
      step: run.state.step,
      models: run.state.models.map((m) => ({
        ...m,
        params: nums(m.params),
        m: nums(m.m),
        v: nums(m.v),
        tau: Number.isFinite(m.tau) ? m.tau : null,
      })),
    },
    history: run.history,
  };
}

export function runFileJson(
  run: Parameters<typeof makeRunFile>[0],
  extra: { results?: ExperimentResult[]; claims?: Claim[] } = {},
): string {
  return toJson({ ...makeRunFile(run), ...extra });
}
