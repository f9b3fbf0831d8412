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

function changedKeys<T extends object>(from: T, to: T): Partial<T> {
  const patch: Partial<T> = {};
  for (const k of new Set([...Object.keys(from), ...Object.keys(to)]) as Set<keyof T>) if (!same(from[k], to[k])) patch[k] = to[k];
  return patch;
}

/**
 * The calls that take the worker from `from` to `to`, in order. A lesson swap restarts; otherwise training
 * settings, then models (ids keep their training; ids the worker no longer has start fresh), then data.
 */
export function planChanges(from: RunState, to: RunState, keepWeights: boolean): WorkerCall[] {
  const own = to.userData;
  const dataCall = (keep: boolean): WorkerCall => (own ? { kind: 'setPoints', points: own.points, keepWeights: keep, truth: own.truth } : { kind: 'setData', spec: to.config.data, keepWeights: keep });
  if (from.lessonId !== to.lessonId) {
    const calls: WorkerCall[] = [{ kind: 'restart', config: to.config }];
    // A restart generates the points from config.data; the user's own replace them, weights kept (all fresh).
    if (own) calls.push(dataCall(true));
    return calls;
  }
  const calls: WorkerCall[] = [];
  const train = changedKeys(from.config.train, to.config.train);
  if (Object.keys(train).length) calls.push({ kind: 'setTrain', patch: train });
  const ids = (s: RunState) => s.config.models.map((m) => m.id).join(',');
  if (ids(from) !== ids(to)) calls.push({ kind: 'setModels', models: to.config.models });
  else
    to.config.models.forEach((m, k) => {
      const { id: _id, ...patch } = changedKeys(from.config.models[k], m);
      if (Object.keys(patch).length) calls.push({ kind: 'updateModel', id: m.id, patch });
    });
  if (from.userData !== to.userData || !same(from.config.data, to.config.data)) calls.push(dataCall(keepWeights));
  return calls;
}
