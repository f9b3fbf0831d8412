// What a run leaves for the record beside its claims: each model's calibration (the PIT histogram and the
// calibration curve the page draws, src/core/calibration.ts), rounded for JSON.
import type { Snapshot } from '../engine';
import { judgedSet } from '../uncertainty';

/** A model's calibration at the end of a seed's representative run: the PIT histogram and the calibration curve. */
export interface ModelCalibration {
  id: string;
  loss: string;
  /** The set judged (the clean held-out set for generated data), its size and the step of the judgement. */
  set: string;
  n: number;
  step: number;
  /** Shares of PIT = F(y) in 10 equal bins (0.1 each when calibrated). */
  pitHistogram: number[];
  /** Levels p (0.01 … 0.99) and the share of targets with PIT ≤ p. */
  calibration: { levels: number[]; observed: number[] };
  miscalibrationArea: number;
}

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** Every model's calibration on its judged set (mean-only models have none). */
export function calibrationOf(snapshot: Snapshot | undefined): ModelCalibration[] {
  if (!snapshot) return [];
  return snapshot.models.flatMap((m) => {
    const judged = judgedSet(m.uncertainty);
    if (!judged) return [];
    const u = judged.metrics;
    return [
      {
        id: m.id,
        loss: m.loss,
        set: judged.set,
        n: u.n,
        step: m.uncertainty!.step,
        pitHistogram: u.pitHistogram.map(r4),
        calibration: { levels: u.calibration.levels.map(r4), observed: u.calibration.observed.map(r4) },
        miscalibrationArea: r4(u.miscalibrationArea),
      },
    ];
  });
}
