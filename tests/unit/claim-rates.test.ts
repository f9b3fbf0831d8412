// Claims judged per seed turn into rates: matched by id and text across seeds, counted, and worded from the count.
import { describe, expect, it } from 'vitest';
import { claimRates, type SeedRun } from '../../src/core/experiments/seeds';

const run = (seed: number, claims: SeedRun['claims']): SeedRun => ({
  seed,
  seconds: 1,
  claims,
  tables: [],
  results: [],
  calibration: [],
});

describe('claim rates over seeds', () => {
  it('counts the seeds where each claim held, keeping one id judged on two data sets apart', () => {
    const runs = [1, 2, 3, 4].map((s) =>
      run(s, [
        { id: 'alum-toy/margin', claim: 'moons: margin', paper: 'p', ours: `${s}`, agrees: s !== 2 },
        { id: 'alum-toy/margin', claim: 'spirals: margin', paper: 'p', ours: `${s}`, agrees: false },
        { id: 'barron-line/robust', claim: 'robust', paper: 'q', ours: 'o', agrees: true },
      ]),
    );
    const rates = claimRates(runs);
    expect(rates.map((r) => [r.claim, r.rate.k, r.rate.n])).toEqual([
      ['moons: margin', 3, 4],
      ['spirals: margin', 0, 4],
      ['robust', 4, 4],
    ]);
    expect(rates[0].perSeed.map((p) => p.agrees)).toEqual([true, false, true, true]);
    expect(rates[1].verdictText).toBe('does not reproduce: holds on none of 4 seeds (95 % interval 0–49 %)');
    expect(rates[0].verdict).toBe('mixed');
    // The claim data's version travels with the verdict.
    expect(rates[2].version).toBe(1);
  });

  it('sixteen seeds decide: 15 of 16 reproduces, 2 of 16 does not', () => {
    const many = (k: number) =>
      claimRates(
        Array.from({ length: 16 }, (_, i) =>
          run(i, [{ id: 'barron-line/robust', claim: 'c', paper: 'p', ours: 'o', agrees: i < k }]),
        ),
      )[0];
    expect(many(15).verdictText).toMatch(/^reproduces: holds on 15 of 16 seeds/);
    expect(many(2).verdictText).toMatch(/^does not reproduce: holds on 2 of 16 seeds/);
  });
});
