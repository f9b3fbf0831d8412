// npm run alum-readings -- [--steps N] [--seeds S] [--conditions moons:0.3,spirals:0.2]
// ALUM's ambiguous readings side by side on one stack (same data, initial weights, batches and draws), with
// cross-entropy and RUL-style for reference: clean-test accuracy, accuracy after 30 % rejection by σ and by the
// predictive entropy, and the AUROC of σ on flipped vs clean training points. Node, WASM backend.
import { parseArgs } from 'node:util';
import { makeClassData, type ClassDataset } from '../src/core/classify/data';
import { ClassifyEngine } from '../src/core/classify/engine';
import { meanSd } from '../src/core/classify/metrics';
import { classModel, DEFAULT_CLASS_TRAIN, type ClassModelSpec } from '../src/core/classify/spec';
import { useNodeBackend } from '../src/platform/node';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '600' },
    seeds: { type: 'string', default: '3' },
    conditions: { type: 'string', default: 'moons:0.3,spirals:0.2' },
    only: { type: 'string', default: '' },
  },
});
const steps = Number(values.steps);
const seeds = Number(values.seeds);
const conditions = values.conditions.split(',').map((c) => {
  const [dataset, rate] = c.split(':');
  return { dataset: dataset as ClassDataset, rate: Number(rate) };
});

/** Each reading differs from "ALUM as before" in one switch. */
const VARIANTS: ClassModelSpec[] = [
  classModel('ce', {}, 'CE'),
  classModel('rul', {}, 'RUL-style'),
  classModel('alum', {}, 'ALUM as before'),
  classModel('alum', { tripletMean: true }, 'L_T mean'),
  classModel('alum', { mixBy: 'variance' }, 'w by σ²'),
  classModel('alum', { weightedCe: true }, 'CE weighted by w'),
  classModel('alum', { compensation: 'off' }, 'no compensation'),
  classModel('alum', { compP: 1 }, 'compensation p = 1'),
  classModel('alum', { literal: true }, 'literal eq. 10'),
  classModel('alum', { hardFraction: 0 }, 'mining p = 0'),
];
const only = values.only ? values.only.split(',') : null;
const models = only ? VARIANTS.filter((v) => only.includes(v.id)) : VARIANTS;

await useNodeBackend('wasm');
const pct = (v: number) => (100 * v).toFixed(1);
for (const { dataset, rate } of conditions) {
  const rows = new Map<string, { acc: number[]; rejS: number[]; rejE: number[]; auroc: number[] }>();
  const started = performance.now();
  for (let s = 0; s < seeds; s++) {
    const seed = 100 + s;
    const data = makeClassData({
      dataset,
      classes: 2,
      n: 400,
      noise: dataset === 'spirals' ? 0.05 : 0.1,
      flipRate: rate,
      flipKind: 'symmetric',
      seed,
      testN: 1000,
    });
    const engine = new ClassifyEngine(data, models, { ...DEFAULT_CLASS_TRAIN, batchSize: 64, seed });
    engine.run(steps);
    const snap = await engine.frame(false);
    engine.dispose();
    snap.models.forEach((m) => {
      const r = rows.get(m.id) ?? { acc: [], rejS: [], rejE: [], auroc: [] };
      r.acc.push(m.metrics.testAccuracy);
      r.rejS.push(m.metrics.rejection[3]);
      r.rejE.push(m.metrics.rejectionEntropy[3]);
      r.auroc.push(m.metrics.flippedAuroc);
      rows.set(m.id, r);
    });
  }
  const secs = ((performance.now() - started) / 1000).toFixed(0);
  console.log(
    `\n${dataset}, ${rate * 100} % symmetric flips, N = 400, ${steps} steps, seeds 100–${99 + seeds} (${secs} s)`,
  );
  console.log('| reading | clean-test acc. | acc. at 30 % rejected by σ | by entropy | AUROC σ flipped |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [id, r] of rows) {
    const pm = (v: number[]) => {
      const { mean, sd } = meanSd(v);
      return `${pct(mean)} ± ${pct(sd)}`;
    };
    const au = r.auroc.every(Number.isNaN) ? '–' : meanSd(r.auroc).mean.toFixed(3);
    console.log(`| ${id} | ${pm(r.acc)} | ${pct(meanSd(r.rejS).mean)} | ${pct(meanSd(r.rejE).mean)} | ${au} |`);
  }
}
