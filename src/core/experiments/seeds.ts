// An experiment run on many seeds (each a full replicate: data, initial weights and batch order all moved) and
// its claims judged as rates: per claim, on which seeds it held, k of n with Wilson's interval, and the verdict
// words that follow from the rate (src/core/lessons/rates.ts). Every per-seed figure stays in the record.
import type { Claim, ExperimentResult } from '../exportFile';
import { PAPER_CLAIMS } from '../lessons/paperClaims';
import { rateOf, verdictOf, verdictText, type Rate, type Verdict } from '../lessons/rates';
import { claimVersion } from '../lessons/versions';
import { calibrationOf, type ModelCalibration } from '../lessons/record';
import type { Experiment, ExperimentOptions, ExperimentReport, Table } from './common';

export type { ModelCalibration };

export interface SeedRun {
  seed: number;
  seconds: number;
  claims: Claim[];
  tables: Table[];
  results: ExperimentResult[];
  /** Per model of the seed's representative run (mean-only models have none). */
  calibration: ModelCalibration[];
}

export interface ClaimRate {
  id: string;
  claim: string;
  paper: string;
  /** The claim data's version it was judged with (src/core/lessons/versions.ts). */
  version: number;
  rate: Rate;
  verdict: Verdict;
  /** Generated from `rate`: e.g. "reproduces: holds on 15 of 16 seeds (95 % interval 70–100 %)". */
  verdictText: string;
  perSeed: { seed: number; agrees: boolean; ours: string | number }[];
}

/** Claims matched across seeds by id and text (one id may judge several conditions, e.g. per data set). */
export function claimRates(runs: SeedRun[]): ClaimRate[] {
  const keyed = new Map<string, ClaimRate>();
  for (const run of runs) {
    for (const c of run.claims) {
      const key = `${c.id ?? ''}|${c.claim}`;
      let entry = keyed.get(key);
      if (!entry) {
        const id = c.id ?? c.claim;
        entry = {
          id,
          claim: c.claim,
          paper: String(c.paper),
          version: PAPER_CLAIMS.some((p) => p.id === id) ? claimVersion(id) : 0,
          rate: rateOf([]),
          verdict: 'untested',
          verdictText: '',
          perSeed: [],
        };
        keyed.set(key, entry);
      }
      entry.perSeed.push({ seed: run.seed, agrees: c.agrees, ours: c.ours });
    }
  }
  return [...keyed.values()].map((e) => {
    const rate = rateOf(e.perSeed.map((s) => s.agrees));
    return { ...e, rate, verdict: verdictOf(rate), verdictText: verdictText(rate) };
  });
}

/** Runs `exp` on each seed in turn; the last seed's report is kept whole (the file the explorer opens). */
export async function runOverSeeds(
  exp: Experiment,
  seeds: number[],
  options: Omit<ExperimentOptions, 'seed'>,
  onSeed?: (run: SeedRun) => void,
): Promise<{ runs: SeedRun[]; claims: ClaimRate[]; last: ExperimentReport }> {
  const runs: SeedRun[] = [];
  let last: ExperimentReport | null = null;
  for (const [i, seed] of seeds.entries()) {
    const started = performance.now();
    const report = await exp.run({ ...options, seed, onProgress: (d) => options.onProgress?.((i + d) / seeds.length) });
    const run: SeedRun = {
      seed,
      seconds: (performance.now() - started) / 1000,
      claims: report.claims,
      tables: report.tables,
      results: report.results,
      calibration: calibrationOf(report.snapshot),
    };
    runs.push(run);
    onSeed?.(run);
    last = report;
  }
  return { runs, claims: claimRates(runs), last: last! };
}
