// The page's store as pure transitions: undo restores exactly (data included), redo, coalescing, the cap,
// and the worker calls a change of state needs.
import { describe, expect, it } from 'vitest';
import { coalesces, commit, createHistory, HISTORY_CAP, redo, undo, type History } from '../../src/app/store/history';
import { planChanges } from '../../src/app/store/plan';
import { initialRunState, type RunState } from '../../src/app/store/runState';
import { findLesson, LESSONS } from '../../src/app/lessons';
import { parseHash } from '../../src/app/urlState';

const start = initialRunState({ config: LESSONS[0].config, lessonId: LESSONS[0].id, hide: [] });
const csv = {
  points: { x: Float32Array.of(0, 1, 2), y: Float32Array.of(1, 2, 3), isOutlier: Uint8Array.of(0, 0, 1) },
  truth: null,
};
const withModels = (s: RunState, f: (m: RunState['config']['models']) => RunState['config']['models']): RunState => ({
  ...s,
  config: { ...s.config, models: f(s.config.models) },
});
const lesson = (id: string): RunState => ({ ...start, lessonId: id, config: findLesson(id)!.config, selectedId: 'm1' });
type H = History<RunState, string>;

describe('undo and redo', () => {
  it('walk back a lesson switch, a model removal and a CSV to the exact state, and forward again', () => {
    let h: H = createHistory(start);
    const states = [lesson('barron-line')];
    states.push(withModels(states[0], (ms) => ms.filter((m) => m.id !== 'm2')));
    states.push({ ...states[1], userData: csv });
    const labels = ['lesson', 'remove', 'csv'];
    states.forEach(
      (s, i) => (h = commit(h, { state: s, label: labels[i], destructive: true, at: i * 1000, run: `run-${i}` })),
    );
    expect(h.index).toBe(3);
    const back: RunState[] = [];
    const restored: (string | undefined)[] = [];
    for (let i = 0; i < 3; i++) {
      const m = undo(h, `later-${i}`)!;
      h = m.history;
      back.push(h.present.state);
      restored.push(m.restore);
    }
    expect(back).toEqual([states[1], states[0], start]);
    // Each undo crosses a destructive change: the run kept when that change was made comes back.
    expect(restored).toEqual(['run-2', 'run-1', 'run-0']);
    expect(h.present.state.userData).toBeNull();
    expect(undo(h)).toBeNull();
    const fwd = redo(h)!;
    expect(fwd.history.present.state).toEqual(states[0]);
    // The run at the moment of the undo is what redo restores.
    expect(fwd.restore).toBe('later-2');
    h = fwd.history;
    h = redo(h)!.history;
    h = redo(h)!.history;
    expect(h.present.state.userData).toBe(csv);
    expect(redo(h)).toBeNull();
  });

  it('a new change after an undo drops the redo branch', () => {
    let h: H = createHistory(start);
    h = commit(h, { state: lesson('nll-pitfall'), label: 'a', at: 0 });
    h = undo(h)!.history;
    h = commit(h, { state: lesson('barron-line'), label: 'b', at: 10_000 });
    expect(h.future).toEqual([]);
    expect(redo(h)).toBeNull();
  });

  it('a slider drag is one entry; another control or a pause is a new one', () => {
    let h: H = createHistory(start);
    const T = (v: number) => withModels(start, (ms) => ms.map((m) => (m.id === 'm4' ? { ...m, T: v } : m)));
    for (let i = 0; i < 10; i++) h = commit(h, { state: T(10 - i), label: 'T', key: 'model:m4:T', at: i * 100 });
    expect(h.past.length).toBe(1);
    expect(h.present.state.config.models[3].T).toBe(1);
    expect(coalesces(h, { key: 'model:m4:T', at: 2000 })).toBe(false);
    expect(coalesces(h, { key: 'model:m4:beta', at: 950 })).toBe(false);
    // A live control and a destructive one never merge; a destructive drag (a data slider) merges with itself.
    expect(coalesces(h, { key: 'model:m4:T', at: 950, destructive: true })).toBe(false);
    let d: H = commit(createHistory(start), {
      state: lesson('nll-pitfall'),
      label: 'rate',
      key: 'data:outlierRate',
      destructive: true,
      at: 0,
      run: 'before',
    });
    d = commit(d, {
      state: lesson('barron-line'),
      label: 'rate',
      key: 'data:outlierRate',
      destructive: true,
      at: 300,
      run: 'mid-drag',
    });
    expect(d.past.length).toBe(1);
    expect(d.past[0].run).toBe('before');
    h = commit(h, { state: T(0.5), label: 'T', key: 'model:m4:T', at: 2000 });
    expect(h.past.length).toBe(2);
    expect(undo(h)!.history.present.state.config.models[3].T).toBe(1);
  });

  it(`keeps the last ${HISTORY_CAP} steps (at least 20), clicked points included`, () => {
    expect(HISTORY_CAP).toBeGreaterThanOrEqual(20);
    let h: H = createHistory(start);
    const pointsAt = (n: number) => ({
      points: {
        x: Float32Array.from({ length: n }, (_, i) => i),
        y: new Float32Array(n),
        isOutlier: new Uint8Array(n),
      },
      truth: start.config.data,
    });
    for (let n = 3; n < 3 + HISTORY_CAP + 10; n++)
      h = commit(h, { state: { ...start, userData: pointsAt(n) }, label: 'click', at: n * 1000 });
    expect(h.past.length).toBe(HISTORY_CAP);
    let undone = 0;
    for (let m = undo(h); m; m = undo(h)) {
      h = m.history;
      undone++;
    }
    expect(undone).toBe(HISTORY_CAP);
    expect(h.present.state.userData!.points.x.length).toBe(12);
    expect(h.present.state.userData!.truth).toEqual(start.config.data);
  });
});

describe('the worker calls a change needs', () => {
  it('a lesson swap restarts; the user’s own data is put back after it', () => {
    expect(planChanges(start, lesson('barron-line'), false)).toEqual([
      { kind: 'restart', config: findLesson('barron-line')!.config },
    ]);
    const calls = planChanges(lesson('barron-line'), { ...start, userData: csv }, false);
    expect(calls.map((c) => c.kind)).toEqual(['restart', 'setPoints']);
  });

  it('a live hyperparameter is one updateModel with only what changed', () => {
    const next = withModels(start, (ms) => ms.map((m) => (m.id === 'm4' ? { ...m, T: 0.5 } : m)));
    expect(planChanges(start, next, false)).toEqual([{ kind: 'updateModel', id: 'm4', patch: { T: 0.5 } }]);
  });

  it('a removed (or re-added) model is setModels with the ids; data back to generated is setData', () => {
    const fewer = withModels(start, (ms) => ms.slice(0, 3));
    expect(planChanges(fewer, start, false)).toEqual([{ kind: 'setModels', models: start.config.models }]);
    expect(planChanges({ ...start, userData: csv }, start, true)).toEqual([
      { kind: 'setData', spec: start.config.data, keepWeights: true },
    ]);
  });

  it('training settings change first, with only the keys that changed', () => {
    const next = { ...start, config: { ...start.config, train: { ...start.config.train, learningRate: 0.1 } } };
    expect(planChanges(start, next, false)).toEqual([{ kind: 'setTrain', patch: { learningRate: 0.1 } }]);
  });

  it('the same state needs nothing', () => {
    const selected: RunState = { ...start, selectedId: 'm1' };
    expect(planChanges(start, selected, false)).toEqual([]);
  });
});

describe('a pasted link', () => {
  it('is parsed like any link: a lesson, a configuration, unknown keys ignored', () => {
    expect(parseHash('#v=2&lesson=barron-line&panel=3').lessonId).toBe('barron-line');
    expect(parseHash('#lesson=barron-line').config).toEqual(findLesson('barron-line')!.config);
  });
});
