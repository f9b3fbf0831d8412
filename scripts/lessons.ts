// npm run lessons [-- --quick] [--seeds N | --seed S] [--only ID[,ID…]] [--backend B] [--omega W|none] [--out FILE]
// Trains every lesson's configuration headless for its claim's step budget on seeds 0…N−1 (N = 8 by default;
// seed 0 is the lesson as written, the others move the data, init and batch seeds) and judges each claim as a
// rate: on the seeds its thresholds were set on (src/core/lessons/versions.ts: 0–2) and, separately, on the
// held-out seeds that never set anything. Writes every per-seed figure, condition and calibration curve to
// results/lessons.json (a full run of every lesson on 8 seeds; other runs only with --out).
// --quick: a tenth of each budget (a smoke run: claims may fail). --seed S: that seed alone.
// --backend fused-cpu|wasm|cpu|webgpu|fused: the training path (scripts/paths.ts); the default is the CPU trainer.
// --omega W|none: every chosen lesson's first layer at ω = W, or He/Glorot with zero biases (a measurement of
// the init, not the lessons as written).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import type { RunConfig } from '../src/core/config';
import { claimConfig, LESSONS } from '../src/app/lessons';
import { sweepGrids } from '../src/core/sweep';
import { runClaim, type ClaimResult, type RunClaimOptions } from '../src/core/lessons/claims';
import { rateOf, rateText, verdictOf, verdictText } from '../src/core/lessons/rates';
import { heldOutSeeds, LESSON_CLAIM_VERSIONS } from '../src/core/lessons/versions';
import { endMeta, startMeta } from './meta';
import { isPathBackend, nodePaths, PATH_BACKENDS } from './paths';
import { loadRealPoints } from '../src/core/realDataLoad';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '8' },
    seed: { type: 'string' },
    only: { type: 'string' },
    backend: { type: 'string', default: 'fused-cpu' },
    omega: { type: 'string' },
    out: { type: 'string' },
  },
});
const seeds = Number(values.seeds);
if (!Number.isInteger(seeds) || seeds < 1) {
  console.error(`--seeds must be a positive integer, not ${values.seeds}`);
  process.exit(2);
}
const single = values.seed === undefined ? null : Number(values.seed);
if (single !== null && !(Number.isInteger(single) && single >= 0)) {
  console.error(`--seed must be an integer ≥ 0, not ${values.seed}`);
  process.exit(2);
}
const seedList = single !== null ? [single] : Array.from({ length: seeds }, (_, s) => s);
const backend = values.backend;
if (!isPathBackend(backend)) {
  console.error(`--backend must be one of ${PATH_BACKENDS.join(', ')}, not ${backend}`);
  process.exit(2);
}
const paths = await nodePaths(backend);
const makePath: RunClaimOptions['makePath'] = (points, cfg, members, truth) =>
  paths.makePath(points, truth, members, cfg.train);
console.error(`training path: ${paths.label}`);
const only = values.only?.split(',');
const omega = values.omega === undefined ? undefined : values.omega === 'none' ? null : Number(values.omega);
if (typeof omega === 'number' && !(omega >= 0.1 && omega <= 100)) {
  console.error(`--omega must be none or a number in [0.1, 100], not ${values.omega}`);
  process.exit(2);
}
const withOmega = (config: RunConfig): RunConfig => {
  if (omega === undefined) return config;
  const { initScale: _, ...arch } = config.train.architecture;
  return { ...config, train: { ...config.train, architecture: omega === null ? arch : { ...arch, initScale: omega } } };
};
const lessons = LESSONS.filter((l) => !only || only.includes(l.id)).map((l) => ({ ...l, config: withOmega(l.config) }));
if (omega !== undefined)
  console.log(`first layer: ${omega === null ? 'He/Glorot, zero biases' : `ω = ${omega}`} in every lesson run here\n`);
const fullRun = !values.quick && omega === undefined && !only && single === null;
const out = values.out ?? (fullRun ? 'results/lessons.json' : null);
const meta = startMeta(`npm run lessons -- ${process.argv.slice(2).join(' ')}`.trim(), paths.label);
const started = performance.now();

console.log('| lesson | seed | steps | holds | figures (RMSE per model) | conditions |');
console.log('| --- | --- | --- | --- | --- | --- |');
const record: {
  id: string;
  statement: string;
  version: number;
  setOnSeeds: number[];
  runs: (ClaimResult & { seconds: number })[];
}[] = [];
for (const lesson of lessons) {
  const entry = {
    id: lesson.id,
    statement: lesson.claim.statement,
    version: LESSON_CLAIM_VERSIONS[lesson.id]?.version ?? 0,
    setOnSeeds: LESSON_CLAIM_VERSIONS[lesson.id]?.setOnSeeds ?? [],
    runs: [] as (ClaimResult & { seconds: number })[],
  };
  record.push(entry);
  for (const seed of seedList) {
    const steps = values.quick ? Math.max(100, Math.round(lesson.claim.steps / 10)) : lesson.claim.steps;
    const t0 = performance.now();
    const points = lesson.realData ? await loadRealPoints(lesson.realData) : undefined;
    const r = await runClaim(claimConfig(lesson), lesson.claim, { seed, steps, makePath, points });
    const seconds = (performance.now() - t0) / 1000;
    entry.runs.push({ ...r, seconds: Math.round(seconds * 10) / 10 });
    // A sweep lesson: each grid's RMSE row by row (y outer), not 32 model names.
    const sweepRows =
      lesson.sweep &&
      sweepGrids(lesson.sweep, {
        models: Object.entries(r.metrics).map(([id, m]) => ({ id, status: 'training', metrics: m })),
      } as never);
    const figures = sweepRows
      ? sweepRows
          .map((g) => `${g.loss}: ${g.z.map((row) => row.map((v) => v.toFixed(3)).join(' ')).join(' / ')}`)
          .join('; ')
      : lesson.config.models
          .map(
            (m) =>
              `${m.id} ${m.loss}${m.loss.includes('robust') || m.loss.includes('boltz') ? ` T=${m.T}` : m.loss.includes('beta') ? ` β=${m.beta}` : ''}: ${r.metrics[m.id].rmse.toFixed(3)}`,
          )
          .join('; ');
    const conds = r.conditions.map((c) => `${c.holds ? '✓' : '✗'} ${c.text}`).join('; ');
    console.log(`| ${lesson.id} | ${seed} | ${steps} | ${r.holds ? 'yes' : 'NO'} | ${figures} | ${conds} | `);
    console.error(`${lesson.id} seed ${seed}: ${seconds.toFixed(0)} s`);
  }
}

// Rates: on the seeds a claim was set on, and on the held-out ones (the test a threshold can fail).
const summary = record.map((e) => {
  const held = new Set(
    heldOutSeeds(
      e.id,
      e.runs.map((r) => r.seed),
    ),
  );
  const used = rateOf(e.runs.filter((r) => !held.has(r.seed)).map((r) => r.holds));
  const heldOut = rateOf(e.runs.filter((r) => held.has(r.seed)).map((r) => r.holds));
  const all = rateOf(e.runs.map((r) => r.holds));
  return {
    id: e.id,
    version: e.version,
    used,
    heldOut,
    all,
    verdict: verdictOf(heldOut.n ? heldOut : all),
    verdictText: `${verdictText(heldOut.n ? heldOut : all)}${heldOut.n ? ' held out' : ''}`,
  };
});
console.log('\n| lesson | claim version | on the seeds it was set on | on held-out seeds | verdict (held-out seeds) |');
console.log('| --- | --- | --- | --- | --- |');
for (const s of summary)
  console.log(`| ${s.id} | ${s.version} | ${rateText(s.used)} | ${rateText(s.heldOut)} | ${s.verdict} |`);
const failed = record.reduce((n, e) => n + e.runs.filter((r) => !r.holds).length, 0);
console.log(
  `\n${failed === 0 ? 'every claim holds on every seed' : `${failed} lesson run(s) where the claim does not hold`}${values.quick ? ' (quick: a tenth of each budget)' : ''}`,
);
if (out) {
  mkdirSync(dirname(out), { recursive: true });
  // Five significant digits: the file holds every model's metrics and calibration curve on every seed (MBs at full precision).
  const round = (_k: string, v: unknown) =>
    typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v) ? Number(v.toPrecision(5)) : v;
  writeFileSync(
    out,
    `${JSON.stringify({ kind: 'lesson-claims', meta: endMeta(meta, started), seeds: seedList, quick: values.quick, summary, lessons: record }, round)}\n`,
  );
  console.error(`wrote ${out}`);
}
process.exit(failed === 0 || values.quick ? 0 : 1);
