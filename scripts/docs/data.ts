// docs/data.md: every data set, where it comes from and its licence, from the code's own constants (datasets.ts,
// classify/data.ts, realData.ts) and the vega-datasets files themselves, so the page cannot disagree with the code.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASS_DATASETS, DEFAULT_CLASS_DATA, FLIP_KINDS, MULTICLASS } from '../../src/core/classify/data';
import { DATASET_IDS, DATASETS, OUTLIER_KINDS, type Dataset } from '../../src/core/datasets';
import { REAL_DATASET_IDS, REAL_DATASETS, realPoints, VEGA_DATASETS, type RealDataset } from '../../src/core/realData';
import { markdownTable } from '../report';
import { generatedNote, type Results } from './results';

/** A real set's point count, from the package's file as the page reads it. */
function pointCount(root: string, id: (typeof REAL_DATASET_IDS)[number]): number {
  const file = join(root, 'node_modules', VEGA_DATASETS.name, 'data', REAL_DATASETS[id].file);
  return realPoints(id, JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>[]).x.length;
}

export function dataPage(_results: Results, root = '.'): string {
  const generated = DATASET_IDS.map((id): Dataset => DATASETS[id]);
  const real = REAL_DATASET_IDS.map((id): [RealDataset, number] => [REAL_DATASETS[id], pointCount(root, id)]);
  const out = [
    generatedNote('src/core/datasets.ts, src/core/classify/data.ts, src/core/realData.ts and the vega-datasets files'),
    '# Data sets',
    '## Generated regression data (src/core/datasets.ts)',
    `Drawn by the code from a seed (counter-based draws: the same spec gives the same points in Node, the worker and the page); no external data, so no licence beyond this project's. Outliers are injected on top at a chosen rate, of kind ${OUTLIER_KINDS.join(', ')}; raising the rate keeps the earlier outliers.`,
    markdownTable({
      caption: '',
      header: ['id', 'data', 'after', 'x drawn from', 'default N', 'default outliers'],
      rows: generated.map((d) => [
        `\`${d.id}\``,
        d.label.replace(/\s{2,}/g, ' '),
        d.citation,
        `[${d.domain.join(', ')}]`,
        d.defaultN,
        d.defaultOutlierKind,
      ]),
    }),
    '## Generated classification data (src/core/classify/data.ts)',
    `2-D inputs drawn by the code from a seed, no external data: ${CLASS_DATASETS.join(', ')} (${MULTICLASS.join(' and ')} with 2–5 classes, the others 2). A share of the training labels is flipped (${FLIP_KINDS.join(', ')}: uniformly, near the boundary, far from it); a clean test set of ${DEFAULT_CLASS_DATA.testN} points by default judges accuracy.`,
    '## Real data (src/core/realData.ts)',
    `From the npm package \`${VEGA_DATASETS.name}\` ${VEGA_DATASETS.version} (a devDependency; licence ${VEGA_DATASETS.licence}). Source and licence of each set as the package's datapackage.json states them (tests/unit/real-data.test.ts checks them against it). No truth is known: a set opens as your own data do, with a held-out share that alone judges the bands. Points: the records with a finite x and y, as the page reads them.`,
    markdownTable({
      caption: '',
      header: ['id', 'set', 'x → y', 'points', 'file', 'source', 'licence'],
      rows: real.map(([d, n]) => [
        `\`${d.id}\``,
        d.label,
        `${d.xLabel} → ${d.yLabel}`,
        n,
        `\`${VEGA_DATASETS.name}/data/${d.file}\``,
        d.source,
        d.licence,
      ]),
    }),
    real.map(([d]) => `- **${d.label}**: ${d.note}`).join('\n'),
    '## Your own data',
    'A CSV of x,y[,outlier] rows, or points clicked on a fit panel: they stay in your browser (and in the links and files you make).',
  ];
  return `${out.join('\n\n')}\n`;
}
