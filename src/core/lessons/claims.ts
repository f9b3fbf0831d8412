// A lesson's claim as data (what the learner should see after so many steps) and a headless runner that
// trains the lesson's configuration on the Engine and checks it. Pure apart from the tfjs backend in use.
import type { RunConfig } from '../config';
import { makePoints, type Points } from '../datasets';
import { Engine, type TrainingPath } from '../engine';
import { expandMembers } from '../members';
import { calibrationSplit } from '../posthoc';
import { trainingPoints } from '../split';
import { claimMetricsOf, evaluateClaim, type ClaimResult, type LessonClaim } from './judge';
import { calibrationOf } from './record';

export * from './judge';

/**
 * The configuration for seed s: s = 0 is the lesson as written; s > 0 moves the data seed, every model's
 * initial-weight seed and the minibatch seed by s (so each seed is a different draw of everything).
 */
export function seededConfig(config: RunConfig, seed: number): RunConfig {
  if (seed === 0) return config;
  return {
    data: { ...config.data, seed: config.data.seed + seed },
    models: config.models.map((m) => ({ ...m, initSeed: m.initSeed + 1000 * seed })),
    train: { ...config.train, batchSeed: config.train.batchSeed + seed },
  };
}

export interface RunClaimOptions {
  seed?: number;
  /** Overrides the claim's step budget (the unit suite's tiny runs). */
  steps?: number;
  /** Steps per engine.run call between progress reports. */
  chunk?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Builds the training path for the (seeded, member-expanded) run: the tfjs Engine when left out; the
   * headless command passes the fused kernel's path where a WebGPU adapter exists (scripts/lessons.ts).
   */
  makePath?: (
    points: Points,
    config: RunConfig,
    members: RunConfig['models'],
    truth: RunConfig['data'] | null,
  ) => TrainingPath;
  /** The lesson's own points (a real data set, realData.ts): trained as your own data are, without a truth. */
  points?: Points;
}

/** Trains `config` (as seeded) headless for the claim's budget and judges the claim on the last snapshot. */
export async function runClaim(
  config: RunConfig,
  claim: LessonClaim,
  options: RunClaimOptions = {},
): Promise<ClaimResult> {
  const seed = options.seed ?? 0;
  const steps = options.steps ?? claim.steps;
  const cfg = seededConfig(config, seed);
  // The lesson's own points (a real data set: no truth, its held-out share judges) or its generated ones; post-hoc
  // methods hold their calibration share back from training (posthoc.ts).
  const own = options.points ? trainingPoints(options.points, cfg.train.heldOut) : null;
  const points = calibrationSplit(own ?? makePoints(cfg.data), cfg.train.posthoc);
  const truth = own ? null : cfg.data;
  // An ensemble trains as its members (members.ts); the snapshot folds them back into the model.
  const members = expandMembers(cfg.models);
  const engine = options.makePath
    ? options.makePath(points, cfg, members, truth)
    : new Engine(points, truth, members, cfg.train);
  try {
    const chunk = options.chunk ?? 500;
    for (let done = 0; done < steps;) {
      const n = Math.min(chunk, steps - done);
      engine.run(n);
      done += n;
      options.onProgress?.(done, steps);
      await new Promise((r) => setTimeout(r, 0));
    }
    const { snapshot } = await engine.frame(false);
    // The snapshot is the run's first: its judge computes every model's uncertainty metrics at this step.
    const metrics = claimMetricsOf(snapshot, points.x, points.y);
    const conditions = evaluateClaim(claim.conditions, metrics, seed);
    return {
      statement: claim.statement,
      steps,
      seed,
      holds: conditions.every((c) => c.holds),
      conditions,
      metrics,
      calibration: calibrationOf(snapshot),
    };
  } finally {
    engine.dispose();
  }
}
