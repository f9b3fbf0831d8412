// Claims are data with a version: every lesson claim and paper claim is pinned by fingerprint, so changing a
// threshold, a step budget or a recipe fails here until the ledger gets a new version (a commit of its own).
import { describe, expect, it } from 'vitest';
import { claimConfig, LESSONS } from '../../src/app/lessons';
import { PAPER_CLAIMS } from '../../src/core/lessons/paperClaims';
import {
  fingerprint,
  heldOutSeeds,
  LESSON_CLAIM_VERSIONS,
  PAPER_CLAIM_VERSIONS,
} from '../../src/core/lessons/versions';

describe('claim versions', () => {
  it('every lesson claim matches its pinned fingerprint', () => {
    for (const l of LESSONS) {
      const pinned = LESSON_CLAIM_VERSIONS[l.id];
      expect(pinned, `lesson ${l.id} has no version entry`).toBeDefined();
      expect(
        fingerprint({ claim: l.claim, config: claimConfig(l) }),
        `lesson ${l.id}'s claim or recipe changed without a new version`,
      ).toBe(pinned.fingerprint);
    }
    expect(Object.keys(LESSON_CLAIM_VERSIONS).sort()).toEqual(LESSONS.map((l) => l.id).sort());
  });

  it('every paper claim matches its pinned fingerprint, and ids are unique', () => {
    for (const c of PAPER_CLAIMS)
      expect(fingerprint(c), `paper claim ${c.id} changed without a new version`).toBe(
        PAPER_CLAIM_VERSIONS[c.id]?.fingerprint,
      );
    expect(new Set(PAPER_CLAIMS.map((c) => c.id)).size).toBe(PAPER_CLAIMS.length);
    expect(Object.keys(PAPER_CLAIM_VERSIONS).sort()).toEqual(PAPER_CLAIMS.map((c) => c.id).sort());
  });

  it('a changed threshold changes the fingerprint; key order does not', () => {
    const c = PAPER_CLAIMS.find((x) => x.id === 'beta-nll-fig1/nll-stuck')!;
    expect(fingerprint({ ...c, thresholds: { nllAbove: 0.11 } })).not.toBe(fingerprint(c));
    expect(fingerprint({ b: 1, a: [2, Infinity] })).toBe(fingerprint({ a: [2, Infinity], b: 1 }));
    expect(fingerprint({ a: Infinity })).not.toBe(fingerprint({ a: null }));
  });

  it('held-out seeds are the seeds a claim was not set on', () => {
    expect(heldOutSeeds('nll-vs-outliers', [0, 1, 2, 3, 4, 5, 6, 7])).toEqual([3, 4, 5, 6, 7]);
  });
});
