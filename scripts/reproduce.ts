// npm run reproduce -- <experiment|all> [--quick] [--seeds N] [--seed0 S] [--out DIR]
// Reruns the papers' experiments headless (Node; the CPU trainer by default, --backend as in scripts/paths.ts) on
// N seeds each (16 by default; seeds S…S+N−1, each a replicate with its data, initial weights and batch order
// moved) and judges every claim as a rate (src/core/experiments/seeds.ts). Writes DIR/<id>.json — the command,
// commit, machine, load, wall time, each claim's rate and verdict, and every per-seed table, result, claim and
// calibration curve — and DIR/<id>.md. DIR defaults to results/reproductions (committed; docs/reproductions.md is
// generated from it by npm run docs). Experiments whose claims are already rates over their own seeds
// (the divergence study's 64 trajectories, the ALUM toy's 5 seeds) run once.
// --run-file: also write DIR/<id>.run.json, the last seed's run in the explorer's file format (opens in the page).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isPathBackend, nodePaths, PATH_BACKENDS } from './paths';
import { EXPERIMENTS, findExperiment } from '../src/core/experiments';
import { runOverSeeds } from '../src/core/experiments/seeds';
import { runFileJson } from '../src/core/exportFile';
import { endMeta, startMeta } from './meta';
import { markdownSeedsReport } from './report';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    quick: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '16' },
    seed0: { type: 'string', default: '1' },
    out: { type: 'string', default: 'results/reproductions' },
    backend: { type: 'string', default: 'fused-cpu' },
    'run-file': { type: 'boolean', default: false },
  },
});
const target = positionals[0];
if (!target) {
  console.error(
    `usage: npm run reproduce -- <${EXPERIMENTS.map((e) => e.id).join('|')}|all> [--quick] [--seeds N] [--seed0 S] [--out DIR]`,
  );
  process.exit(2);
}
const seeds = Number(values.seeds);
const seed0 = Number(values.seed0);
if (!Number.isInteger(seeds) || seeds < 1 || !Number.isInteger(seed0)) {
  console.error(`--seeds must be a positive integer and --seed0 an integer, not ${values.seeds} and ${values.seed0}`);
  process.exit(2);
}

function bar(label: string, done: number, started: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round(done * width);
  const secs = (performance.now() - started) / 1000;
  process.stderr.write(
    `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(done * 100).toFixed(0).padStart(3)} % ${secs.toFixed(0)} s `,
  );
}

if (!isPathBackend(values.backend)) {
  console.error(`--backend must be one of ${PATH_BACKENDS.join(', ')}, not ${values.backend}`);
  process.exit(2);
}
const { makePath, label: backend } = await nodePaths(values.backend);
mkdirSync(values.out, { recursive: true });
const list = target === 'all' ? EXPERIMENTS : [findExperiment(target)];
let notReproduced = 0;
for (const exp of list) {
  const started = performance.now();
  const n = exp.ownSeeds ? 1 : seeds;
  const seedList = Array.from({ length: n }, (_, i) => seed0 + i);
  const meta = startMeta(
    `npm run reproduce -- ${exp.id}${values.quick ? ' --quick' : ''} --seeds ${n} --seed0 ${seed0}`,
    backend,
  );
  const { runs, claims, last } = await runOverSeeds(
    exp,
    seedList,
    { quick: values.quick, makePath, onProgress: (d) => bar(exp.id, d, started) },
    (run) =>
      console.error(
        `${exp.id} seed ${run.seed}: ${run.seconds.toFixed(0)} s; ${run.claims.map((c) => (c.agrees ? '✓' : '✗')).join('')}`,
      ),
  );
  if (process.stderr.isTTY) process.stderr.write('\n');
  const record = {
    kind: 'reproduction',
    id: exp.id,
    title: exp.title,
    settings: last.settings,
    quick: values.quick,
    ownSeeds: exp.ownSeeds ?? null,
    meta: endMeta(meta, started),
    seeds: seedList,
    claims,
    runs,
  };
  writeFileSync(join(values.out, `${exp.id}.json`), `${JSON.stringify(record, null, 1)}\n`);
  if (values['run-file']) {
    const run = () => ({
      config: last.config!,
      points: last.points!,
      imported: false,
      state: last.state!,
      snapshot: last.snapshot!,
      history: [],
    });
    writeFileSync(
      join(values.out, `${exp.id}.run.json`),
      last.json ?? runFileJson(run(), { results: last.results, claims: last.claims }),
    );
  }
  const md = markdownSeedsReport(record);
  writeFileSync(join(values.out, `${exp.id}.md`), md);
  console.log(`\n${md}`);
  notReproduced += claims.filter((c) => c.verdict !== 'holds').length;
  console.log(`(${backend}; wrote ${join(values.out, exp.id)}.json and .md)`);
}
console.log(
  notReproduced
    ? `${notReproduced} claim(s) not reproduced on a clear majority of seeds; see the tables above.`
    : 'Every claim holds on a clear majority of seeds.',
);
