// npx tsx scripts/beta-nll-probe.ts --variant V [--steps S] [--seeds N] [--out FILE]
// β-NLL Fig. 1, one setting at a time: NLL, β-NLL (β = 0.5) and MSE stacked (× N seeds of the initial weights)
// on one data draw, RMSE of μ to 0.4 sin 2πx on the metric grid at checkpoints. The variants are the authors'
// setting (martius-lab/beta-nll: train.sh "Sine", toy_data.py dataset 11, networks.py; see src/core/experiments/betaSetups.ts)
// and that setting with exactly one thing changed.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { BETA_SETUPS, betaSetup } from '../src/core/experiments/betaSetups';
import { endMeta, startMeta } from './meta';
import { nodePaths } from './paths';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'paper' },
    steps: { type: 'string', default: '100000' },
    seeds: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
});
const variant = values.variant;
if (!(variant in BETA_SETUPS)) throw new Error(`--variant: one of ${Object.keys(BETA_SETUPS).join(', ')}`);
const steps = Number(values.steps);
const seeds = Number(values.seeds);
const { makePath, label } = await nodePaths('fused-cpu');
const { points, data, specs, train, checkpoints } = betaSetup(variant as keyof typeof BETA_SETUPS, {
  seeds,
  steps,
  seed: 0,
});
const path = makePath(points, data, specs, train);
const started = performance.now();
const meta = startMeta(`npx tsx scripts/beta-nll-probe.ts ${process.argv.slice(2).join(' ')}`.trim(), label);
const rows: { step: number; rmse: Record<string, number> }[] = [];
let done = 0;
for (const cp of checkpoints) {
  while (done < cp) {
    const n = Math.min(1000, cp - done);
    path.run(n);
    done += n;
    await new Promise((r) => setTimeout(r, 0));
  }
  const { snapshot } = await path.frame(false);
  const rmse = Object.fromEntries(snapshot.models.map((m) => [m.id, m.metrics.rmse]));
  rows.push({ step: cp, rmse });
  console.log(
    `${variant} step ${cp} (${((performance.now() - started) / 1000).toFixed(0)} s): ${snapshot.models.map((m) => `${m.id} ${m.metrics.rmse.toFixed(3)}`).join('  ')}`,
  );
}
path.dispose();
const seconds = (performance.now() - started) / 1000;
const record = {
  meta: endMeta(meta, started),
  variant,
  description: BETA_SETUPS[variant as keyof typeof BETA_SETUPS],
  steps,
  seeds,
  path: label,
  seconds,
  nproc: cpus().length,
  cpu: cpus()[0]?.model,
  rows,
};
if (values.out) writeFileSync(values.out, JSON.stringify(record, null, 1));
process.exit(0);
