// One panel for a deep ensemble (members.ts): its members' rows of a snapshot folded into the ensemble's own
// ModelSnapshot — the mixture's mean, aleatoric and epistemic spread on the grid, its fit metrics, the members'
// mean per-point weights — and the request that judges the mixture's calibration (uncertainty.ts). Float64, no tensors.
import type { ModelSpec } from './config';
import { ensembleMoments, mixtureLogPdf } from './ensemble';
import type { ModelSnapshot, ModelStatus } from './snapshot';
import { bandIsScale, fitMetrics, outlierWeightShare, predictiveStd, type Predictive } from './metrics';
import type { Phase } from './state';
import type { JudgeRequest } from './uncertainty';

/** One member's row of the snapshot read, as the evaluator parsed it. */
export interface MemberRow {
  spec: ModelSpec;
  /** μ and the variance head's output at every evaluated input: grid | metric grid | held-out | training points. */
  mu: Float32Array;
  v: Float32Array;
  sampleLoss: Float32Array;
  weight: Float32Array;
  gradWeight: Float32Array;
  sigmaStar: Float32Array;
  trainLoss: number;
  learnedAlpha: number;
  learnedScale: number;
  predictive: Predictive;
  status: ModelStatus;
  message: string | null;
  steps: number;
}

/** Where each part of the evaluated inputs sits, and what the parts are judged against. */
export interface EvalContext {
  grid: number;
  metricGrid: number;
  held: number;
  /** The calibration share's points (posthoc.ts), between the held-out set and the training points; 0 when off. */
  cal: number;
  train: number;
  truthMean: ArrayLike<number> | null;
  truthStd: ArrayLike<number> | null;
  heldY: ArrayLike<number>;
  trainY: ArrayLike<number>;
  isOutlier: ArrayLike<number>;
  phaseOf: (spec: ModelSpec, steps: number) => Phase;
}

/** A member's predictive standard deviation for the mixture: Infinity where it has none finite (Student-t, ν ≤ 2). */
function memberStd(v: number, p: Predictive): number {
  if (p.kind === 'none') return 0;
  if (bandIsScale(p)) return Infinity;
  return predictiveStd(v, p);
}

function meanOf(rows: MemberRow[], pick: (r: MemberRow) => Float32Array): Float32Array {
  const n = pick(rows[0]).length;
  const out = new Float32Array(n);
  for (const r of rows) {
    const a = pick(r);
    for (let i = 0; i < n; i++) out[i] += a[i] / rows.length;
  }
  return out;
}

/**
 * The ensemble's snapshot and judge request. Members that diverged are left out of the mixture (and the message
 * says how many); with none left the ensemble is diverged. The grid band is drawn from the moments: ±2√(mean σ²)
 * (aleatoric) and ±2√(mean σ² + var μ) (total); the fit metrics treat the mixture as the Gaussian of its moments
 * except the held-out NLL, which is the mixture's own.
 */
export function ensembleSnapshot(
  spec: ModelSpec,
  members: MemberRow[],
  ctx: EvalContext,
): { model: ModelSnapshot; request: JudgeRequest } {
  const alive = members.filter((r) => r.status === 'training');
  const rows = alive.length ? alive : members;
  const predictive = members[0].predictive;
  const dead = members.length - alive.length;
  const status: ModelStatus = alive.length ? 'training' : 'diverged';
  const message =
    dead === 0
      ? null
      : alive.length
        ? `${dead} of ${members.length} members diverged (${members.find((r) => r.status !== 'training')!.message}); the ensemble is the mixture of the other ${alive.length}.`
        : members[0].message;
  const steps = Math.max(...rows.map((r) => r.steps));

  /** Members' μ and σ (float64) over [from, from + count) of the evaluated inputs. */
  const part = (from: number, count: number) => ({
    mus: rows.map((r) => Float64Array.from(r.mu.subarray(from, from + count))),
    sigmas: rows.map((r) => Float64Array.from(r.v.subarray(from, from + count), (v) => memberStd(v, predictive))),
  });
  // The band: σ of a Student-t member with ν ≤ 2 is its scale (as for one model), so the moments stay finite.
  const bandPart = (from: number, count: number) => ({
    mus: rows.map((r) => Float64Array.from(r.mu.subarray(from, from + count))),
    sigmas: rows.map((r) =>
      Float64Array.from(r.v.subarray(from, from + count), (v) =>
        predictive.kind === 'none' ? 0 : predictiveStd(v, predictive),
      ),
    ),
  });
  const momentsOf = (p: { mus: Float64Array[]; sigmas: Float64Array[] }) =>
    // ensembleMoments wants σ > 0: a mean-only member has no aleatoric part, so give it a vanishing one.
    ensembleMoments({ mus: p.mus, sigmas: p.sigmas.map((s) => s.map((x) => (x > 0 ? x : Number.MIN_VALUE))) });

  const gridM = momentsOf(bandPart(0, ctx.grid));
  const metricM = momentsOf(bandPart(ctx.grid, ctx.metricGrid));
  const heldFrom = ctx.grid + ctx.metricGrid;
  const held = part(heldFrom, ctx.held);
  const heldM = momentsOf(bandPart(heldFrom, ctx.held));
  const trainPart = part(heldFrom + ctx.held + ctx.cal, ctx.train);

  const gaussian: Predictive = predictive.kind === 'none' ? predictive : { kind: 'gaussian' };
  const fit = fitMetrics({
    gridMu: metricM.mean,
    gridV: metricM.total,
    truthMean: ctx.truthMean,
    truthStd: ctx.truthStd,
    heldMu: heldM.mean,
    heldV: heldM.total,
    heldY: ctx.heldY,
    predictive: gaussian,
  });
  if (predictive.kind !== 'none' && ctx.held > 0) {
    const finite = held.sigmas.every((s) => s.every((x) => x > 0 && x < Infinity));
    let nll = 0;
    for (let i = 0; finite && i < ctx.held; i++) nll -= mixtureLogPdf(held, i, ctx.heldY[i]);
    fit.nll = finite ? nll / ctx.held : NaN;
  }
  const weight = meanOf(rows, (r) => r.weight);
  const sigmaStar = meanOf(rows, (r) => r.sigmaStar);
  const share = spec.loss.startsWith('superloss') ? sigmaStar : weight;
  const model: ModelSnapshot = {
    id: spec.id,
    loss: spec.loss,
    status,
    message,
    steps,
    phase: ctx.phaseOf(spec, steps),
    metrics: {
      ...fit,
      trainLoss: rows.reduce((s, r) => s + r.trainLoss, 0) / rows.length,
      outlierWeightShare: outlierWeightShare(share, ctx.isOutlier),
    },
    mu: Float32Array.from(gridM.mean),
    sigma: Float32Array.from(gridM.total, Math.sqrt),
    bandIsScale: bandIsScale(predictive),
    sampleLoss: meanOf(rows, (r) => r.sampleLoss),
    weight,
    gradWeight: meanOf(rows, (r) => r.gradWeight),
    sigmaStar,
    learnedAlpha: rows.reduce((s, r) => s + r.learnedAlpha, 0) / rows.length,
    learnedScale: rows.reduce((s, r) => s + r.learnedScale, 0) / rows.length,
    uncertainty: null,
    ensemble: {
      size: members.length,
      alive: alive.length,
      aleatoric: Float32Array.from(gridM.aleatoric, Math.sqrt),
      epistemic: Float32Array.from(gridM.epistemic, Math.sqrt),
    },
  };
  const request: JudgeRequest = {
    id: spec.id,
    step: steps,
    input: {
      predictive,
      members: rows.length,
      held: { ...held, y: ctx.heldY },
      train: { ...trainPart, y: ctx.trainY, isOutlier: ctx.isOutlier },
    },
  };
  return { model, request };
}
