// The classification lessons' claims as data: every condition names a model of its lesson, seeds move the data and
// training seeds, a tiny budget reports every model's figures and judges both ways; old files lack the readings'
// switches and open with the printed defaults.
import { describe, expect, it } from 'vitest';
import { CLASS_LESSONS } from '../../src/app/classify/lessons';
import { CLASS_CLAIM_METRICS, runClassClaim, seededClassConfig } from '../../src/core/classify/claims';
import { classJson, parseClassConfig } from '../../src/core/classify/schema';

describe('classification lesson claims', () => {
  it("every condition names one of its lesson's models and a known metric; budgets are positive", () => {
    for (const l of CLASS_LESSONS) {
      const ids = l.config.models.map((m) => m.id);
      expect(l.claim.steps).toBeGreaterThan(0);
      expect(l.claim.statement).not.toBe('TBD');
      for (const c of l.claim.conditions) {
        expect(ids).toContain(c.id);
        if (c.kind === 'below') expect(ids).toContain(c.than);
        expect(CLASS_CLAIM_METRICS).toContain(c.metric);
      }
    }
  });

  it('seed 0 is the lesson as written; seed s moves the data and training seeds by s', () => {
    const cfg = CLASS_LESSONS[0].config;
    expect(seededClassConfig(cfg, 0)).toBe(cfg);
    const s2 = seededClassConfig(cfg, 2);
    expect(s2.data.seed).toBe(cfg.data.seed + 2);
    expect(s2.train.seed).toBe(cfg.train.seed + 2);
    expect(s2.models).toEqual(cfg.models);
  });

  it('a tiny budget reports every model and judges: an impossible bound fails, a trivial one holds', async () => {
    const lesson = CLASS_LESSONS[0];
    const config = {
      ...lesson.config,
      data: { ...lesson.config.data, n: 200 },
      train: { ...lesson.config.train, hidden: [8] },
    };
    const claim = {
      statement: 's',
      steps: 3,
      conditions: [
        { kind: 'bound' as const, id: 'ce', metric: 'testAccuracy' as const, min: 0 },
        { kind: 'bound' as const, id: 'alum', metric: 'testError' as const, max: -0.1 },
      ],
    };
    const r = await runClassClaim(config, claim, { seed: 1 });
    expect(Object.keys(r.metrics)).toEqual(config.models.map((m) => m.id));
    expect(r.metrics.ce.testAccuracy + r.metrics.ce.testError).toBeCloseTo(1, 9);
    expect(r.conditions.map((c) => c.holds)).toEqual([true, false]);
    expect(r.holds).toBe(false);
  });
});

describe("files and links from before the readings' switches", () => {
  it('open with the printed readings (σ, plain sum, L_T sum)', () => {
    const raw = JSON.parse(classJson(CLASS_LESSONS[1].config));
    raw.models.forEach((m: Record<string, unknown>) =>
      ['mixBy', 'weightedCe', 'tripletMean'].forEach((k) => delete m[k]),
    );
    const r = parseClassConfig(raw);
    if ('error' in r) throw new Error(r.error);
    r.config.models.forEach((m) => expect([m.mixBy, m.weightedCe, m.tripletMean]).toEqual(['std', false, false]));
    expect('error' in parseClassConfig({ ...raw, models: [{ ...raw.models[0], mixBy: 'cube' }] })).toBe(true);
  });
});
