// One plain model's panel of a frame: its rows of the snapshot read folded into its ModelSnapshot and the request
// that judges its calibration (uncertainty.ts); and any model's post-hoc block (posthoc.ts). Float64, no tensors.
import type { EvalContext, MemberRow } from './ensembleSnapshot';
import { parseLossId } from './losses';
import { bandIsScale, fitMetrics, outlierWeightShare, predictiveStd, type Predictive } from './metrics';
import { posthocBlock, type PosthocSettings } from './posthoc';
import type { ModelSnapshot } from './snapshot';
import type { JudgeRequest } from './uncertainty';

/** What a frame's post-hoc figures need beyond the rows: the settings, the calibration share's targets, the held-out x. */
export interface PosthocFrame {
  settings: PosthocSettings;
  y: Float32Array;
  heldX: Float32Array;
  /** The metric grid's x range, along which coverage is binned. */
  range: [number, number];
}

/** A plain model's snapshot and judge request. */
export function singleSnapshot(r: MemberRow, ctx: EvalContext): { model: ModelSnapshot; request: JudgeRequest } {
  const { spec, mu, v, predictive } = r;
  const held = ctx.grid + ctx.metricGrid;
  const nHeld = ctx.held;
  const fit = fitMetrics({
    gridMu: mu.subarray(ctx.grid, held),
    gridV: v.subarray(ctx.grid, held),
    truthMean: ctx.truthMean,
    truthStd: ctx.truthStd,
    heldMu: mu.subarray(held, held + nHeld),
    heldV: v.subarray(held, held + nHeld),
    heldY: ctx.heldY,
    predictive,
  });
  const share = parseLossId(spec.loss).wrapper === 'superloss' ? r.sigmaStar : r.weight;
  const model: ModelSnapshot = {
    id: spec.id,
    loss: spec.loss,
    status: r.status,
    message: r.message,
    steps: r.steps,
    phase: ctx.phaseOf(spec, r.steps),
    metrics: { ...fit, trainLoss: r.trainLoss, outlierWeightShare: outlierWeightShare(share, ctx.isOutlier) },
    mu: mu.slice(0, ctx.grid),
    sigma: Float32Array.from(v.subarray(0, ctx.grid), (x) => predictiveStd(x, predictive)),
    bandIsScale: bandIsScale(predictive),
    sampleLoss: r.sampleLoss,
    weight: r.weight,
    gradWeight: r.gradWeight,
    sigmaStar: r.sigmaStar,
    learnedAlpha: r.learnedAlpha,
    learnedScale: r.learnedScale,
    uncertainty: null,
  };
  const request: JudgeRequest = {
    id: spec.id,
    step: r.steps,
    input: {
      predictive,
      held: { mu: mu.subarray(held, held + nHeld), v: v.subarray(held, held + nHeld), y: ctx.heldY },
      train: {
        mu: mu.subarray(held + nHeld + ctx.cal),
        v: v.subarray(held + nHeld + ctx.cal),
        y: ctx.trainY,
        isOutlier: ctx.isOutlier,
      },
    },
  };
  return { model, request };
}

/**
 * The model's post-hoc block (conformal fit, coverage of both bands, the band on the grid) and, when a
 * recalibration is chosen, the calibration share for the judge to fit it on (uncertainty.ts).
 */
export function addPosthoc(
  r: { model: ModelSnapshot; request: JudgeRequest },
  members: MemberRow[],
  ctx: EvalContext,
  ph: PosthocFrame,
): void {
  const predictive = members[0].predictive;
  const alive = members.filter((m) => m.status === 'training');
  if (predictive.kind === 'none' || alive.length === 0) return void (r.model.posthoc = null);
  const heldFrom = ctx.grid + ctx.metricGrid;
  const calFrom = heldFrom + ctx.held;
  const at = (from: number, count: number) => spreadAt(alive, from, count);
  const cal = at(calFrom, ctx.cal);
  const held = at(heldFrom, ctx.held);
  const grid = members.length > 1 ? r.model.sigma : Float32Array.from(alive[0].v.subarray(0, ctx.grid), Math.sqrt);

  r.model.posthoc = posthocBlock(
    ph.settings,
    predictive,
    { ...cal, y: ph.y },
    { ...held, x: ph.heldX, y: ctx.heldY },
    grid,
    ph.range,
  );
  if (ph.settings.recalibration === 'none') return;
  const kind = ph.settings.recalibration;
  const input = r.request.input;
  if ('members' in input)
    input.recal = {
      kind,
      mus: alive.map((m) => m.mu.subarray(calFrom, calFrom + ctx.cal)),
      sigmas: alive.map((m) =>
        Float64Array.from(m.v.subarray(calFrom, calFrom + ctx.cal), (v) => predictiveStdOrNaN(v, predictive)),
      ),
      y: ph.y,
    };
  else
    input.recal = {
      kind,
      mu: alive[0].mu.subarray(calFrom, calFrom + ctx.cal),
      v: alive[0].v.subarray(calFrom, calFrom + ctx.cal),
      y: ph.y,
    };
}

/** A member's σ for the mixture; NaN where it has none finite (then the judge leaves the set out). */
function predictiveStdOrNaN(v: number, p: Predictive): number {
  return bandIsScale(p) ? NaN : predictiveStd(v, p);
}

/**
 * μ and the spread at `count` evaluated inputs from `from`: one model's √v (σ, or a Student-t's scale, which its
 * quantiles multiply), an ensemble's mixture mean and total σ (√(mean σₘ² + var μₘ)).
 */
function spreadAt(rows: MemberRow[], from: number, count: number): { mu: Float64Array; sigma: Float64Array } {
  if (rows.length === 1)
    return {
      mu: Float64Array.from(rows[0].mu.subarray(from, from + count)),
      sigma: Float64Array.from(rows[0].v.subarray(from, from + count), Math.sqrt),
    };
  const p = rows[0].predictive;
  const mu = new Float64Array(count);
  const total = new Float64Array(count);
  for (const r of rows) for (let i = 0; i < count; i++) mu[i] += r.mu[from + i] / rows.length;
  // Deviations from the mean (ensemble.ts's form), not E[μ²] − μ*², which cancels when the members agree.
  for (const r of rows)
    for (let i = 0; i < count; i++) {
      const s = predictiveStdOrNaN(r.v[from + i], p);
      total[i] += (s * s + (r.mu[from + i] - mu[i]) ** 2) / rows.length;
    }
  return { mu, sigma: Float64Array.from(total, Math.sqrt) };
}
