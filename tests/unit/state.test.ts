// The training state's pure edits: a new list of models keeps, copies or starts each model's state by id.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN, modelSpec, withIds } from '../../src/core/config';
import { freshModelState, freshState, restackState, stateFromRows } from '../../src/core/state';

const ARCH = { ...DEFAULT_TRAIN.architecture, hidden: [3] };

describe('training state', () => {
  it('restacks by id: kept models keep their state, a copy is its own array under the new id, new ids start fresh', () => {
    const specs = withIds([modelSpec('nll'), modelSpec('mse')]);
    const s = freshState(ARCH, specs);
    s.step = 7;
    s.models[0] = { ...s.models[0], params: s.models[0].params.map((v) => v + 1), t: 5, steps: 5 };
    const next = withIds([
      specs[1],
      specs[0],
      modelSpec('robust-nll', { id: 'm3' }),
      modelSpec('nll', { id: 'm4', initSeed: 9 }),
    ]);
    const r = restackState(s, next, ARCH, { m3: 'm1' });
    expect(r.step).toBe(7);
    expect(r.models.map((m) => m.id)).toEqual(['m2', 'm1', 'm3', 'm4']);
    expect(r.models[1]).toBe(s.models[0]);
    expect(Array.from(r.models[2].params)).toEqual(Array.from(s.models[0].params));
    expect(r.models[2].params).not.toBe(s.models[0].params);
    expect(r.models[2].t).toBe(5);
    expect(Array.from(r.models[3].params)).toEqual(Array.from(freshModelState(ARCH, next[3]).params));
    expect(() => restackState(s, next, ARCH, { m3: 'gone' })).toThrow(/no model "gone" to copy/);
  });

  it('reads a device row as θ | m | v | τ with the host counters beside it', () => {
    const row = Float32Array.from([1, 2, 3, 4, 5, 6, 7]);
    const s = stateFromRows([row], 2, { step: 3, ids: ['a'], t: [4], steps: [5], tauCount: [6], diverged: [null] });
    expect([
      Array.from(s.models[0].params),
      Array.from(s.models[0].m),
      Array.from(s.models[0].v),
      s.models[0].tau,
    ]).toEqual([[1, 2], [3, 4], [5, 6], 7]);
    expect([
      s.step,
      s.models[0].id,
      s.models[0].t,
      s.models[0].steps,
      s.models[0].tauCount,
      s.models[0].diverged,
    ]).toEqual([3, 'a', 4, 5, 6, null]);
  });
});
