// The lesson progress line: the claim `npm run lessons` checks, judged on the page's snapshots; never during
// the warm-up; its words; and what a learner changed in the lesson's setup.
import { describe, expect, it } from 'vitest';

/** The words with their narrow no-break spaces read as spaces. */
const plain = <T extends { line: string; verdict: string; details: string[] }>(w: T) => ({
  line: w.line.replace(/\u202f/g, ' '),
  verdict: w.verdict.replace(/\u202f/g, ' '),
  details: w.details,
});
import { findLesson, LESSONS } from '../../src/app/lessons';
import type { Snapshot } from '../../src/core/engine';
import { claimMetricsOf } from '../../src/core/lessons/claims';
import {
  claimProgress,
  claimWarmupEnd,
  conditionIds,
  conditionWords,
  duration,
  figure,
  judgeProgress,
  knownWords,
  metricWords,
  progressWords,
} from '../../src/core/lessons/progress';
import type { Condition } from '../../src/core/lessons/judge';
import { CLASS_LESSONS } from '../../src/app/classify/lessons';
import { setupChanges } from '../../src/core/lessons/setup';
import type { Phase } from '../../src/core/state';

/** A snapshot of the linear lesson's four models at `step`, with these RMSEs, all in `phase`. */
function snap(step: number, rmse: number[], phase: Phase = 2, gradWeight = [1, 0.5]): Snapshot {
  return {
    step,
    backend: 'test',
    grid: new Float32Array([0, 1]),
    truthMean: null,
    truthStd: null,
    models: rmse.map((r, k) => ({
      id: `m${k + 1}`,
      phase,
      steps: step,
      metrics: { rmse: r, sigmaError: NaN, nll: NaN },
      gradWeight: new Float32Array(gradWeight),
      uncertainty: null,
    })),
  } as unknown as Snapshot;
}

const linear = findLesson('linear-outliers')!;
const name = (id: string) => `model ${id.slice(1)}`;

describe('lesson progress', () => {
  it('reads a snapshot as runClaim does: fit metrics, the smallest gradient weight', () => {
    const m = claimMetricsOf(snap(10, [0.3, 0.01, 0.2, 0.02], 2, [1, -0.25, 2]), [0, 1]);
    expect(m.m2).toMatchObject({ rmse: 0.01, minGradWeight: -0.25 });
    expect(Number.isNaN(m.m1.epistemicRatio)).toBe(true);
  });

  it('says where the claim shows and how long it takes at the current speed', () => {
    const p = claimProgress({
      claim: linear.claim,
      config: linear.config,
      step: 500,
      stepsPerSecond: 100,
      judged: null,
      xs: [],
    });
    expect(p).toMatchObject({ target: 2000, fraction: 0.25, secondsToGo: 15, verdict: 'waiting' });
    expect(plain(progressWords(p, name)).line).toBe(
      'the claim shows by step 2 000 — now at step 500 (about 15 s to go at the current speed)',
    );
    // No speed yet (the first frame): no estimate rather than a wrong one.
    expect(
      claimProgress({ claim: linear.claim, config: linear.config, step: 0, stepsPerSecond: 0, judged: null, xs: [] })
        .secondsToGo,
    ).toBeNull();
  });

  it('does not judge while a model the claim reads is in its warm-up, whatever the figures', () => {
    // Within the warm-up every model fits the mean alone: the pairs are equal and the claim would fail for nothing.
    const p = claimProgress({
      claim: linear.claim,
      config: linear.config,
      step: 300,
      stepsPerSecond: 10,
      judged: snap(300, [0.3, 0.01, 0.3, 0.01], 1),
      xs: [],
    });
    expect(p.verdict).toBe('warm-up');
    expect(p.results).toEqual([]);
    expect(claimWarmupEnd(linear.claim, linear.config)).toBe(400);
    expect(plain(progressWords(p, name)).verdict).toMatch(/warm-up.*until step 400/);
  });

  it('shows the claim once every condition holds, "not yet" before its step, "not shown" after', () => {
    const shown = claimProgress({
      claim: linear.claim,
      config: linear.config,
      step: 900,
      stepsPerSecond: 10,
      judged: snap(880, [0.3, 0.01, 0.3, 0.02]),
      xs: [],
    });
    expect(shown.verdict).toBe('shown');
    const words = plain(progressWords(shown, name));
    expect(words.verdict).toBe('✓ shown (step 880)');
    expect(words.details[0]).toBe('✓ RMSE of model 2 0.01 (wanted ≤ 0.05)');
    expect(words.details[2]).toBe('✓ RMSE of model 2 0.01 ≤ 0.5 × model 1’s 0.3');
    const early = claimProgress({
      claim: linear.claim,
      config: linear.config,
      step: 900,
      stepsPerSecond: 10,
      judged: snap(880, [0.3, 0.2, 0.3, 0.02]),
      xs: [],
    });
    expect(early.verdict).toBe('not-yet');
    expect(progressWords(early, name).details[0]).toMatch(/^✗ RMSE of model 2 0.2/);
    const late = claimProgress({
      claim: linear.claim,
      config: linear.config,
      step: 2100,
      stepsPerSecond: 10,
      judged: snap(2050, [0.3, 0.2, 0.3, 0.02]),
      xs: [],
    });
    expect(late.verdict).toBe('not-shown');
    expect(late.secondsToGo).toBeNull();
    expect(plain(progressWords(late, name)).line).toBe('the claim is about step 2 000 — now at step 2 100');
    // Past its step, the reading at the claim's step is kept apart from the one now.
    expect(plain(progressWords(late, name, { step: 2010, holds: true })).verdict).toBe(
      '✓ shown at step 2 010; now ✗ not shown (step 2 050)',
    );
    expect(plain(progressWords(late, name, { step: 2010, holds: false })).verdict).toBe(
      '✗ not shown at step 2 010, and still at step 2 050',
    );
  });

  it('names every condition of every lesson in words, without ids or raw metric keys', () => {
    for (const l of LESSONS) {
      const results = l.claim.conditions.map((condition) => ({
        condition,
        value: 0.5,
        other: 1,
        holds: true,
        text: '',
      }));
      for (const r of results)
        expect(conditionWords(r, name), l.id).not.toMatch(/heldOut\.|sigmaError|minGradWeight|epistemicRatio|\bm\d\b/);
    }
  });

  it('judges a classification lesson the same way, on its own figures, in words', () => {
    for (const l of CLASS_LESSONS) {
      const conditions = l.claim.conditions as unknown as Condition[];
      const ids = [...new Set(conditions.flatMap(conditionIds))];
      const metrics = Object.fromEntries(
        ids.map((id) => [
          id,
          { testAccuracy: 0.9, testError: 0.1, flippedAuroc: 0.8, reject30: 0.95, rejectGain: 0.05 },
        ]),
      );
      const p = judgeProgress({
        claim: { steps: l.claim.steps, conditions },
        step: 10,
        stepsPerSecond: 5,
        warmupEnd: 0,
        judged: { step: 10, warming: false, metrics: () => metrics },
      });
      expect(p.results.length, l.id).toBe(conditions.length);
      for (const d of progressWords(p, name).details)
        expect(d, l.id).not.toMatch(/testAccuracy|testError|flippedAuroc|reject30|rejectGain/);
    }
  });

  it('writes durations as a learner reads them', () => {
    expect([duration(0.2), duration(45), duration(600), duration(9000)]).toEqual(['1 s', '45 s', '10 min', '2.5 h']);
  });
});

describe('setup changes', () => {
  it('is empty for the lesson as written and names each change otherwise', () => {
    const l = findLesson('nll-vs-outliers')!;
    expect(setupChanges(l.config, l.config)).toEqual([]);
    const now = {
      ...l.config,
      data: { ...l.config.data, outlierRate: 0 },
      models: l.config.models.map((m) => (m.id === 'm4' ? { ...m, T: 0.5 } : m)),
    };
    expect(setupChanges(l.config, now)).toEqual(['outlier rate 25 % → 0 %', 'model 4: T 16 → 0.5']);
    const fewer = {
      ...l.config,
      models: [...l.config.models.slice(0, 3), { ...l.config.models[0], id: 'm9', loss: 'mse' }],
    };
    expect(setupChanges(l.config, fewer)).toEqual(['model 4 (Robust-NLL) removed', 'a model added']);
    expect(setupChanges(l.config, l.config, true)).toEqual(['your own data replaces the lesson’s']);
    expect(
      setupChanges(l.config, { ...l.config, models: l.config.models.map((m) => ({ ...m, T: Infinity })) }),
    ).toContain('model 4: T 16 → ∞');
  });
});

describe('claim metrics in words', () => {
  it('every metric a lesson claims is named in words, never by its identifier', () => {
    const metrics = new Set(
      [...LESSONS, ...CLASS_LESSONS].flatMap((l) => l.claim.conditions.map((c) => String(c.metric))),
    );
    expect(metrics.size).toBeGreaterThan(10);
    for (const m of metrics) expect(knownWords(m), `${m} has no words`).not.toBeNull();
    expect(knownWords('heldOut.ece')).toBeNull();
    expect(metricWords('heldOut.ece')).toBe('held-out ece');
    expect(figure('sigmaError', 0.776)).toBe('0.78');
    expect(figure('testError', 0.1234)).toBe('12.3 %');
    expect(metricWords('posthoc.qOverLearned')).toBe('post-hoc: q̂ ÷ the learned band’s multiplier');
    expect(metricWords('recalibrated.heldOut.coverage2')).toBe('recalibrated held-out share inside ±2σ');
  });
});
