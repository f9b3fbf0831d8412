// The page ⇄ worker protocol in one place. Comlink carries the calls; these types are the contract.
import type { ModelSpec, RunConfig, TrainSettings } from '../core/config';
import type { DataSpec, Points } from '../core/datasets';
import type { Snapshot } from '../core/engine';
import type { BackendChoice, BackendName } from '../platform/browser';

export type TrainerPhase = 'starting' | 'compiling' | 'training' | 'paused' | 'error';

export interface TrainerStatus {
  phase: TrainerPhase;
  backend: BackendName | null;
  /** A passing message ("compiling…", an error), or null. */
  message: string | null;
  /** A standing notice that stays until replaced: why this backend is in use (a fallback, a lost device). */
  notice: string | null;
  /** 'fused': the WGSL kernel trains every model; 'tfjs': the batched TensorFlow.js graph. */
  path: 'fused' | 'tfjs';
}

/** One snapshot and the loop's own figures, at most every ~100 ms. */
export interface Frame {
  snapshot: Snapshot;
  stepsPerSecond: number;
  /** GPU→CPU reads since the previous frame (one per frame by design). */
  reads: number;
}

export interface TrainerListener {
  frame(frame: Frame): void;
  status(status: TrainerStatus): void;
}

export interface StartOptions {
  /** Forces one backend (the URL's ?backend=…); otherwise WebGPU, WebGL, WASM, CPU in that order. */
  backend?: BackendName;
  autoplay: boolean;
  /** Use the fused WGSL kernel when every model is covered (default true; ?fused=0 turns it off). */
  fused?: boolean;
}

/** What the worker exposes. Calls are queued behind the running tick and act on the next step. */
export interface TrainerApi {
  start(config: RunConfig, options: StartOptions, listener: TrainerListener): Promise<BackendChoice>;
  play(): void;
  pause(): Promise<void>;
  /** Runs exactly n steps (while paused) and sends a frame. */
  step(n: number): Promise<void>;
  updateModel(index: number, patch: Partial<ModelSpec>): Promise<void>;
  setTrain(patch: Partial<TrainSettings>): Promise<void>;
  /** Rebuilds the stack: slot j copies old model sources[j] or starts fresh (null). */
  setModels(models: ModelSpec[], sources: (number | null)[]): Promise<void>;
  setData(spec: DataSpec, keepWeights: boolean): Promise<void>;
  /** The user's points; `truth` is the spec they came from when they extend generated data (a clicked point), else null. */
  setPoints(points: Points, keepWeights: boolean, truth: DataSpec | null): Promise<void>;
  /** A new run with this configuration on the same backend (a lesson, an imported file). */
  restart(config: RunConfig, points: Points | null, autoplay: boolean): Promise<void>;
  /** Restores trained weights (per model, flattened) and the step counts, e.g. from an imported file. */
  loadWeights(perModel: Float32Array[], steps: number[], globalStep: number): Promise<void>;
  resetModel(index: number): Promise<void>;
  resetAll(): Promise<void>;
  /** For tests: destroys the WebGPU device, as a driver reset would. */
  loseDevice(): Promise<boolean>;
}
