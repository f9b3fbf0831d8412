// What the page's store holds: everything a person changes on purpose, and nothing the worker computes.
import type { RunConfig } from '../../core/config';
import type { DataSpec, Points } from '../../core/datasets';
import type { Hideable } from '../urlState';
import type { RealDatasetId } from '../../core/realData';

/** The user's own points (CSV, clicks, a file) and the data spec they extend (their truth; null: none known). */
export interface UserData {
  points: Points;
  truth: DataSpec | null;
  /** A real data set of vega-datasets these points are (realData.ts): its source and licence are shown. */
  source?: RealDatasetId;
}

export interface RunState {
  /** The run's configuration, models named by id. */
  config: RunConfig;
  lessonId: string | null;
  /** Controls a teacher's link hid. */
  hide: Hideable[];
  /** The user's own data, or null: the points are generated from config.data. */
  userData: UserData | null;
  /** The model whose weights the views show. */
  selectedId: string;
}

export function initialRunState(s: { config: RunConfig; lessonId: string | null; hide: Hideable[] }): RunState {
  return {
    config: s.config,
    lessonId: s.lessonId,
    hide: s.hide,
    userData: null,
    selectedId: s.config.models[s.config.models.length - 1].id,
  };
}

/** The selected model, or the last one when the selection was removed. */
export function selectedModel(s: RunState) {
  return s.config.models.find((m) => m.id === s.selectedId) ?? s.config.models[s.config.models.length - 1];
}
