// npm run lessons [-- --quick] [--seeds N | --seed S] [--only ID[,ID…]] [--backend B] [--omega W|none]
// Trains every lesson's configuration headless (Node, WASM) for its claim's step budget on seeds 0…N−1
// (seed 0 is the lesson as written; others move the data, init and batch seeds) and prints whether each
// lesson's claim holds, with the figures. --quick: a tenth of each budget (a smoke run: claims may fail).
// --seed S: that seed alone (to spread the seeds of a long lesson over processes).
// --backend fused-cpu|wasm|cpu|webgpu|fused: the training path (scripts/paths.ts); the default, fused-cpu, is the
// CPU trainer (WebAssembly SIMD on one worker thread per core); fused is the WGSL kernel through Dawn, for a
// machine with a GPU's Vulkan driver; the others are the tfjs engine on that backend.
// --omega W|none: every chosen lesson's first layer at ω = W (model.ts initScale), or He/Glorot with zero biases
// (to measure what the bias init changes; the lessons as written otherwise).
import { parseArgs } from 'node:util';
import type { RunConfig } from '../src/core/config';
import { claimConfig, LESSONS } from '../src/app/lessons';
import { sweepGrids } from '../src/core/sweep';
import { runClaim, type RunClaimOptions } from '../src/core/lessons/claims';
import { isPathBackend, nodePaths, PATH_BACKENDS } from './paths';
import { loadRealPoints } from '../src/core/realDataLoad';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, seeds: { type: 'string', default: '1' }, seed: { type: 'string' }, only: { type: 'string' }, backend: { type: 'string', default: 'fused-cpu' }, omega: { type: 'string' } } });
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
const backend = values.backend!;
if (!isPathBackend(backend)) {
  console.error(`--backend must be one of ${PATH_BACKENDS.join(', ')}, not ${backend}`);
  process.exit(2);
}
const paths = await nodePaths(backend);
const makePath: RunClaimOptions['makePath'] = (points, cfg, members, truth) => paths.makePath(points, truth, members, cfg.train);
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
if (omega !== undefined) console.log(`first layer: ${omega === null ? 'He/Glorot, zero biases' : `ω = ${omega}`} in every lesson run here\n`);
console.log('| lesson | seed | steps | holds | figures (RMSE per model) | conditions |');
console.log('| --- | --- | --- | --- | --- | --- |');
let failed = 0;
for (const lesson of lessons) {
  for (const seed of seedList) {
    const steps = values.quick ? Math.max(100, Math.round(lesson.claim.steps / 10)) : lesson.claim.steps;
    const started = performance.now();
    const points = lesson.realData ? await loadRealPoints(lesson.realData) : undefined;
    const r = await runClaim(claimConfig(lesson), lesson.claim, { seed, steps, makePath, points });
    if (!r.holds) failed++;
    // A sweep lesson: each grid's RMSE row by row (y outer), not 32 model names.
    const sweepRows = lesson.sweep && sweepGrids(lesson.sweep, { models: Object.entries(r.metrics).map(([id, m]) => ({ id, status: 'training', metrics: m })) } as never);
    const figures = sweepRows ? sweepRows.map((g) => `${g.loss}: ${g.z.map((row) => row.map((v) => v.toFixed(3)).join(' ')).join(' / ')}`).join('; ') : lesson.config.models.map((m) => `${m.id} ${m.loss}${m.loss.includes('robust') || m.loss.includes('boltz') ? ` T=${m.T}` : m.loss.includes('beta') ? ` β=${m.beta}` : ''}: ${r.metrics[m.id].rmse.toFixed(3)}`).join('; ');
    const conds = r.conditions.map((c) => `${c.holds ? '✓' : '✗'} ${c.text}`).join('; ');
    console.log(`| ${lesson.id} | ${seed} | ${steps} | ${r.holds ? 'yes' : 'NO'} | ${figures} | ${conds} | `);
    console.error(`${lesson.id} seed ${seed}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}
console.log(`\n${failed === 0 ? 'every claim holds' : `${failed} lesson run(s) where the claim does not hold`}${values.quick ? ' (quick: a tenth of each budget)' : ''}`);
process.exit(failed === 0 || values.quick ? 0 : 1);
