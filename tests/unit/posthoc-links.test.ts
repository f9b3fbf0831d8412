// Post-hoc settings travel in links and files (issue 26): optional in schema v2 (old links and files open with
// them off), bounded with the catalogue's messages, and round-tripped exactly.
import { describe, expect, it } from 'vitest';
import { runConfigSchema, toJson } from '../../src/core/schema';
import { LESSONS } from '../../src/app/lessons';
import { parseHash, toHash } from '../../src/app/urlState';
import { DEFAULT_POSTHOC } from '../../src/core/posthoc';
import { calibrationShareOutOfRange, conformalInfinite, levelOutOfRange } from '../../src/core/messages';
import type { RunConfig } from '../../src/core/config';

const base = LESSONS[0].config;
const withPosthoc = (p: object): RunConfig => ({
  ...base,
  train: { ...base.train, posthoc: { ...DEFAULT_POSTHOC, ...p } },
});

describe('post-hoc settings in links and files', () => {
  it('round-trip through a link exactly', () => {
    const config = withPosthoc({
      share: 0.35,
      seed: 7,
      level: 0.8,
      score: 'abs',
      recalibration: 'isotonic',
      calibration: 'clean',
    });
    const back = parseHash(toHash({ config, lessonId: null }));
    expect(back.error).toBeNull();
    expect(back.config.train.posthoc).toEqual(config.train.posthoc);
  });
  it('are absent from a configuration made before them, which stays valid and off', () => {
    const parsed = runConfigSchema.parse(JSON.parse(toJson(base)));
    expect(parsed.train.posthoc).toBeUndefined();
  });
  it('are refused outside their bounds, naming the value with the catalogue’s message', () => {
    const issue = (p: object) => runConfigSchema.safeParse(JSON.parse(toJson(withPosthoc(p)))).error?.issues[0].message;
    expect(issue({ share: 0.05 })).toBe(calibrationShareOutOfRange(0.05));
    expect(issue({ share: 0.6 })).toBe(calibrationShareOutOfRange(0.6));
    expect(issue({ level: 1 })).toBe(levelOutOfRange(1));
    expect(issue({ level: 0.3 })).toBe(levelOutOfRange(0.3));
    expect(issue({ seed: 1.5 })).toMatch(/whole number/);
    expect(issue({ score: 'squared' })).toBeTruthy();
    expect(issue({ recalibration: 'platt' })).toBeTruthy();
    expect(
      runConfigSchema.safeParse({
        ...JSON.parse(toJson(base)),
        train: { ...JSON.parse(toJson(base.train)), posthoc: { ...DEFAULT_POSTHOC, level: null } },
      }).success,
    ).toBe(false);
  });
  it('say the infinite-interval guard in words', () => {
    expect(conformalInfinite(5, 0.9, 6, 9)).toBe(
      'the conformal band is infinite: 5 calibration points are too few for 90 % (k = ⌈(n + 1)(1 − α)⌉ = 6 > n = 5: no score is large enough); 9 points or a lower level make it finite',
    );
  });
});
