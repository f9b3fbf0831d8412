// ALUM Tables 1 and 3, a 2-D analogue: CE, DUL-style, RUL-style and ALUM on the same network, data and seed,
// at symmetric label-flip rates 0–30 % on two moons and spirals; clean-test accuracy (mean ± sd over seeds)
// and accuracy after rejecting the 10/20/30 % most uncertain test points.
import { makeClassData, type ClassDataSpec } from '../classify/data';
import { ClassifyEngine } from '../classify/engine';
import { meanSd } from '../classify/metrics';
import {
  classModel,
  DEFAULT_CLASS_TRAIN,
  METHOD_NAMES,
  type ClassMethod,
  type ClassTrainSettings,
} from '../classify/spec';
import type { Claim, ExperimentResult } from '../exportFile';
import { judged, paperClaim } from '../lessons/paperClaims';
import type { Experiment, Table } from './common';

const METHODS: ClassMethod[] = ['ce', 'dul', 'rul', 'alum'];
const pct = (v: number) => 100 * v;
const pm = (values: number[]) => {
  const { mean, sd } = meanSd(values.map(pct));
  return `${mean.toFixed(1)} ± ${sd.toFixed(1)}`;
};

export const alumToy: Experiment = {
  id: 'alum-toy',
  title: 'ALUM Tables 1 and 3, 2-D analogue: label noise on moons and spirals',
  ownSeeds:
    'five seeds inside one run (tfjs: the CPU trainer covers regression only); the claims compare means over them',
  async run({ quick, seed, onProgress }) {
    const datasets = quick ? (['moons'] as const) : (['moons', 'spirals'] as const);
    const rates = quick ? [0, 0.3] : [0, 0.1, 0.2, 0.3];
    const seeds = quick ? 1 : 5;
    const steps = quick ? 150 : 600;
    const n = quick ? 200 : 400;
    const train: ClassTrainSettings = { ...DEFAULT_CLASS_TRAIN, batchSize: 64 };
    // acc[dataset][rate][method] = per-seed test accuracies; rej[…] = per-seed rejection curves.
    const acc = new Map<string, number[]>();
    const rej = new Map<string, number[][]>();
    const aurocs = new Map<string, number[]>();
    const key = (d: string, r: number, m: string) => `${d}|${r}|${m}`;
    const results: ExperimentResult[] = [];
    const total = datasets.length * rates.length * seeds;
    let done = 0;
    for (const dataset of datasets) {
      for (const rate of rates) {
        for (let s = 0; s < seeds; s++) {
          const runSeed = seed * 100 + s;
          const spec: ClassDataSpec = {
            dataset,
            classes: 2,
            n,
            noise: dataset === 'spirals' ? 0.05 : 0.1,
            flipRate: rate,
            flipKind: 'symmetric',
            seed: runSeed,
            testN: 1000,
          };
          const engine = new ClassifyEngine(
            makeClassData(spec),
            METHODS.map((m) => classModel(m)),
            { ...train, seed: runSeed },
          );
          for (let t = 0; t < steps; t += 100) {
            engine.run(Math.min(100, steps - t));
            onProgress?.((done + (t + 100) / steps) / total);
            await new Promise((r) => setTimeout(r, 0));
          }
          const snap = await engine.frame(false);
          engine.dispose();
          snap.models.forEach((m) => {
            const k = key(dataset, rate, m.method);
            acc.set(k, [...(acc.get(k) ?? []), m.metrics.testAccuracy]);
            rej.set(k, [...(rej.get(k) ?? []), m.metrics.rejection]);
            if (rate > 0) aurocs.set(k, [...(aurocs.get(k) ?? []), m.metrics.flippedAuroc]);
            results.push({
              loss: m.method,
              params: {},
              condition: { dataset, flipRate: rate, seed: runSeed },
              metrics: {
                testAccuracy: m.metrics.testAccuracy,
                flippedAuroc: m.metrics.flippedAuroc,
                ...Object.fromEntries(m.metrics.rejection.map((v, i) => [`reject${i * 10}`, v])),
              },
            });
          });
          done++;
        }
      }
    }
    const mean = (k: string) => meanSd(acc.get(k)!).mean;
    const meanRej = (k: string) => [0, 1, 2, 3].map((i) => meanSd(rej.get(k)!.map((r) => r[i])).mean);
    const tables: Table[] = [
      {
        caption: `Clean-test accuracy (%), mean ± sd over ${seeds} seed(s) (paper, Table 1: ALUM above the best other method by +0.43 to +2.85 points)`,
        header: ['data', 'flipped', ...METHODS.map((m) => METHOD_NAMES[m])],
        rows: datasets.flatMap((d) =>
          rates.map((r) => [d, `${Math.round(r * 100)} %`, ...METHODS.map((m) => pm(acc.get(key(d, r, m))!))]),
        ),
      },
      {
        caption:
          'Accuracy (%) after rejecting 0 / 10 / 20 / 30 % of the test points, most uncertain first (σ for DUL, RUL, ALUM; predictive entropy for CE), mean over seeds (paper, Table 3: accuracy rises with rejection, ALUM highest)',
        header: ['data', 'flipped', ...METHODS.map((m) => METHOD_NAMES[m])],
        rows: datasets.flatMap((d) =>
          rates.map((r) => [
            d,
            `${Math.round(r * 100)} %`,
            ...METHODS.map((m) =>
              meanRej(key(d, r, m))
                .map((v) => pct(v).toFixed(1))
                .join(' / '),
            ),
          ]),
        ),
      },
    ];
    if (aurocs.size) {
      tables.push({
        caption:
          'AUROC of the uncertainty score separating flipped from clean training points, mean over seeds (0.5 = chance; not in the paper)',
        header: ['data', 'flipped', ...METHODS.map((m) => METHOD_NAMES[m])],
        rows: datasets.flatMap((d) =>
          rates
            .filter((r) => r > 0)
            .map((r) => [
              d,
              `${Math.round(r * 100)} %`,
              ...METHODS.map((m) => meanSd(aurocs.get(key(d, r, m))!).mean.toFixed(3)),
            ]),
        ),
      });
    }
    const claims: Claim[] = datasets.flatMap((d): Claim[] => {
      const noisy = rates.filter((r) => r > 0);
      const margins = noisy.map((r) =>
        pct(mean(key(d, r, 'alum')) - Math.max(...METHODS.filter((m) => m !== 'alum').map((m) => mean(key(d, r, m))))),
      );
      const alumRej = rates.map((r) => meanRej(key(d, r, 'alum')));
      const rising = alumRej.every((c) => c[3] >= c[0]);
      return [
        judged(
          'alum-toy/margin',
          `${margins.map((v) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`).join(', ')} at ${noisy.map((r) => `${Math.round(r * 100)} %`).join(', ')}`,
          margins.every((v) => v > paperClaim('alum-toy/margin').thresholds.minMargin),
          `${d}: `,
        ),
        judged(
          'alum-toy/rejection',
          alumRej.map((c) => `${pct(c[0]).toFixed(1)} → ${pct(c[3]).toFixed(1)}`).join('; '),
          rising,
          `${d}: `,
        ),
      ];
    });
    return {
      id: this.id,
      title: this.title,
      settings: `${datasets.join(' and ')} (input noise 0.1 / 0.05), N = ${n} training points with symmetric flips, 1000 clean test points; 2 → ${train.hidden.join(' → ')} (ReLU) → μ, log σ² ∈ R² → W; Adam lr ${train.learningRate}, batch ${train.batchSize}, ${steps} steps; ${seeds} seed(s); ALUM: faithful compensation p = 0.5, mining p = 0.2 (hardest positive = most distant), λ = 0.003, margin 1; DUL-style KL weight 0.01`,
      results,
      claims,
      tables,
      json: JSON.stringify({ kind: 'classification-experiment', id: this.id, results, claims, tables }, null, 1),
    };
  },
};
