// Every edit a person makes on the page, as a change of the store (one undo step each, sliders merged per drag).
import { useCallback, useMemo } from 'react';
import { nextModelId, type ModelSpec, type TrainSettings } from '../../core/config';
import { makePoints, type DataSpec, type Points } from '../../core/datasets';
import { splitIndices, trainingPoints } from '../../core/split';
import { calibrationSplit } from '../../core/posthoc';
import { STREAM } from '../../core/rng';
import { findLesson, type LessonAction } from '../lessons';
import * as changes from '../store/changes';
import type { RunStore } from './useRunStore';
import type { TrainerView } from './useTrainer';

/** One bound for the page's add button, links and files (src/core/messages.ts). */
export { MAX_MODELS } from '../../core/messages';

type ModelPatch = Partial<Omit<ModelSpec, 'id'>>;

export function useEdits(
  store: RunStore,
  run: TrainerView,
  opts: { keepWeights: boolean; onInfo: (text: string) => void; onAlert: (text: string | null) => void },
) {
  const { state } = store;
  const { keepWeights, onInfo, onAlert } = opts;
  const refused = useCallback((err: unknown) => onAlert(err instanceof Error ? err.message : String(err)), [onAlert]);
  /** Every point of the data: the user's own (all of them, held-out share included) or the generated ones. */
  const allPoints = useMemo(
    () => state.userData?.points ?? makePoints(state.config.data),
    [state.userData, state.config.data],
  );
  /** Clicked points extend the data they were added to: generated data keeps its truth (RMSE, σ error). */
  const truth = state.userData ? state.userData.truth : state.config.data;
  const heldOut = state.config.train.heldOut;
  /**
   * What the panels draw, as the worker trains it: your own data without a truth splits into the training share
   * (aligned with the snapshot's per-point weights) carrying the held-out share (split.ts, as the session does).
   */
  const split = useMemo(
    () => (truth || !heldOut?.share ? null : splitIndices(allPoints.x.length, heldOut.share, heldOut.seed)),
    [truth, heldOut?.share, heldOut?.seed, allPoints],
  );
  const posthoc = state.config.train.posthoc;
  // Post-hoc methods hold a calibration share back from training too (posthoc.ts), as the session does: the drawn
  // training points stay aligned with the snapshot's per-point weights; the share is drawn apart (not removable).
  const points = useMemo(
    () => calibrationSplit(split ? trainingPoints(allPoints, heldOut) : allPoints, posthoc),
    [split, allPoints, heldOut, posthoc],
  );
  const calSplit = useMemo(
    () =>
      posthoc
        ? splitIndices(split ? split.train.length : allPoints.x.length, posthoc.share, posthoc.seed, STREAM.calibration)
        : null,
    [posthoc, split, allPoints],
  );
  /** A drawn point's index (a training point i ≥ 0, held-out point j as −1 − j) in all of the data. */
  const dataIndex = (drawn: number) => {
    const i = calSplit && drawn >= 0 ? calSplit.train[drawn] : drawn;
    return split ? (i >= 0 ? split.train[i] : split.held[-1 - i]) : i;
  };

  const updateModel = useCallback(
    (id: string, patch: ModelPatch, control = Object.keys(patch).join(',')) =>
      void store.change(changes.updateModel(id, patch, control)).catch(refused),
    [store, refused],
  );

  const updateData = useCallback(
    (patch: Partial<DataSpec>, control = Object.keys(patch).join(',')) =>
      void store.change(changes.updateData(patch, keepWeights, control)).catch(refused),
    [store, keepWeights, refused],
  );

  const updateTrain = useCallback(
    (patch: Partial<TrainSettings>, control = Object.keys(patch).join(',')) =>
      void store.change(changes.updateTrain(patch, control)).catch(refused),
    [store, refused],
  );

  const models = state.config.models;
  const trainer = () => run.trainer.current;
  const addModel = () => void store.change(changes.addModel(`model ${nextModelId(models)}`)).catch(refused);
  const duplicate = (m: ModelSpec) => void store.change(changes.duplicate(m.id, trainer)).catch(refused);
  const remove = (m: ModelSpec) => void store.change(changes.remove(m.id)).catch(refused);
  const resetModel = (id: string) => void store.change(changes.resetModel(id, trainer)).catch(refused);
  const resetAll = () => void store.change(changes.resetAll(trainer)).catch(refused);

  const openLesson = (id: string) => {
    const lesson = findLesson(id);
    if (!lesson) return;
    onAlert(null);
    void store.change(changes.openLesson(id, lesson.title, lesson.config)).catch(refused);
  };

  const runActions = (actions: LessonAction[]) => {
    for (const a of actions) {
      if (a.kind === 'model') {
        // The link names a model by id: if it was removed, say so and change nothing.
        if (!models.some((m) => m.id === a.id))
          onAlert(
            `This link changes model ${a.id}, which is no longer here; nothing was changed. Reopen the lesson to get it back.`,
          );
        else updateModel(a.id, a.patch, `lesson:${Object.keys(a.patch).join(',')}`);
      } else if (a.kind === 'data') updateData(a.patch);
      else updateTrain(a.patch);
    }
  };

  const setPoints = (next: Points, label: string) =>
    // Training goes on from where it is: one new point should not restart the lesson.
    void store.change(changes.setPoints(next, truth, label, trainer)).catch(refused);

  const addPoint = (x: number, y: number, outlier: boolean) => {
    const points = allPoints;
    const next: Points = {
      x: Float32Array.from([...points.x, x]),
      y: Float32Array.from([...points.y, y]),
      isOutlier: Uint8Array.from([...points.isOutlier, outlier ? 1 : 0]),
    };
    setPoints(next, `added ${outlier ? 'an outlier' : 'a point'}`);
    onInfo(
      `Added ${outlier ? 'an outlier' : 'a point'} at (${x.toFixed(2)}, ${y.toFixed(2)}); ${next.x.length} points now.`,
    );
  };

  const removePoint = (drawn: number) => {
    const points = allPoints;
    const i = dataIndex(drawn);
    if (i === undefined || !(i >= 0 && i < points.x.length)) return;
    if (points.x.length <= 2) return onInfo('Two points are the least a fit needs; nothing was removed.');
    const keep = (_: number, j: number) => j !== i;
    const next: Points = {
      x: points.x.filter(keep),
      y: points.y.filter(keep),
      isOutlier: points.isOutlier.filter(keep),
    };
    setPoints(next, `removed ${points.isOutlier[i] ? 'an outlier' : 'a point'}`);
    onInfo(
      `Removed ${points.isOutlier[i] ? 'an outlier' : 'a point'} at (${points.x[i].toFixed(2)}, ${points.y[i].toFixed(2)}); ${next.x.length} points now.`,
    );
  };

  const setHeldOut = (share: number, seed: number) => void store.change(changes.setHeldOut(share, seed)).catch(refused);

  return {
    points,
    allPoints,
    setHeldOut,
    updateModel,
    updateData,
    updateTrain,
    addModel,
    duplicate,
    remove,
    resetModel,
    resetAll,
    openLesson,
    runActions,
    addPoint,
    removePoint,
  };
}
