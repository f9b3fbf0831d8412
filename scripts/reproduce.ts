// npm run reproduce -- <experiment|all> [--quick] [--seed N] [--out DIR]
// Reruns the papers' experiments headless (Node; the CPU trainer by default, --backend as in scripts/paths.ts) and
// writes DIR/<id>.json and DIR/<id>.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isPathBackend, nodePaths, PATH_BACKENDS } from './paths';
import { EXPERIMENTS, findExperiment } from '../src/core/experiments';
import { runFileJson } from '../src/core/exportFile';
import { markdownReport } from './report';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { quick: { type: 'boolean', default: false }, seed: { type: 'string', default: '1' }, out: { type: 'string', default: 'out' }, backend: { type: 'string', default: 'fused-cpu' } },
});
const target = positionals[0];
if (!target) {
  console.error(`usage: npm run reproduce -- <${EXPERIMENTS.map((e) => e.id).join('|')}|all> [--quick] [--seed N] [--out DIR]`);
  process.exit(2);
}
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error(`--seed must be an integer, not ${values.seed}`);
  process.exit(2);
}

function bar(label: string, done: number, started: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round(done * width);
  const secs = (performance.now() - started) / 1000;
  process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(done * 100).toFixed(0).padStart(3)} % ${secs.toFixed(0)} s `);
}

if (!isPathBackend(values.backend)) {
  console.error(`--backend must be one of ${PATH_BACKENDS.join(', ')}, not ${values.backend}`);
  process.exit(2);
}
const { makePath, label: backend } = await nodePaths(values.backend);
mkdirSync(values.out!, { recursive: true });
const list = target === 'all' ? EXPERIMENTS : [findExperiment(target)];
let disagreements = 0;
for (const exp of list) {
  const started = performance.now();
  const report = await exp.run({ quick: values.quick!, seed, makePath, onProgress: (d) => bar(exp.id, d, started) });
  const seconds = (performance.now() - started) / 1000;
  if (process.stderr.isTTY) process.stderr.write('\n');
  const run = () => ({ config: report.config!, points: report.points!, imported: false, state: report.state!, snapshot: report.snapshot!, history: [] });
  writeFileSync(join(values.out!, `${exp.id}.json`), report.json ?? runFileJson(run(), { results: report.results, claims: report.claims }));
  const md = markdownReport(report, { seconds, quick: values.quick!, seed });
  writeFileSync(join(values.out!, `${exp.id}.md`), md);
  console.log(`\n${md}`);
  disagreements += report.claims.filter((c) => !c.agrees).length;
  console.log(`(${backend}; wrote ${join(values.out!, exp.id)}.json and .md)`);
}
console.log(disagreements ? `${disagreements} claim(s) not reproduced; see the tables above.` : 'Every claim reproduced in direction.');
