// What the trainer session stands on (session.ts): the platform it is given, the moments a test may lose the
// device at, and the bounds of a stack (the page's 8 models / 32 networks, a sweep's 64).
import type { ModelSpec, RunConfig, TrainSettings } from '../core/config';
import type { DataSpec, Points } from '../core/datasets';
import type { TrainingPath } from '../core/engine';
import { expandMembers, memberTotal } from '../core/members';
import { LIMITS, tooManyMembers, tooManyModels } from '../core/messages';
import { freshState as freshMembers, type TrainingState } from '../core/state';
import type { BackendChoice, BackendName } from '../platform/browser';

/** What the session needs from its surroundings: the worker gives it the browser's, tests a Node one. */
export interface SessionPlatform {
  initBackend: (forced?: BackendName, skip?: BackendName[]) => Promise<BackendChoice>;
  /** The fused path for this run on the current backend, or null (not WebGPU, a model it does not cover). */
  makeFused: (
    points: Points,
    truth: DataSpec | null,
    specs: ModelSpec[],
    train: TrainSettings,
    state: TrainingState,
    view?: { metricsOnly?: boolean },
  ) => TrainingPath | null;
  /** Resolves with a reason when the current device is lost (WebGPU's device, WebGL's context); null where there is none. */
  deviceLost: () => Promise<string> | null;
  /** Why the current device can no longer be read, though nothing failed (a lost WebGL context reads zeros); else null. */
  deviceGone?: () => string | null;
  /** A device's own failure (lost device, GPU validation or operation error), as opposed to a bug or bad input. */
  isDeviceError: (err: unknown) => boolean;
  /** Drops caches bound to the old backend's tensors after a switch. */
  backendChanged: () => void;
  /** For tests: destroys the current device, as a driver reset would; false where there is none. */
  loseDevice: () => boolean;
  memory: () => { numTensors: number; gpuBuffers: number | null };
}

/** A fresh state for the models' networks: an ensemble's members each (members.ts). */
export const freshState = (arch: RunConfig['train']['architecture'], models: ModelSpec[]) =>
  freshMembers(arch, expandMembers(models));

/** Refuses a stack with more networks than the page trains at once (ensemble members counted); a sweep's session takes 64. */
export function checkMembers(models: readonly ModelSpec[], sweep = false): void {
  const n = memberTotal(models);
  if (sweep ? n > LIMITS.maxSweepModels : n > LIMITS.maxMembers)
    throw new Error(sweep ? `${n} networks: a sweep trains at most ${LIMITS.maxSweepModels}` : tooManyMembers(n));
}

/** Where a test may lose the device (loseDevice): mid-dispatch (steps submitted, not done), mid-read (a frame's
 * read in flight), mid-hand-off (a structural change's export in flight), or at once. */
export type LossMoment = 'now' | 'dispatch' | 'read' | 'handoff';

/** The page trains at most LIMITS.maxModels models (a file may hold more): a larger run is refused whole. A sweep's session: 64. */
export function checkModelCount(n: number, sweep = false): void {
  if (sweep ? n > LIMITS.maxSweepModels : n > LIMITS.maxModels)
    throw new Error(
      sweep
        ? `${n} models: a sweep trains at most ${LIMITS.maxSweepModels}; nothing was changed`
        : `${tooManyModels(n)}; nothing was changed`,
    );
}

/** A read from a device that is gone (deviceGone): what it returned is not the run, and the run fails over. */
export class DeviceGone extends Error {
  override name = 'DeviceGone';
}
