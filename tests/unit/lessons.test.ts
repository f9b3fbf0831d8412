// Lessons' claims: every lesson declares one on models it has; the judge reads the figures right; the
// runner trains headless (WASM) and judges a real, short claim.
import { beforeAll, describe, expect, it } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';
import { LESSONS, claimConfig, findLesson } from '../../src/app/lessons';
import { evaluateClaim, runClaim, seededConfig, type Condition } from '../../src/core/lessons/claims';
import { runConfigSchema, toJson } from '../../src/core/schema';

beforeAll(async () => {
  expect(await useNodeBackend('wasm')).toBe('wasm');
});

describe('lesson claims', () => {
  it('every lesson declares a claim with a budget, on models and metrics it has, and its config passes the schema', () => {
    for (const l of LESSONS) {
      expect(l.claim.statement.length, l.id).toBeGreaterThan(10);
      expect(l.claim.steps, l.id).toBeGreaterThan(0);
      expect(l.claim.conditions.length, l.id).toBeGreaterThan(0);
      // A sweep lesson's claim is on its cells (claimConfig): share and median conditions name them.
      const ids = new Set(claimConfig(l).models.map((m) => m.id));
      for (const c of l.claim.conditions) {
        if (c.kind === 'share')
          expect(
            c.pairs.flat().every((id) => ids.has(id)),
            `${l.id}: ${c.id}`,
          ).toBe(true);
        else if (c.kind === 'median')
          expect(
            [...c.ids, ...c.than].every((id) => ids.has(id)),
            `${l.id}: ${c.id}`,
          ).toBe(true);
        else expect(ids.has(c.id), `${l.id}: ${c.id}`).toBe(true);
        if (c.kind === 'below') expect(ids.has(c.than), `${l.id}: ${c.than}`).toBe(true);
      }
      expect(runConfigSchema.safeParse(JSON.parse(toJson(l.config))).success, l.id).toBe(true);
    }
  });

  it('judges bounds and comparisons, failing on missing models and non-finite figures', () => {
    const metrics = {
      m1: { rmse: 0.2, sigmaError: 0.1, nll: 1, minGradWeight: 1 },
      m2: { rmse: 0.03, sigmaError: NaN, nll: 0, minGradWeight: -0.5 },
    };
    const conds: Condition[] = [
      { kind: 'bound', id: 'm2', metric: 'rmse', max: 0.05 },
      { kind: 'bound', id: 'm1', metric: 'rmse', min: 0.15 },
      { kind: 'bound', id: 'm1', metric: 'rmse', min: 0.25 },
      { kind: 'below', id: 'm2', than: 'm1', metric: 'rmse' },
      { kind: 'below', id: 'm1', than: 'm2', metric: 'rmse', factor: 5 },
      { kind: 'bound', id: 'm2', metric: 'sigmaError', max: 1 },
      { kind: 'bound', id: 'm9', metric: 'rmse', max: 1 },
    ];
    expect(evaluateClaim(conds, metrics).map((r) => r.holds)).toEqual([true, true, false, true, false, false, false]);
    expect(evaluateClaim(conds, metrics)[4].text).toBe("m1 rmse 0.200 ≤ 5 × m2's 0.030");
    // A condition for one seed only is judged there and skipped (holding) elsewhere.
    const once: Condition = { kind: 'bound', id: 'm2', metric: 'minGradWeight', min: 0, onlySeed: 0 };
    expect(evaluateClaim([once], metrics, 0)[0]).toMatchObject({ holds: false, value: -0.5 });
    expect(evaluateClaim([once], metrics, 1)[0]).toMatchObject({ holds: true, skipped: true });
    expect(evaluateClaim([once], metrics, 1)[0].text).toMatch(/^\(seed 0 only\)/);
  });

  it('seed 0 is the lesson as written; other seeds move the data, init and batch seeds', () => {
    const c = findLesson('nll-pitfall')!.config;
    expect(seededConfig(c, 0)).toBe(c);
    const s = seededConfig(c, 2);
    expect(s.data.seed).toBe(c.data.seed + 2);
    expect(s.train.batchSeed).toBe(c.train.batchSeed + 2);
    expect(s.models.map((m) => m.initSeed)).toEqual(c.models.map((m) => m.initSeed + 2000));
    expect(s.train.architecture).toEqual(c.train.architecture);
  });

  it('runs a claim headless: a tiny budget reports its figures; Barron’s line holds within 250 steps', async () => {
    const pitfall = findLesson('nll-pitfall')!;
    const tiny = await runClaim(pitfall.config, pitfall.claim, { steps: 3, chunk: 1 });
    expect(tiny.steps).toBe(3);
    expect(Object.keys(tiny.metrics)).toEqual(['m1', 'm2', 'm3']);
    // Three steps fit nothing: MSE is still far from the sine, so the claim does not hold.
    expect(tiny.holds).toBe(false);
    expect(tiny.conditions[0].holds).toBe(false);

    // A linear model on 5 stacked losses: Cauchy is ahead of L2 within 250 steps (L2 0.015, Cauchy 0.004 at seed 0).
    const line = findLesson('barron-line')!;
    const r = await runClaim(line.config, line.claim, { steps: 250 });
    expect(r.conditions.map((c) => c.text).join('; ')).toMatch(/m3 rmse/);
    expect(r.holds).toBe(true);
  }, 60_000);
});
