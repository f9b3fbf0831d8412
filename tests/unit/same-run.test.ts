// A snapshot is drawn only beside its own run: a new lesson's panels wait for its first frame instead of showing the
// old run's fit under new titles; a live slider change is the same run.
import { describe, expect, it } from 'vitest';
import { findLesson } from '../../src/app/lessons';
import { sameRun } from '../../src/app/sameRun';

describe('sameRun', () => {
  const a = findLesson('nll-vs-outliers')!.config;
  it('keeps a run through live hyperparameters and added models', () => {
    expect(sameRun(null, a)).toBe(true);
    expect(sameRun(a, { ...a, models: a.models.map((m) => ({ ...m, T: 0.5 })) })).toBe(true);
    expect(sameRun(a, { ...a, models: [...a.models, { ...a.models[0], id: 'm9' }] })).toBe(true);
    expect(sameRun(a, { ...a, train: { ...a.train, learningRate: 0.001 } })).toBe(true);
  });
  it('tells another lesson, other data or another network from it', () => {
    expect(sameRun(a, findLesson('no-outliers')!.config)).toBe(false);
    expect(sameRun(a, findLesson('t-too-small')!.config)).toBe(false);
    expect(sameRun(a, { ...a, data: { ...a.data, outlierRate: 0 } })).toBe(false);
    expect(sameRun(a, { ...a, models: a.models.map((m) => (m.id === 'm1' ? { ...m, loss: 'mse' } : m)) })).toBe(false);
  });
});
