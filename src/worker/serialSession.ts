// The machinery both trainer sessions stand on (regression: sessionCore.ts, classification: classifySession.ts):
// one promise queue every call goes through, the training loop as a series of queued ticks (so a call never lands
// in the middle of one), a generation counter that drops the result of an await spanning a replacement, and the
// fail-over plumbing (a lost device bumps the generation and queues the move to the next backend; a device's own
// failure in a tick hands the run on, anything else stops training with its message and keeps the run).

export const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** What the machinery needs to tell a device's failure from a bug: the worker gives the browser's, tests a Node one. */
export interface DeviceWatch {
  /** Resolves with a reason when the current device is lost (WebGPU); null where there is none. */
  deviceLost: () => Promise<string> | null;
  /** A device's own failure (lost device, GPU validation or operation error), as opposed to a bug or bad input. */
  isDeviceError: (err: unknown) => boolean;
}

export abstract class SerialSession<P extends DeviceWatch = DeviceWatch> {
  protected backend: string | null = null;
  protected wantPlaying = false;
  protected looping = false;
  protected queue: Promise<unknown> = Promise.resolve();
  /** Bumped whenever the path is replaced: an await that spans a replacement drops its result. */
  protected generation = 0;

  constructor(protected readonly platform: P) {}

  /** Whether there is a run to train: the loop ends when there is none. */
  protected abstract hasRun(): boolean;
  /** Steps, then one read for the frame; handles its own failures (handleFailure). */
  protected abstract tick(): Promise<void>;
  /** Moves the run to the next backend from its last consistent state. */
  protected abstract failOver(reason: string): Promise<void>;
  /** Training stops with this reason; the run is kept (the user may press Play again). */
  protected abstract stopTraining(reason: string): void;

  /** Queues `fn` behind every earlier call; its failure is the caller's, never the queue's. */
  protected enqueue<T>(fn: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  protected ensureLoop(): void {
    if (this.looping) return;
    this.looping = true;
    void (async () => {
      try {
        while (this.wantPlaying && this.hasRun()) {
          try {
            await this.enqueue(() => this.tick());
          } catch (err) {
            // tick() handles its own failures; anything escaping it is a bug of the session: stop and say so.
            this.wantPlaying = false;
            this.stopTraining(message(err));
          }
          await new Promise((r) => setTimeout(r, 0));
        }
      } finally {
        this.looping = false;
      }
    })();
  }

  /** A failing tick: a device's own failure hands the run to the next backend; anything else stops and says so. */
  /** Whether `err` is the device's own failure (a loss to fail over from) rather than a bug or bad input. */
  protected isLoss(err: unknown): boolean {
    return this.platform.isDeviceError(err);
  }

  protected async handleFailure(err: unknown): Promise<void> {
    if (this.isLoss(err)) {
      await this.failOver(`the ${this.backend} device failed (${message(err)})`);
      return;
    }
    this.wantPlaying = false;
    this.stopTraining(message(err));
  }

  protected watchDevice(): void {
    const lost = this.platform.deviceLost();
    if (!lost) return;
    const backend = this.backend;
    void lost.then((reason) => {
      if (this.backend !== backend) return;
      // A tick awaiting the lost device must not land: bump the generation before queueing the fail-over.
      this.generation++;
      // A call that met the failure first (a hand-off, a tick) may have failed over already: then nothing is left to do.
      void this.enqueue(() => (this.backend === backend ? this.failOver(reason) : undefined));
    });
  }
}
