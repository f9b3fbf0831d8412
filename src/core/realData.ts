// Real data sets that nobody here made (issue 26), from the registry package vega-datasets (a devDependency, its
// JSON files only). No truth is known for them: they open as your own data do, with a held-out share that is
// never trained on and judges every band. Source and licence as the package's datapackage.json states them
// (tests/unit/real-data.test.ts checks them against it). Pure: the records are loaded by the caller (the page
// imports the one JSON file it opens; Node reads it from the package).
import type { Points } from './datasets';

export interface RealDataset {
  id: string;
  /** The menu's label. */
  label: string;
  /** The package's file, under vega-datasets/data/. */
  file: string;
  /** The record fields plotted as x and y (records where either is missing or not a number are dropped). */
  x: string;
  y: string;
  /** Axis names, with the units after any rescaling. */
  xLabel: string;
  yLabel: string;
  /** y is multiplied by this (grams to kilograms), so the network's targets are of order 1–100. */
  yScale?: number;
  /** Only records whose field equals the value (Anscombe's series III). */
  where?: { field: string; equals: string };
  /** What it shows for this explorer. */
  note: string;
  /** The package's `sources` titles and `licenses` of this resource (its own, else the package's). */
  source: string;
  licence: string;
}

/** The package's name and version the files come from (package.json pins it). */
export const VEGA_DATASETS = {
  name: 'vega-datasets',
  version: '3.2.1',
  licence: 'BSD-3-Clause (the package)',
} as const;

export const REAL_DATASETS = {
  cars: {
    id: 'cars',
    label: 'Cars: miles per gallon against horsepower',
    file: 'cars.json',
    x: 'Horsepower',
    y: 'Miles_per_Gallon',
    xLabel: 'horsepower',
    yLabel: 'miles per gallon',
    note: '392 cars (1970–82): the spread of mpg shrinks as horsepower grows — heteroscedastic noise.',
    source: 'StatLib Datasets Archive',
    licence: 'The original was distributed in 1982 for educational and scientific purposes.',
  },
  'anscombe-3': {
    id: 'anscombe-3',
    label: "Anscombe's quartet, series III",
    file: 'anscombe.json',
    x: 'X',
    y: 'Y',
    xLabel: 'x',
    yLabel: 'y',
    where: { field: 'Series', equals: 'III' },
    note: 'Eleven points on a line but one (x = 13): the outlier alone moves the least-squares line.',
    source:
      "Anscombe's quartet (Wikipedia); Anscombe, F. J. (1973). Graphs in Statistical Analysis. The American Statistician, 27(1):17-21.",
    licence: VEGA_DATASETS.licence,
  },
  penguins: {
    id: 'penguins',
    label: 'Penguins: body mass against flipper length',
    file: 'penguins.json',
    x: 'Flipper Length (mm)',
    y: 'Body Mass (g)',
    xLabel: 'flipper length (mm)',
    yLabel: 'body mass (kg)',
    yScale: 1e-3,
    note: '342 Palmer Archipelago penguins of three species: a near-linear trend whose spread grows with size.',
    source: "Palmer Station Antarctica LTER; Allison Horst's Penguins Repository",
    licence: 'CC0 1.0 Universal',
  },
  wheat: {
    id: 'wheat',
    label: "Playfair's wheat: price against year, 1565–1820",
    file: 'wheat.json',
    x: 'year',
    y: 'wheat',
    xLabel: 'year',
    yLabel: 'price of a quarter of wheat (shillings)',
    note: '52 five-year prices: a trend with a few jumps (wars, bad harvests) — extrapolation shows on both sides.',
    source: '1822 Playfair Chart',
    licence: 'Public Domain',
  },
} as const satisfies Record<string, RealDataset>;

export type RealDatasetId = keyof typeof REAL_DATASETS;
export const REAL_DATASET_IDS = Object.keys(REAL_DATASETS) as RealDatasetId[];
export const isRealDatasetId = (v: unknown): v is RealDatasetId =>
  typeof v === 'string' && Object.hasOwn(REAL_DATASETS, v);

const numberOf = (v: unknown): number =>
  typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;

/** The points of a real data set from its file's records: finite (x, y) pairs in file order, no outlier flags (none are known). */
export function realPoints(id: RealDatasetId, records: readonly Record<string, unknown>[]): Points {
  const d: RealDataset = REAL_DATASETS[id];
  const xs: number[] = [];
  const ys: number[] = [];
  for (const r of records) {
    if (d.where && r[d.where.field] !== d.where.equals) continue;
    const x = numberOf(r[d.x]);
    const y = numberOf(r[d.y]) * (d.yScale ?? 1);
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    xs.push(x);
    ys.push(y);
  }
  return { x: Float32Array.from(xs), y: Float32Array.from(ys), isOutlier: new Uint8Array(xs.length) };
}
