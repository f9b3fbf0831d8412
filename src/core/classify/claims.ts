// A classification lesson's claim as data (what the learner should see after so many steps) and a headless
// runner that trains the lesson's configuration and judges it. The judging is the regression lessons'
// (src/core/lessons/claims.ts, evaluateClaim); only the metrics differ.
import { evaluateClaim, type Condition, type ConditionResult } from '../lessons/claims';
import { makeClassData } from './data';
import { ClassifyEngine, type ClassRunConfig } from './engine';
import { claimMetrics, type ClassClaimMetric } from './claimMetrics';

export * from './claimMetrics';

type Retyped<C> = C extends { metric: unknown } ? Omit<C, 'metric'> & { metric: ClassClaimMetric } : never;
export type ClassCondition = Retyped<Condition>;

export interface ClassLessonClaim {
  statement: string;
  steps: number;
  conditions: ClassCondition[];
}

export interface ClassClaimResult {
  statement: string;
  steps: number;
  seed: number;
  holds: boolean;
  conditions: ConditionResult[];
  metrics: Record<string, Record<ClassClaimMetric, number>>;
}

/** Seed s: s = 0 is the lesson as written; s > 0 moves the data seed and the training seed (weights, batches, draws) by s. */
export function seededClassConfig(config: ClassRunConfig, seed: number): ClassRunConfig {
  if (seed === 0) return config;
  return {
    ...config,
    data: { ...config.data, seed: config.data.seed + seed },
    train: { ...config.train, seed: config.train.seed + seed },
  };
}

/** Trains `config` (as seeded) headless for the claim's budget (or `steps`) and judges the claim. */
export async function runClassClaim(
  config: ClassRunConfig,
  claim: ClassLessonClaim,
  options: { seed?: number; steps?: number } = {},
): Promise<ClassClaimResult> {
  const seed = options.seed ?? 0;
  const steps = options.steps ?? claim.steps;
  const cfg = seededClassConfig(config, seed);
  const engine = new ClassifyEngine(makeClassData(cfg.data), cfg.models, cfg.train);
  try {
    for (let done = 0; done < steps;) {
      const n = Math.min(200, steps - done);
      engine.run(n);
      done += n;
      await new Promise((r) => setTimeout(r, 0));
    }
    const snap = await engine.frame(false);
    const metrics = Object.fromEntries(snap.models.map((m) => [m.id, claimMetrics(m.metrics)]));
    const conditions = evaluateClaim(claim.conditions as unknown as Condition[], metrics as never, seed);
    return { statement: claim.statement, steps, seed, holds: conditions.every((c) => c.holds), conditions, metrics };
  } finally {
    engine.dispose();
  }
}
