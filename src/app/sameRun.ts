// Whether a snapshot's configuration is the run the page shows now, as far as drawing it goes. After a lesson,
// a link or new data the worker's last frame is still the old run's until the new run's first frame (up to a minute
// where a GPU compiles kernels for a new network shape): drawn under the new setup it would show the old fit under
// new titles, with numbers the new lesson's text contradicts. Live hyperparameters (T, β, …) are the same run.
import type { RunConfig } from '../core/config';

export function sameRun(snapshotConfig: RunConfig | null, config: RunConfig): boolean {
  if (!snapshotConfig) return true;
  if (snapshotConfig === config) return true;
  if (JSON.stringify(snapshotConfig.data) !== JSON.stringify(config.data)) return false;
  if (JSON.stringify(snapshotConfig.train.architecture) !== JSON.stringify(config.train.architecture)) return false;
  // A model of the same id must be the same network and loss: a lesson reuses ids m1, m2, … for other models.
  return config.models.every((m) => {
    const s = snapshotConfig.models.find((x) => x.id === m.id);
    return !s || (s.loss === m.loss && (s.ensemble ?? 1) === (m.ensemble ?? 1) && s.initSeed === m.initSeed);
  });
}
