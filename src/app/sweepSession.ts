// The sweep's own trainer: a second worker whose session stacks up to 64 models (StartOptions.sweep) and
// sends metrics-only frames. While it trains the page's main run is paused (they would share the GPU) and
// it resumes when the sweep stops, if it was playing. A stopped sweep's worker stays, paused, until the next
// sweep starts: its cells' trained states can still be opened in the main run.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Snapshot } from '../core/engine';
import type { ModelState } from '../core/state';
import { sweepConfig, sweepProblem, type SweepSpec } from '../core/sweep';
import { urlStartOptions } from './hooks/useTrainer';
import { createTrainer, listen, type TrainerClient } from '../worker/client';
import type { TrainerStatus } from '../worker/protocol';

/** The heat-maps redraw at most this often. */
const RENDER_MS = 500;

export interface SweepRun {
  running: boolean;
  spec: SweepSpec | null;
  snapshot: Snapshot | null;
  status: TrainerStatus | null;
  stepsPerSecond: number;
  /** Why the last sweep did not start or stopped, or null. */
  error: string | null;
  start: (spec: SweepSpec) => void;
  stop: () => void;
  /** The current sweep's model `id` as it stands (one read of the sweep's worker), or null when there is none. */
  cellState: (id: string) => Promise<ModelState | null>;
}

export interface MainRun {
  playing: boolean;
  pause: () => void;
  play: () => void;
}

export function useSweep(main: MainRun): SweepRun {
  /** The sweep's worker; `ended` settles when it is terminated (a Comlink call to a terminated worker never settles). */
  const worker = useRef<{ trainer: TrainerClient; terminate: () => void; ended: Promise<null> } | null>(null);
  const resumeMain = useRef(false);
  const mainRef = useRef(main);
  mainRef.current = main;
  const [spec, setSpec] = useState<SweepSpec | null>(null);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [status, setStatus] = useState<TrainerStatus | null>(null);
  const [stepsPerSecond, setStepsPerSecond] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  const runningRef = useRef(false);

  const stop = useCallback(() => {
    // Paused, not ended: the cells' weights stay for cellState until the next sweep or the page goes.
    if (runningRef.current) void worker.current?.trainer.pause().catch(() => undefined);
    runningRef.current = false;
    setRunning(false);
    setStatus((s) => (s ? { ...s, phase: 'paused', playing: false } : s));
    if (resumeMain.current) mainRef.current.play();
    resumeMain.current = false;
  }, []);

  const start = useCallback(
    (next: SweepSpec) => {
      const why = sweepProblem(next);
      if (why) return setError(`This sweep cannot run: ${why}. Nothing was started.`);
      worker.current?.terminate();
      if (!runningRef.current && mainRef.current.playing) {
        resumeMain.current = true;
        mainRef.current.pause();
      }
      setError(null);
      setSpec(next);
      setSnapshot(null);
      const created = createTrainer();
      let end = () => {};
      const ended = new Promise<null>((r) => (end = () => r(null)));
      const w = { trainer: created.trainer, ended, terminate: () => (created.terminate(), end()) };
      worker.current = w;
      runningRef.current = true;
      setRunning(true);
      let pending: { snapshot: Snapshot; stepsPerSecond: number } | null = null;
      let timer = 0;
      const flush = () => {
        timer = 0;
        if (!pending || worker.current !== w) return;
        setSnapshot(pending.snapshot);
        setStepsPerSecond(pending.stepsPerSecond);
        pending = null;
      };
      const listener = listen({
        frame(f) {
          pending = { snapshot: f.snapshot, stepsPerSecond: f.stepsPerSecond };
          if (!timer) timer = window.setTimeout(flush, RENDER_MS);
        },
        status(s) {
          if (worker.current === w) setStatus(s);
        },
      });
      w.trainer
        .start(sweepConfig(next), { ...urlStartOptions(), autoplay: true, sweep: true }, listener)
        .catch((err: unknown) => {
          if (worker.current !== w) return;
          setError(`The sweep could not start: ${err instanceof Error ? err.message : String(err)}`);
          w.terminate();
          worker.current = null;
          stop();
        });
    },
    [stop],
  );

  // The main run stays paused while the sweep trains, whatever starts it (a lesson's run restarting with autoplay
  // after the sweep began); the page's Play button stops the sweep first (App.tsx).
  useEffect(() => {
    if (!running || !main.playing) return;
    resumeMain.current = true;
    mainRef.current.pause();
  }, [running, main.playing]);

  useEffect(() => () => worker.current?.terminate(), []);

  const cellState = useCallback(async (id: string) => {
    const w = worker.current;
    if (!w) return null;
    const run = await Promise.race([w.trainer.exportRun(), w.ended]);
    return run?.state.models.find((m) => m.id === id) ?? null;
  }, []);

  return { running, spec, snapshot, status, stepsPerSecond, error, start, stop, cellState };
}
