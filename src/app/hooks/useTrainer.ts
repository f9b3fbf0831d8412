// The worker: its lifecycle, the frames it streams (throttled for drawing), the loss curves and its status.
import { useEffect, useRef, useState } from 'react';
import type { RunConfig } from '../../core/config';
import type { Snapshot } from '../../core/engine';
import { isBackendName, type BackendName } from '../../platform/browser';
import { createTrainer, listen, type TrainerClient } from '../../worker/client';
import type { TrainerStatus } from '../../worker/protocol';
import type { LossMoment } from '../../worker/session';
import { drawLog } from '../drawQueue';
import { dataToPage } from '../plotlyAdapter';
import { historyPointOf, type HistoryPoint } from '../curvesView';

/** The views redraw at most this often; the worker may send frames faster. */
const RENDER_MS = 500;
/** The weights and curves views are heavier and change slowly: every two seconds is enough. */
const VIEWS_MS = 2000;
const MAX_HISTORY = 200;

const STARTING: TrainerStatus = {
  phase: 'starting',
  backend: null,
  message: 'starting…',
  notice: null,
  path: 'tfjs',
  playing: true,
};

/** What the page's URL asks of a trainer: ?backend= forces a backend, ?fused=0 turns the fused kernel off. */
export function urlStartOptions(): { backend: BackendName | undefined; fused: boolean } {
  const params = new URLSearchParams(location.search);
  const b = params.get('backend');
  return { backend: isBackendName(b) ? b : undefined, fused: params.get('fused') !== '0' };
}

export interface TrainerView {
  /** The worker's API; null before start and after unmount. */
  trainer: React.RefObject<TrainerClient | null>;
  snapshot: Snapshot | null;
  /** The configuration `snapshot` belongs to (the frame's): the page draws a snapshot only beside its own run. */
  snapshotConfig: RunConfig | null;
  /** The snapshot the slower views draw (refreshed every VIEWS_MS). */
  viewSnapshot: Snapshot | null;
  history: HistoryPoint[];
  /** The curves as they are now (for export). */
  historyRef: React.RefObject<HistoryPoint[]>;
  /** The next run the worker starts (an imported file) continues these curves instead of starting empty. */
  adoptHistory: (points: HistoryPoint[] | null) => void;
  stepsPerSecond: number;
  status: TrainerStatus;
  playing: boolean;
  togglePlay: () => void;
}

export function useTrainer(initial: RunConfig): TrainerView {
  const trainer = useRef<TrainerClient | null>(null);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [snapshotConfig, setSnapshotConfig] = useState<RunConfig | null>(null);
  const [viewSnapshot, setViewSnapshot] = useState<Snapshot | null>(null);
  const [history, setHistory] = useState<HistoryPoint[]>([]);
  const historyRef = useRef<HistoryPoint[]>([]);
  const adopted = useRef<HistoryPoint[] | null>(null);
  const [stepsPerSecond, setStepsPerSecond] = useState(0);
  const [status, setStatus] = useState<TrainerStatus>(STARTING);
  const [playing, setPlaying] = useState(true);
  const initialRef = useRef(initial);

  useEffect(() => {
    const { trainer: t, terminate } = createTrainer();
    trainer.current = t;
    let timer = 0;
    let pending: { snapshot: Snapshot; stepsPerSecond: number; config: RunConfig } | null = null;
    let viewsAt = 0;
    let run = -1;
    const flush = () => {
      timer = 0;
      const f = pending;
      if (!f) return;
      pending = null;
      setSnapshot(f.snapshot);
      setSnapshotConfig(f.config);
      setStepsPerSecond(f.stepsPerSecond);
      if (performance.now() - viewsAt >= VIEWS_MS) {
        viewsAt = performance.now();
        setViewSnapshot(f.snapshot);
        setHistory(historyRef.current.slice());
      }
    };
    const handle = {
      frames: 0,
      drawLog,
      loseDevice: (moment?: LossMoment) => t.loseDevice(moment),
      /** The last frames received (step, backend, RMSE and σ error per model, run, when it came): the soak's fail-over
       * check and the browser tests of the lessons read them. */
      frameLog: [] as {
        step: number;
        backend: string;
        rmse: number[];
        sigmaError: number[];
        run: number;
        at: number;
      }[],
      memory: () => t.memory(),
      /** Page pixel of data point (x, y) in fit panel k as drawn now (browser tests click points with it). */
      panelPixel: (k: number, x: number, y: number) => {
        const el = document.querySelector<HTMLElement>(`[data-testid="panel-${k}"] .plot`);
        return el ? dataToPage(el, x, y) : null;
      },
    };
    // A handle for the console, the benchmark and browser tests (frames received, a simulated lost device).
    (window as unknown as { explorer: typeof handle }).explorer = handle;
    const listener = listen({
      frame(f) {
        handle.frames++;
        handle.frameLog.push({
          step: f.snapshot.step,
          backend: f.snapshot.backend,
          rmse: f.snapshot.models.map((m) => m.metrics.rmse),
          sigmaError: f.snapshot.models.map((m) => m.metrics.sigmaError),
          run: f.run,
          at: performance.now(),
        });
        if (handle.frameLog.length > 64) handle.frameLog.splice(0, handle.frameLog.length - 64);
        pending = f;
        // A new run (restart, import, data) starts its own curves, or continues an imported file's.
        if (f.run !== run) {
          run = f.run;
          historyRef.current = adopted.current ?? [];
          adopted.current = null;
          viewsAt = 0;
        }
        const h = historyRef.current;
        if (h.length && f.snapshot.step < h[h.length - 1].step) h.length = 0;
        h.push(historyPointOf(f.snapshot));
        // Keep the curves light: past the cap, drop every other older point (log-scaled steps stay even).
        if (h.length > MAX_HISTORY) historyRef.current = h.filter((_, i) => i % 2 === 0 || i > h.length - 50);
        if (!timer) timer = window.setTimeout(flush, RENDER_MS);
      },
      status(s) {
        setStatus(s);
        setPlaying(s.playing);
      },
    });
    t.start(initialRef.current, { ...urlStartOptions(), autoplay: true }, listener).catch((err: unknown) =>
      setStatus({
        phase: 'error',
        backend: null,
        message: `could not start training: ${err instanceof Error ? err.message : String(err)}`,
        notice: null,
        path: 'tfjs',
        playing: false,
      }),
    );
    return () => {
      window.clearTimeout(timer);
      terminate();
      trainer.current = null;
    };
  }, []);

  const togglePlay = () => {
    const t = trainer.current;
    if (!t) return;
    if (playing) void t.pause();
    else void t.play();
    setPlaying(!playing);
  };

  return {
    trainer,
    snapshot,
    snapshotConfig,
    viewSnapshot,
    history,
    historyRef,
    adoptHistory: (points) => (adopted.current = points),
    stepsPerSecond,
    status,
    playing,
    togglePlay,
  };
}
