// Every edit a person makes on the page, as a change of the store (one undo step each, sliders merged per drag).
import { useCallback, useMemo } from 'react';
import { DEFAULT_MODEL, nextModelId, type ModelSpec, type TrainSettings } from '../../core/config';
import { makePoints, type DataSpec, type Points } from '../../core/datasets';
import { splitIndices, trainingPoints } from '../../core/split';
import { calibrationSplit } from '../../core/posthoc';
import { STREAM } from '../../core/rng';
import { findLesson, type LessonAction } from '../lessons';
import type { RunState } from '../store/runState';
import type { RunStore } from './useRunStore';
import type { TrainerView } from './useTrainer';

/** One bound for the page's add button, links and files (src/core/messages.ts). */
export { MAX_MODELS } from '../../core/messages';

type ModelPatch = Partial<Omit<ModelSpec, 'id'>>;

export function useEdits(store: RunStore, run: TrainerView, opts: { keepWeights: boolean; onInfo(text: string): void; onAlert(text: string | null): void }) {
  const { state } = store;
  const { keepWeights, onInfo, onAlert } = opts;
  const refused = useCallback((err: unknown) => onAlert(err instanceof Error ? err.message : String(err)), [onAlert]);
  /** Every point of the data: the user's own (all of them, held-out share included) or the generated ones. */
  const allPoints = useMemo(() => state.userData?.points ?? makePoints(state.config.data), [state.userData, state.config.data]);
  /** Clicked points extend the data they were added to: generated data keeps its truth (RMSE, σ error). */
  const truth = state.userData ? state.userData.truth : state.config.data;
  const heldOut = state.config.train.heldOut;
  /**
   * What the panels draw, as the worker trains it: your own data without a truth splits into the training share
   * (aligned with the snapshot's per-point weights) carrying the held-out share (split.ts, as the session does).
   */
  const split = useMemo(() => (truth || !heldOut?.share ? null : splitIndices(allPoints.x.length, heldOut.share, heldOut.seed)), [truth, heldOut?.share, heldOut?.seed, allPoints]);
  const posthoc = state.config.train.posthoc;
  // Post-hoc methods hold a calibration share back from training too (posthoc.ts), as the session does: the drawn
  // training points stay aligned with the snapshot's per-point weights; the share is drawn apart (not removable).
  const points = useMemo(() => calibrationSplit(split ? trainingPoints(allPoints, heldOut) : allPoints, posthoc), [split, allPoints, heldOut, posthoc]);
  const calSplit = useMemo(() => (posthoc ? splitIndices(split ? split.train.length : allPoints.x.length, posthoc.share, posthoc.seed, STREAM.calibration) : null), [posthoc, split, allPoints]);
  /** A drawn point's index (a training point i ≥ 0, held-out point j as −1 − j) in all of the data. */
  const dataIndex = (drawn: number) => {
    const i = calSplit && drawn >= 0 ? calSplit.train[drawn] : drawn;
    return split ? (i >= 0 ? split.train[i] : split.held[-1 - i]) : i;
  };

  const withModels = (s: RunState, models: ModelSpec[]): RunState => ({ ...s, config: { ...s.config, models } });

  const updateModel = useCallback(
    (id: string, patch: ModelPatch, control = Object.keys(patch).join(',')) =>
      void store.change({ state: (s) => withModels(s, s.config.models.map((m) => (m.id === id ? { ...m, ...patch } : m))), label: `changed ${control} of model ${id}`, key: `model:${id}:${control}` }).catch(refused),
    [store, refused],
  );

  const updateData = useCallback(
    (patch: Partial<DataSpec>, control = Object.keys(patch).join(',')) =>
      void store.change({ state: (s) => ({ ...s, userData: null, config: { ...s.config, data: { ...s.config.data, ...patch } } }), label: `changed the data (${control})`, key: `data:${control}`, destructive: !keepWeights }).catch(refused),
    [store, keepWeights, refused],
  );

  const updateTrain = useCallback(
    (patch: Partial<TrainSettings>, control = Object.keys(patch).join(',')) =>
      void store.change({ state: (s) => ({ ...s, config: { ...s.config, train: { ...s.config.train, ...patch } } }), label: `changed ${control}`, key: `train:${control}`, destructive: control === 'architecture' }).catch(refused),
    [store, refused],
  );

  const models = state.config.models;
  const addModel = () => {
    const id = nextModelId(models);
    void store.change({ state: (s) => withModels(s, [...s.config.models, { ...DEFAULT_MODEL, id, loss: 'robust-nll', initSeed: s.config.models.length + 1 }]), label: `added model ${id}` }).catch(refused);
  };
  const duplicate = (m: ModelSpec) => {
    const id = nextModelId(models);
    const t = run.trainer.current;
    void store.change({ state: (s) => withModels(s, [...s.config.models, { ...m, id }]), label: `duplicated model ${m.id}`, apply: async () => t?.setModels([...models, { ...m, id }], { [id]: m.id }) }).catch(refused);
  };
  const remove = (m: ModelSpec) =>
    void store.change({ state: (s) => ({ ...withModels(s, s.config.models.filter((x) => x.id !== m.id)), selectedId: s.selectedId === m.id ? models.filter((x) => x.id !== m.id).at(-1)!.id : s.selectedId }), label: `removed model ${m.id}`, destructive: true }).catch(refused);
  const resetModel = (id: string) => void store.change({ state: (s) => s, label: `reset model ${id}`, destructive: true, apply: async () => run.trainer.current?.resetModel(id) }).catch(refused);
  const resetAll = () => void store.change({ state: (s) => s, label: 'Reset all', destructive: true, apply: async () => run.trainer.current?.resetAll() }).catch(refused);

  const openLesson = (id: string) => {
    const lesson = findLesson(id);
    if (!lesson) return;
    onAlert(null);
    void store.change({ state: (s) => ({ ...s, lessonId: id, config: lesson.config, userData: null, selectedId: lesson.config.models.at(-1)!.id }), label: `opened the lesson “${lesson.title}”`, destructive: true }).catch(refused);
  };

  const runActions = (actions: LessonAction[]) => {
    for (const a of actions) {
      if (a.kind === 'model') {
        // The link names a model by id: if it was removed, say so and change nothing.
        if (!models.some((m) => m.id === a.id)) onAlert(`This link changes model ${a.id}, which is no longer here; nothing was changed. Reopen the lesson to get it back.`);
        else updateModel(a.id, a.patch, `lesson:${Object.keys(a.patch).join(',')}`);
      } else if (a.kind === 'data') updateData(a.patch);
      else updateTrain(a.patch);
    }
  };

  const setPoints = (next: Points, label: string) =>
    // Training goes on from where it is: one new point should not restart the lesson.
    void store.change({ state: (s) => ({ ...s, userData: { points: next, truth } }), label, apply: async () => run.trainer.current?.setPoints(next, true, truth) }).catch(refused);

  const addPoint = (x: number, y: number, outlier: boolean) => {
    const points = allPoints;
    const next: Points = { x: Float32Array.from([...points.x, x]), y: Float32Array.from([...points.y, y]), isOutlier: Uint8Array.from([...points.isOutlier, outlier ? 1 : 0]) };
    setPoints(next, `added ${outlier ? 'an outlier' : 'a point'}`);
    onInfo(`Added ${outlier ? 'an outlier' : 'a point'} at (${x.toFixed(2)}, ${y.toFixed(2)}); ${next.x.length} points now.`);
  };

  const removePoint = (drawn: number) => {
    const points = allPoints;
    const i = dataIndex(drawn);
    if (i === undefined || !(i >= 0 && i < points.x.length)) return;
    if (points.x.length <= 2) return onInfo('Two points are the least a fit needs; nothing was removed.');
    const keep = (_: number, j: number) => j !== i;
    const next: Points = { x: points.x.filter(keep), y: points.y.filter(keep), isOutlier: points.isOutlier.filter(keep) };
    setPoints(next, `removed ${points.isOutlier[i] ? 'an outlier' : 'a point'}`);
    onInfo(`Removed ${points.isOutlier[i] ? 'an outlier' : 'a point'} at (${points.x[i].toFixed(2)}, ${points.y[i].toFixed(2)}); ${next.x.length} points now.`);
  };

  const setHeldOut = (share: number, seed: number) =>
    void store.change({ state: (s) => ({ ...s, config: { ...s.config, train: { ...s.config.train, heldOut: { share, seed } } } }), label: `held out ${Math.round(share * 100)} % of your data (seed ${seed})`, key: 'train:heldOut' }).catch(refused);

  return { points, allPoints, setHeldOut, updateModel, updateData, updateTrain, addModel, duplicate, remove, resetModel, resetAll, openLesson, runActions, addPoint, removePoint };
}
