// The page's edits as changes of the store (runStore.ts applies them): one builder per edit the page offers,
// shared by the hooks and by the tests that drive the store against a real trainer session. Each reads the
// models from the state it applies to, never from a render's: a change waiting behind a file meets the file's.
import { DEFAULT_MODEL, nextModelId, type ModelSpec, type TrainSettings } from '../../core/config';
import type { DataSpec, Points } from '../../core/datasets';
import { DEFAULT_HELD_OUT } from '../../core/split';
import type { ModelState } from '../../core/state';
import type { RunImport } from '../../worker/protocol';
import type { Change } from './runStore';
import type { RunState } from './runState';

/** The worker calls some changes make themselves (the rest are the difference of the states: plan.ts). */
export interface ChangeTrainer {
  setModels: (models: ModelSpec[], copyFrom?: Record<string, string>, seeds?: ModelState[]) => Promise<void>;
  setPoints: (points: Points, keepWeights: boolean, truth: DataSpec | null) => Promise<void>;
  importRun: (run: RunImport) => Promise<void>;
  resetModel: (id: string) => Promise<void>;
  resetAll: () => Promise<void>;
}
type Trainer = () => ChangeTrainer | null;

type ModelPatch = Partial<Omit<ModelSpec, 'id'>>;

const withModels = (s: RunState, models: ModelSpec[]): RunState => ({ ...s, config: { ...s.config, models } });
const keys = (patch: object) => Object.keys(patch).join(',');

export const updateModel = (id: string, patch: ModelPatch, control = keys(patch)): Change => ({
  state: (s) =>
    withModels(
      s,
      s.config.models.map((m) => (m.id === id ? { ...m, ...patch } : m)),
    ),
  label: `changed ${control} of model ${id}`,
  key: `model:${id}:${control}`,
});

export const updateData = (patch: Partial<DataSpec>, keepWeights: boolean, control = keys(patch)): Change => ({
  state: (s) => ({ ...s, userData: null, config: { ...s.config, data: { ...s.config.data, ...patch } } }),
  label: `changed the data (${control})`,
  key: `data:${control}`,
  destructive: !keepWeights,
});

export const updateTrain = (patch: Partial<TrainSettings>, control = keys(patch)): Change => ({
  state: (s) => ({ ...s, config: { ...s.config, train: { ...s.config.train, ...patch } } }),
  label: `changed ${control}`,
  key: `train:${control}`,
  destructive: control === 'architecture',
});

/** A new robust-NLL model; `label` names it as the page shows it (its id is taken from the state it joins). */
export const addModel = (label = 'a model'): Change => ({
  state: (s) =>
    withModels(s, [
      ...s.config.models,
      { ...DEFAULT_MODEL, id: nextModelId(s.config.models), loss: 'robust-nll', initSeed: s.config.models.length + 1 },
    ]),
  label: `added ${label}`,
});

/** A copy of model `id` under a new id, its training state copied too; nothing when the model is gone. */
export const duplicate = (id: string, trainer: Trainer): Change => ({
  state: (s) => {
    const m = s.config.models.find((x) => x.id === id);
    return m ? withModels(s, [...s.config.models, { ...m, id: nextModelId(s.config.models) }]) : s;
  },
  label: `duplicated model ${id}`,
  apply: async (to, from) => {
    const copy = to.config.models.find((x) => !from.config.models.some((y) => y.id === x.id));
    if (copy) await trainer()?.setModels(to.config.models, { [copy.id]: id });
  },
});

/** Removes model `id` (the selection moves to the last model if it was selected); the last model stays. */
export const remove = (id: string): Change => ({
  state: (s) => {
    const rest = s.config.models.filter((x) => x.id !== id);
    return rest.length && rest.length < s.config.models.length
      ? { ...withModels(s, rest), selectedId: s.selectedId === id ? rest[rest.length - 1].id : s.selectedId }
      : s;
  },
  label: `removed model ${id}`,
  destructive: true,
});

export const resetModel = (id: string, trainer: Trainer): Change => ({
  state: (s) => s,
  label: `reset model ${id}`,
  destructive: true,
  apply: async () => trainer()?.resetModel(id),
});
export const resetAll = (trainer: Trainer): Change => ({
  state: (s) => s,
  label: 'Reset all',
  destructive: true,
  apply: async () => trainer()?.resetAll(),
});

/** Clicked points: training goes on from where it is (one new point should not restart the lesson). */
export const setPoints = (points: Points, truth: DataSpec | null, label: string, trainer: Trainer): Change => ({
  state: (s) => ({ ...s, userData: { points, truth } }),
  label,
  apply: async () => trainer()?.setPoints(points, true, truth),
});

export const setHeldOut = (share: number, seed: number): Change => ({
  state: (s) => ({ ...s, config: { ...s.config, train: { ...s.config.train, heldOut: { share, seed } } } }),
  label: `held out ${Math.round(share * 100)} % of your data (seed ${seed})`,
  key: 'train:heldOut',
});

export const openLesson = (id: string, title: string, config: RunState['config']): Change => ({
  state: (s) => ({
    ...s,
    lessonId: id,
    config,
    userData: null,
    selectedId: config.models[config.models.length - 1].id,
  }),
  label: `opened the lesson “${title}”`,
  destructive: true,
});

/** A run file, all or nothing: the worker builds it beside the current run and swaps only on success. */
export const openFile = (f: RunImport, name: string, trainer: Trainer): Change => ({
  state: (s) => ({
    ...s,
    config: f.config,
    lessonId: null,
    userData: f.imported ? { points: f.points, truth: null } : null,
    selectedId: f.config.models[f.config.models.length - 1].id,
  }),
  label: `opened ${name}`,
  destructive: true,
  acceptFirst: true,
  apply: () =>
    trainer()?.importRun({ config: f.config, points: f.points, imported: f.imported, state: f.state }) ??
    Promise.resolve(),
});

/**
 * A CSV's points. Your own data has no clean held-out set: a share of it (20 % unless already set) is held out to
 * judge σ. The worker is told the difference (plan.ts): the share first, then the points, so no frame of the new
 * data is drawn without its held-out share.
 */
export const loadCsv = (points: Points, name: string, keepWeights: boolean): Change => ({
  state: (s) => ({
    ...s,
    userData: { points, truth: null },
    config: { ...s.config, train: { ...s.config.train, heldOut: s.config.train.heldOut ?? DEFAULT_HELD_OUT } },
  }),
  label: `loaded ${name}`,
  destructive: !keepWeights,
  acceptFirst: true,
});

/**
 * A sweep's cell as a new model of the main run, committed once the worker took it, the worker told the very list
 * the store commits. With the cell's trained state (`trained`) it starts from it; a state that no longer fits (the
 * network changed meanwhile) starts fresh instead (`onFresh`). `onId` hears the id it gets.
 */
export function openCell(
  spec: ModelSpec,
  label: string,
  trained: ModelState | null,
  trainer: Trainer,
  on: { id?: (id: string) => void; fresh?: () => void } = {},
): Change {
  let id = '';
  return {
    state: (s) => {
      id = nextModelId(s.config.models);
      on.id?.(id);
      return { ...s, config: { ...s.config, models: [...s.config.models, { ...spec, id }] }, selectedId: id };
    },
    label: `opened the sweep's cell ${label}`,
    acceptFirst: true,
    ...(trained
      ? {
          apply: async (to: RunState) => {
            const t = trainer();
            if (!t) return;
            try {
              await t.setModels(to.config.models, {}, [{ ...trained, id }]);
            } catch {
              on.fresh?.();
              await t.setModels(to.config.models);
            }
          },
        }
      : {}),
  };
}
