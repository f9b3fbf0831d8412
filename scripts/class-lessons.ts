// npm run lessons:classify [-- --seeds N | --seed S] [--only ID[,ID…]] [--quick]
// The classification lessons' claims, judged headless (Node, WASM) like `npm run lessons` judges the regression
// lessons: each lesson's configuration trained for its claim's step budget on seeds 0…N−1 (seed 0 is the lesson
// as written; others move the data and training seeds), every model's figures and each condition printed.
import { parseArgs } from 'node:util';
import { CLASS_LESSONS } from '../src/app/classify/lessons';
import { runClassClaim } from '../src/core/classify/claims';
import { useNodeBackend } from '../src/platform/node';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '1' },
    seed: { type: 'string' },
    only: { type: 'string' },
  },
});
const seeds = Number(values.seeds);
const single = values.seed === undefined ? null : Number(values.seed);
if (!Number.isInteger(seeds) || seeds < 1 || (single !== null && !(Number.isInteger(single) && single >= 0))) {
  console.error('--seeds must be a positive integer and --seed an integer ≥ 0');
  process.exit(2);
}
const seedList = single !== null ? [single] : Array.from({ length: seeds }, (_, s) => s);
await useNodeBackend('wasm');
const only = values.only?.split(',');
const pct = (v: number) => (100 * v).toFixed(1);
console.log(
  '| lesson | seed | steps | holds | figures (clean-test % · AUROC · 30 %-rejection gain in points) | conditions |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
let failed = 0;
for (const lesson of CLASS_LESSONS.filter((l) => !only || only.includes(l.id))) {
  for (const seed of seedList) {
    const steps = values.quick ? Math.max(50, Math.round(lesson.claim.steps / 10)) : lesson.claim.steps;
    const started = performance.now();
    const r = await runClassClaim(lesson.config, lesson.claim, { seed, steps });
    if (!r.holds) failed++;
    const figures = Object.entries(r.metrics)
      .map(
        ([id, m]) =>
          `${id} ${pct(m.testAccuracy)} · ${Number.isFinite(m.flippedAuroc) ? m.flippedAuroc.toFixed(2) : '–'} · ${m.rejectGain >= 0 ? '+' : ''}${pct(m.rejectGain)}`,
      )
      .join('; ');
    const conds = r.conditions.map((c) => `${c.holds ? '✓' : '✗'} ${c.text}`).join('; ');
    console.log(`| ${lesson.id} | ${seed} | ${steps} | ${r.holds ? 'yes' : 'NO'} | ${figures} | ${conds} |`);
    console.error(`${lesson.id} seed ${seed}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}
console.log(
  `\n${failed === 0 ? 'every claim holds' : `${failed} lesson run(s) where the claim does not hold`}${values.quick ? ' (quick: a tenth of each budget)' : ''}`,
);
process.exit(failed === 0 || values.quick ? 0 : 1);
