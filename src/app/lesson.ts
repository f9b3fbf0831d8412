// What a lesson is: a named, exact configuration, a short text with in-line links, and the claim its text makes;
// with the claim's condition builders that both lesson lists write their claims with.
import type { RunConfig, ModelSpec, TrainSettings } from '../core/config';
import type { DataSpec } from '../core/datasets';
import type { ClaimMetric, Condition, LessonClaim } from '../core/lessons/claims';
import type { RealDatasetId } from '../core/realData';
import { sweepConfig, type SweepSpec } from '../core/sweep';

export type LessonAction =
  /** A change to one model, named by its id (a removed model makes the link say so and change nothing). */
  | { kind: 'model'; id: string; patch: Partial<Omit<ModelSpec, 'id'>> }
  | { kind: 'data'; patch: Partial<DataSpec> }
  | { kind: 'train'; patch: Partial<TrainSettings> };

/** A paragraph: plain text and links that apply actions. */
export type Segment = string | { link: string; actions: LessonAction[] };

export interface Lesson {
  id: string;
  title: string;
  citation: string;
  config: RunConfig;
  text: Segment[][];
  /** What the text promises the learner sees, as a check on the metrics after a step budget (npm run lessons). */
  claim: LessonClaim;
  /** A sweep lesson: opening it opens the sweep view with this preset and starts it; the claim is judged on its cells. */
  sweep?: SweepSpec;
  /** A real data set's lesson (realData.ts): its points replace config.data's and have no truth. */
  realData?: RealDatasetId;
}

/** The run a lesson's claim is judged on: its sweep's cells, or its own models. */
export function claimConfig(l: Lesson): RunConfig {
  return l.sweep ? sweepConfig(l.sweep) : l.config;
}

export const max = (id: string, metric: ClaimMetric, v: number): Condition => ({ kind: 'bound', id, metric, max: v });
export const min = (id: string, metric: ClaimMetric, v: number): Condition => ({ kind: 'bound', id, metric, min: v });
export const below = (id: string, than: string, metric: ClaimMetric, factor = 1): Condition => ({
  kind: 'below',
  id,
  than,
  metric,
  factor,
});
