// The papers' experiments, run on the same engine as the explorer, one file each. Each returns our figures
// beside the papers' claims; `quick` is a short version for the test suite (direction of each claim, not its size).
import { alumToy } from './alumToy';
import { barronLine } from './barronLine';
import { betaFig1 } from './betaFig1';
import type { Experiment } from './common';
import { fig1 } from './fig1';
import { divergence } from './divergence';
import { fig3 } from './fig3';
import { superlossRegression } from './superloss';

export type { Experiment, ExperimentOptions, ExperimentReport, Table } from './common';
export { leastSquares } from './linear';
export { fmt } from './common';

export const EXPERIMENTS: Experiment[] = [fig3, fig1, betaFig1, barronLine, superlossRegression, divergence, alumToy];

export function findExperiment(id: string): Experiment {
  const e = EXPERIMENTS.find((x) => x.id === id);
  if (!e) throw new Error(`unknown experiment: ${id}; one of ${EXPERIMENTS.map((x) => x.id).join(', ')}, or all`);
  return e;
}
