// What the page knows of the worker's state: each call's effect on it, as the session applies the call (whole, or
// not at all when it refuses). The store keeps two mirrors: what the worker will hold once every call sent lands
// (new changes are planned from it) and what it holds by the answers received so far (a refusal is read off it).
import type { WorkerCall, WorkerView } from './plan';
import { planChanges } from './plan';

/** A call's effect on the worker's view. `to` is the view the call was planned toward (lesson, own data wrapper). */
export function effectOf(call: WorkerCall, to: WorkerView): (v: WorkerView) => WorkerView {
  switch (call.kind) {
    case 'restart':
      // A restart generates its points from the config; the lesson id is the page's name for that config.
      return () => ({ config: call.config, lessonId: to.lessonId, userData: null });
    case 'setTrain':
      return (v) => ({ ...v, config: { ...v.config, train: { ...v.config.train, ...call.patch } } });
    case 'setModels':
      return (v) => ({ ...v, config: { ...v.config, models: call.models } });
    case 'updateModel':
      return (v) => ({
        ...v,
        config: { ...v.config, models: v.config.models.map((m) => (m.id === call.id ? { ...m, ...call.patch } : m)) },
      });
    case 'setData':
      return (v) => ({ ...v, config: { ...v.config, data: call.spec }, userData: null });
    case 'setPoints':
      return (v) => ({ ...v, userData: to.userData });
  }
}

/** The worker-relevant part of a state. */
export const viewOf = (s: WorkerView): WorkerView => ({ config: s.config, lessonId: s.lessonId, userData: s.userData });

/** Nothing to tell the worker between the two. */
export const sameView = (a: WorkerView, b: WorkerView) => planChanges(a, b, true).length === 0;
