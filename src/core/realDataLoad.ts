// Loads a real data set's records (realData.ts): one JSON file of the vega-datasets package, imported only when
// the set is opened (the page's bundler makes each its own chunk; under Node, tsx and vitest resolve the same path).
import { realPoints, type RealDatasetId } from './realData';
import type { Points } from './datasets';

type Records = readonly Record<string, unknown>[];
const FILES: Record<RealDatasetId, () => Promise<{ default: unknown }>> = {
  cars: () => import('vega-datasets-data/cars.json'),
  'anscombe-3': () => import('vega-datasets-data/anscombe.json'),
  penguins: () => import('vega-datasets-data/penguins.json'),
  wheat: () => import('vega-datasets-data/wheat.json'),
};

/** The points of a real data set, loaded from its package file. */
export async function loadRealPoints(id: RealDatasetId): Promise<Points> {
  const records = (await FILES[id]()).default as Records;
  return realPoints(id, records);
}
