// The classification mode's training session: one ClassifyEngine driven in ticks, live changes of the setup
// (data under the same weights, a model's hyperparameters) and frames for the page. Platform-free: the worker
// (classify.worker.ts) gives it a backend; tests can drive it in Node.
import { makeClassData, classCount } from '../core/classify/data';
import { ClassifyEngine, type ClassRunConfig } from '../core/classify/engine';
import type { ClassSnapshot } from '../core/classify/evaluate';
import type { ClassHistoryRow } from '../core/classify/schema';

export type ClassMessage = { kind: 'frame'; snapshot: ClassSnapshot; history: ClassHistoryRow[]; stepsPerSecond: number } | { kind: 'error'; message: string };
export type ClassListener = (m: ClassMessage) => void;

const STEPS_PER_TICK = 5;
const FRAME_MS = 400;
/**
 * A frame (metrics, fields over the grid, the latest mining: several forward passes and reads) may cost more than
 * training steps on a slow adapter (SwiftShader: seconds); frames then wait this many times their own cost, so
 * at most about a quarter of the time goes to drawing.
 */
const FRAME_COST_FACTOR = 3;
/** …but never longer than this between frames (the first frames also compile every kernel: tens of seconds). */
const FRAME_WAIT_MAX_MS = 3000;

export class ClassifySession {
  private engine: ClassifyEngine | null = null;
  private config: ClassRunConfig | null = null;
  private history: ClassHistoryRow[] = [];
  private playing = false;
  private looping = false;
  private lastFrame = 0;
  private stepsAtFrame = 0;
  /** How long the last frame took (ms). */
  private frameCost = 0;

  constructor(private listener: ClassListener) {}

  /** (Re)starts training from fresh weights on this setup. */
  async start(config: ClassRunConfig, autoplay = true): Promise<void> {
    this.engine?.dispose();
    this.engine = new ClassifyEngine(makeClassData(config.data), config.models, config.train);
    this.config = structuredClone(config);
    this.history = [];
    await this.emit();
    if (autoplay) this.play();
  }

  /** A changed setup: the same weights where it can (data with the same classes, hyperparameters), else a restart. */
  async update(config: ClassRunConfig): Promise<'live' | 'restarted'> {
    const old = this.config;
    if (!this.engine || !old) return (await this.start(config), 'restarted');
    const sameModels = old.models.length === config.models.length && old.models.every((m, k) => m.id === config.models[k].id);
    const sameTrain = JSON.stringify(old.train) === JSON.stringify(config.train);
    if (!sameModels || !sameTrain || classCount(old.data) !== classCount(config.data)) {
      await this.start(config, this.playing);
      return 'restarted';
    }
    if (JSON.stringify(old.data) !== JSON.stringify(config.data)) this.engine.setData(makeClassData(config.data));
    config.models.forEach((m, k) => this.engine!.updateModel(k, m));
    this.config = structuredClone(config);
    if (!this.playing) await this.emit();
    return 'live';
  }

  play(): void {
    this.playing = true;
    if (!this.looping) void this.loop();
  }

  pause(): void {
    this.playing = false;
  }

  async step(n: number): Promise<void> {
    this.engine?.run(n);
    await this.emit();
  }

  private async loop(): Promise<void> {
    this.looping = true;
    try {
      while (this.playing && this.engine) {
        this.engine.run(STEPS_PER_TICK);
        if (performance.now() - this.lastFrame > Math.max(FRAME_MS, Math.min(FRAME_WAIT_MAX_MS, FRAME_COST_FACTOR * this.frameCost))) await this.emit();
        else await new Promise((r) => setTimeout(r, 0));
      }
    } catch (err) {
      this.playing = false;
      this.listener({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
    } finally {
      this.looping = false;
    }
  }

  private async emit(): Promise<void> {
    if (!this.engine) return;
    const now = performance.now();
    const snapshot = await this.engine.frame(true, 48);
    this.frameCost = performance.now() - now;
    const elapsed = (now - this.lastFrame) / 1000;
    const stepsPerSecond = this.lastFrame && elapsed > 0 ? (snapshot.step - this.stepsAtFrame) / elapsed : 0;
    this.lastFrame = now;
    this.stepsAtFrame = snapshot.step;
    const last = this.history[this.history.length - 1];
    if (!last || last.step !== snapshot.step) this.history.push({ step: snapshot.step, accuracy: snapshot.models.map((m) => m.metrics.testAccuracy) });
    if (this.history.length > 400) this.history = this.history.filter((_, i) => i % 2 === 0);
    this.listener({ kind: 'frame', snapshot, history: this.history.slice(), stepsPerSecond });
  }

  dispose(): void {
    this.playing = false;
    this.engine?.dispose();
    this.engine = null;
  }
}
