// What the worker must be told to go from one store state to another: the page applies a store state by
// difference, so undo, redo, Back, a pasted link and a slider all take the same road.
import type { ModelSpec, RunConfig, TrainSettings } from '../../core/config';
import type { DataSpec, Points } from '../../core/datasets';
import { toJson } from '../../core/schema';
import type { RunState } from './runState';

export type WorkerCall =
  | { kind: 'restart'; config: RunConfig }
  | { kind: 'setTrain'; patch: Partial<TrainSettings> }
  | { kind: 'setModels'; models: ModelSpec[] }
  | { kind: 'updateModel'; id: string; patch: Partial<Omit<ModelSpec, 'id'>> }
  | { kind: 'setData'; spec: DataSpec; keepWeights: boolean }
  | { kind: 'setPoints'; points: Points; keepWeights: boolean; truth: DataSpec | null };

const same = (a: unknown, b: unknown) => toJson(a) === toJson(b);

/** What the worker holds of a store state: the rest (the selection, hidden controls) is the page's alone. */
export type WorkerView = Pick<RunState, 'config' | 'lessonId' | 'userData'>;

/** The same own data: the very points (never copied) with the same truth. A recomputed change makes a new wrapper. */
export const sameUserData = (a: RunState['userData'], b: RunState['userData']) =>
  a === b || (a !== null && b !== null && a.points === b.points && same(a.truth, b.truth));

function changedKeys<T extends object>(from: T, to: T): Partial<T> {
  const patch: Partial<T> = {};
  for (const k of new Set([...Object.keys(from), ...Object.keys(to)]) as Set<keyof T>)
    if (!same(from[k], to[k])) patch[k] = to[k];
  return patch;
}

/**
 * The calls that take the worker from `from` to `to`, in order. A lesson swap restarts; otherwise training
 * settings, then models (ids keep their training; ids the worker no longer has start fresh), then data.
 */
export function planChanges(from: WorkerView, to: WorkerView, keepWeights: boolean): WorkerCall[] {
  const own = to.userData;
  const dataCall = (keep: boolean): WorkerCall =>
    own
      ? { kind: 'setPoints', points: own.points, keepWeights: keep, truth: own.truth }
      : { kind: 'setData', spec: to.config.data, keepWeights: keep };
  if (from.lessonId !== to.lessonId) {
    const calls: WorkerCall[] = [{ kind: 'restart', config: to.config }];
    // A restart generates the points from config.data; the user's own replace them, weights kept (all fresh).
    if (own) calls.push(dataCall(true));
    return calls;
  }
  const calls: WorkerCall[] = [];
  const train = changedKeys(from.config.train, to.config.train);
  if (Object.keys(train).length) calls.push({ kind: 'setTrain', patch: train });
  const ids = (s: WorkerView) => s.config.models.map((m) => m.id).join(',');
  if (ids(from) !== ids(to)) calls.push({ kind: 'setModels', models: to.config.models });
  else
    to.config.models.forEach((m, k) => {
      const { id: _id, ...patch } = changedKeys(from.config.models[k], m);
      if (Object.keys(patch).length) calls.push({ kind: 'updateModel', id: m.id, patch });
    });
  const dataChanged = !same(from.config.data, to.config.data);
  // Own points leave the worker's spec as it was: a new spec under them goes first, so its exported config is the store's.
  if (own && dataChanged) calls.push({ kind: 'setData', spec: to.config.data, keepWeights });
  if (!sameUserData(from.userData, to.userData) || dataChanged) calls.push(dataCall(keepWeights));
  return calls;
}
