// What every experiment shares: its options and report, the chunked trainer and the checkpointed one.
// Formatting for people (markdown tables) lives in scripts/report.ts; a report carries its tables as data.
import type { RunConfig } from '../config';
import type { Points } from '../datasets';
import type { PathFactory, Snapshot, TrainingPath } from '../engine';
import type { Claim, ExperimentResult } from '../exportFile';
import type { TrainingState } from '../state';

export interface ExperimentOptions {
  quick: boolean;
  seed: number;
  /** Called with the share of the work done, in [0, 1]. */
  onProgress?: (done: number) => void;
  /** The training path of each run (the tfjs engine when left out; `npm run reproduce` passes the CPU trainer). */
  makePath?: PathFactory;
}

/** A table of figures: scripts/report.ts writes it as markdown. Numbers stay numbers. */
export interface Table {
  /** A line above the table, or ''. */
  caption: string;
  header: string[];
  rows: (string | number)[][];
}

export interface ExperimentReport {
  id: string;
  title: string;
  /** One line of settings, as run. */
  settings: string;
  /** A representative run for the explorer to open (config, points, its last snapshot and training state); absent with `json`. */
  config?: RunConfig;
  points?: Points;
  snapshot?: Snapshot;
  state?: TrainingState;
  /** A classification experiment's own JSON file, written instead of the regression run file (its run fields are empty). */
  json?: string;
  results: ExperimentResult[];
  claims: Claim[];
  /** Our figures (the claims table is made from `claims`). */
  tables: Table[];
}

export interface Experiment {
  id: string;
  title: string;
  /** Its claims are already judged over seeds of its own (trajectories, seeds inside one run): run it once. */
  ownSeeds?: string;
  run: (options: ExperimentOptions) => Promise<ExperimentReport>;
}

export const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/** A number as the claims quote it: integers as they are, 3 decimals in [1e-3, 1e4), otherwise exponent form. */
export const fmt = (v: number) =>
  Number.isInteger(v)
    ? String(v)
    : Number.isFinite(v)
      ? Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4
        ? v.toFixed(3)
        : v.toExponential(2)
      : String(v);

/** Trains in chunks so progress can be reported and the event loop breathes; returns the last snapshot and state. */
export async function train(
  engine: TrainingPath,
  steps: number,
  progress: (done: number) => void,
): Promise<{ snapshot: Snapshot; state: TrainingState }> {
  const chunk = 250;
  for (let done = 0; done < steps; done += chunk) {
    engine.run(Math.min(chunk, steps - done));
    progress(Math.min(steps, done + chunk) / steps);
    await new Promise((r) => setTimeout(r, 0));
  }
  const { snapshot, state } = await engine.frame(true);
  return { snapshot, state: state! };
}

/**
 * Trains up to each checkpoint (ascending step counts) and calls `at` with its snapshot, so a late divergence
 * shows up in the results, not just at the end. `progress` gets the share of the last checkpoint done.
 */
export async function trainWithCheckpoints(
  engine: TrainingPath,
  checkpoints: number[],
  progress: (done: number) => void,
  at: (step: number, snapshot: Snapshot) => void = () => {},
): Promise<{ snapshot: Snapshot; state: TrainingState }> {
  const total = checkpoints[checkpoints.length - 1];
  let last: { snapshot: Snapshot; state: TrainingState } | null = null;
  let done = 0;
  for (const cp of checkpoints) {
    const from = done;
    last = await train(engine, cp - from, (f) => progress((from + f * (cp - from)) / total));
    done = cp;
    at(cp, last.snapshot);
  }
  return last!;
}
