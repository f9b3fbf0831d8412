// Proper scores side by side (issue 26): ranks per rule and where two rules disagree.
import { describe, expect, it } from 'vitest';
import { rankByScores, ranksOf } from '../../src/core/scoreRanks';

describe('ranking by proper scores', () => {
  it('ranks lower first, ties sharing the smaller rank, NaN after +∞', () => {
    expect(ranksOf([0.3, 0.1, 0.3, Infinity, NaN])).toEqual([2, 1, 2, 4, 5]);
  });
  it('marks the models two rules rank differently and counts the discordant pairs', () => {
    const r = rankByScores([
      { nll: 1, crps: 0.2, intervalScore95: 2, dss: 1 },
      { nll: 5, crps: 0.1, intervalScore95: 1, dss: 4 },
      { nll: 9, crps: 0.9, intervalScore95: 8, dss: 9 },
    ]);
    expect(r.ranks.nll).toEqual([1, 2, 3]);
    expect(r.ranks.crps).toEqual([2, 1, 3]);
    expect(r.disputed).toEqual([true, true, false]);
    expect(r.disagreements).toEqual([
      { a: 'nll', b: 'crps', discordant: 1 },
      { a: 'nll', b: 'intervalScore95', discordant: 1 },
      { a: 'crps', b: 'dss', discordant: 1 },
      { a: 'intervalScore95', b: 'dss', discordant: 1 },
    ]);
  });
  it('finds no disagreement when every rule orders the models alike', () => {
    const r = rankByScores([
      { nll: 1, crps: 1, intervalScore95: 1, dss: 1 },
      { nll: 2, crps: 2, intervalScore95: 2, dss: 2 },
    ]);
    expect(r.disputed).toEqual([false, false]);
    expect(r.disagreements).toEqual([]);
  });
});
