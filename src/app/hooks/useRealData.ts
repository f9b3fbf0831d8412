// Real data sets (issue 26) opened from the data menu or by a lesson: the package's JSON file is loaded on demand,
// then the points become your own data (no truth; a held-out share judges the bands), one undo step.
import { useCallback } from 'react';
import type { RunConfig } from '../../core/config';
import { REAL_DATASETS, type RealDatasetId } from '../../core/realData';
import { loadRealPoints } from '../../core/realDataLoad';
import { DEFAULT_HELD_OUT } from '../../core/split';
import type { RunState } from '../store/runState';
import type { RunStore } from './useRunStore';
import type { TrainerView } from './useTrainer';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function useRealData(
  store: RunStore,
  run: TrainerView,
  opts: { keepWeights: boolean; onInfo: (text: string) => void; onAlert: (text: string | null) => void },
) {
  const { keepWeights, onInfo, onAlert } = opts;

  /** Opens a real data set as your own data; a lesson passes its configuration, which the points then extend. */
  const openReal = useCallback(
    async (id: RealDatasetId, lesson?: { id: string; config: RunConfig; title: string }) => {
      const d = REAL_DATASETS[id];
      let points;
      try {
        points = await loadRealPoints(id);
      } catch (err) {
        return onAlert(`${d.label}: the data could not be loaded (${message(err)}). Nothing was changed.`);
      }
      // Real data have no truth: a held-out share (the one set, else 20 %) is all that judges the bands. A lesson says its own.
      const current = store.state.config.train.heldOut;
      const heldOut = lesson ? lesson.config.train.heldOut : current && current.share > 0 ? current : DEFAULT_HELD_OUT;
      const userData = { points, truth: null, source: id };
      const next = (s: RunState): RunState =>
        lesson
          ? { ...s, lessonId: lesson.id, config: lesson.config, userData, selectedId: lesson.config.models.at(-1)!.id }
          : { ...s, userData, config: { ...s.config, train: { ...s.config.train, heldOut } } };
      try {
        if (lesson)
          await store.change({ state: next, label: `opened the lesson “${lesson.title}”`, destructive: true });
        else
          await store.change({
            state: next,
            label: `opened ${d.label}`,
            destructive: !keepWeights,
            acceptFirst: true,
            apply: async () => {
              const t = run.trainer.current;
              if (!t) return;
              // The share first, then the points: no frame of the new data is drawn without its held-out share.
              await t.setTrain({ heldOut });
              await t.setPoints(points, keepWeights, null);
            },
          });
      } catch (err) {
        return onAlert(`${d.label}: ${message(err)}. Nothing was changed.`);
      }
      onAlert(null);
      const held = heldOut?.share
        ? `; ${Math.round(heldOut.share * 100)} % of them (seed ${heldOut.seed}) are held out to judge the bands`
        : '';
      onInfo(
        `Opened ${d.label}: ${points.x.length} points from ${d.file} (vega-datasets)${held}. No truth is known for real data.`,
      );
    },
    [store, run, keepWeights, onInfo, onAlert],
  );
  return { openReal };
}
