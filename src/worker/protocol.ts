// The page ⇄ worker protocol in one place. Comlink carries the calls; these types are the contract.
import type { ClassRunConfig } from '../core/classify/engine';
import type { ClassSnapshot } from '../core/classify/evaluate';
import type { ClassHistoryRow } from '../core/classify/schema';
import type { ModelSpec, RunConfig, TrainSettings } from '../core/config';
import type { DataSpec, Points } from '../core/datasets';
import type { Snapshot } from '../core/engine';
import type { ModelState, TrainingState } from '../core/state';
import type { BackendChoice, BackendName } from '../platform/browser';
import type { LossMoment } from './sessionRules';

export type TrainerPhase = 'starting' | 'compiling' | 'training' | 'paused' | 'error';

export interface TrainerStatus {
  phase: TrainerPhase;
  backend: BackendName | null;
  /** A passing message ("compiling…", an error), or null. */
  message: string | null;
  /** A standing notice that stays until replaced: why this backend is in use (a fallback, a lost device). */
  notice: string | null;
  /** 'fused': the WGSL kernel trains every model; 'cpu': the CPU trainer (WebAssembly SIMD on workers); 'tfjs': the
   * batched TensorFlow.js graph. */
  path: 'fused' | 'cpu' | 'tfjs';
  /** The path in words for the status line, e.g. "fused CPU · wasm-simd · 2 workers". */
  pathLabel?: string;
  /** What the user asked for: the loop runs while this is true (a fail-over keeps it). */
  playing: boolean;
}

/** One snapshot and the loop's own figures. */
export interface Frame {
  snapshot: Snapshot;
  /** The configuration the snapshot belongs to (the page draws the snapshot with it, never with a newer one). */
  config: RunConfig;
  /** The points trained on, sent only when they changed since the last frame (null otherwise). */
  points: Points | null;
  stepsPerSecond: number;
  /** Device → host reads for this frame (one by design). */
  reads: number;
  /** Bumped whenever the run was replaced (restart, import, data): history from an older one does not continue. */
  run: number;
}

export interface TrainerListener {
  frame: (frame: Frame) => void;
  status: (status: TrainerStatus) => void;
}

export interface StartOptions {
  /** Forces one backend (the URL's ?backend=…); otherwise WebGPU, WebGL, WASM, CPU in that order. */
  backend?: BackendName;
  autoplay: boolean;
  /** Use the fused WGSL kernel when every model is covered (default true; ?fused=0 turns it off). */
  fused?: boolean;
  /**
   * A sweep's session (src/core/sweep.ts): up to LIMITS.maxSweepModels models in one stack instead of the page's
   * 8 panels / 32 networks, and frames of the fit metrics alone (no curves, no per-point arrays, no judge).
   */
  sweep?: boolean;
}

/** A whole run as the worker holds it: configuration, points, exact state, and the snapshot of that state. */
export interface RunExport {
  config: RunConfig;
  points: Points;
  /** True when the points are the user's own (CSV or an imported file), not config.data's. */
  imported: boolean;
  state: TrainingState;
  snapshot: Snapshot;
}

/** A run to load: applied all or nothing. */
export interface RunImport {
  config: RunConfig;
  points: Points;
  imported: boolean;
  state: TrainingState;
}

/** What the worker exposes. Every call is queued and applied in order, after the running tick. */
export interface TrainerApi {
  start: (config: RunConfig, options: StartOptions, listener: TrainerListener) => Promise<BackendChoice>;
  play: () => Promise<void>;
  pause: () => Promise<void>;
  /** Runs exactly n steps and sends a frame. */
  step: (n: number) => Promise<void>;
  /** A live change of one model (by id): its loss or hyperparameters; nothing restarts. */
  updateModel: (id: string, patch: Partial<Omit<ModelSpec, 'id'>>) => Promise<void>;
  setTrain: (patch: Partial<TrainSettings>) => Promise<void>;
  /** The new list of models: ids already present keep their training state, `copyFrom[newId]` copies another's, a new id with a
   * state in `seeds` starts from that (a sweep's trained cell), other new ids start fresh. */
  setModels: (models: ModelSpec[], copyFrom?: Record<string, string>, seeds?: ModelState[]) => Promise<void>;
  setData: (spec: DataSpec, keepWeights: boolean) => Promise<void>;
  /** The user's points; `truth` is the spec they extend (clicked points on generated data), null for a CSV. */
  setPoints: (points: Points, keepWeights: boolean, truth: DataSpec | null) => Promise<void>;
  /** A new run with this configuration on the same backend (a lesson); null points: generated from config.data. */
  restart: (config: RunConfig, points: Points | null, autoplay: boolean) => Promise<void>;
  /** Replaces the run with an imported one; on any failure the current run is kept and the call rejects. */
  importRun: (run: RunImport) => Promise<void>;
  /** The run as it stands now (one read): export it as a file. */
  exportRun: () => Promise<RunExport>;
  resetModel: (id: string) => Promise<void>;
  resetAll: () => Promise<void>;
  /** For tests: destroys the WebGPU device, as a driver reset would: now, or at the next dispatch, frame read or hand-off. */
  loseDevice: (moment?: LossMoment) => Promise<boolean>;
  /** For tests: tfjs's live tensor count and the fused path's live GPU buffers. */
  memory: () => Promise<{ numTensors: number; gpuBuffers: number | null }>;
}

// ---------------------------------------------------------------- the classification mode's worker

/** What the classification worker streams to the page. */
export type ClassMessage =
  | {
      kind: 'frame';
      snapshot: ClassSnapshot;
      history: ClassHistoryRow[];
      stepsPerSecond: number;
      /** Bumped at every restart (fresh weights). */ run: number;
    }
  /** Training stopped (the run is kept). */
  | { kind: 'error'; message: string }
  /** A standing notice: the device was lost and training moved to another backend. */
  | { kind: 'notice'; message: string };
export type ClassListener = (m: ClassMessage) => void;

/** What the classification worker exposes. Every call is queued and applied in order, after the running tick. */
export interface ClassifyApi {
  start: (
    config: ClassRunConfig,
    backend: string | null,
    listener: ClassListener,
  ) => Promise<{ backend: string; notes: string[] }>;
  /** A changed setup: live where the weights carry over, else a restart. */
  update: (config: ClassRunConfig) => Promise<'live' | 'restarted'>;
  restart: (config: ClassRunConfig) => Promise<void>;
  play: () => Promise<void>;
  pause: () => Promise<void>;
  step: (n: number) => Promise<void>;
}
