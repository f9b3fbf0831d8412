// Lessons: a named, exact configuration of a run. The first one opens by default.
import { DEFAULT_TRAIN, modelSpec, type RunConfig } from '../core/config';
import { defaultDataSpec } from '../core/datasets';

export interface Lesson {
  id: string;
  title: string;
  config: RunConfig;
}

/** Robust-NLL Fig. 1 (bottom row): the heteroscedastic sine with 25 % outliers o ~ N(0, 10²). */
export const NLL_VS_OUTLIERS: Lesson = {
  id: 'nll-vs-outliers',
  title: 'NLL vs outliers',
  config: {
    data: defaultDataSpec('hetero-sine'),
    models: [
      modelSpec('nll', { initSeed: 1 }),
      modelSpec('beta-nll', { beta: 0.5, initSeed: 1 }),
      modelSpec('faithful', { initSeed: 1 }),
      modelSpec('robust-nll', { T: 16, initSeed: 1 }),
    ],
    train: DEFAULT_TRAIN,
  },
};

export const LESSONS: Lesson[] = [NLL_VS_OUTLIERS];
