import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ModelSpec, RunConfig } from '../core/config';
import { makePoints, type DataSpec } from '../core/datasets';
import type { Snapshot } from '../core/engine';
import { parseLossId } from '../core/losses';
import { isBackendName } from '../platform/browser';
import type { Frame, TrainerStatus } from '../worker/protocol';
import { createTrainer, listen, type TrainerClient } from '../worker/client';
import { FitPanel } from './FitPanel';
import { NLL_VS_OUTLIERS } from './lessons';

/** The views redraw at most this often; the worker may send frames faster. */
const RENDER_MS = 200;

function forcedBackend() {
  const b = new URLSearchParams(location.search).get('backend');
  return isBackendName(b) ? b : undefined;
}

export function App() {
  const [config, setConfig] = useState<RunConfig>(NLL_VS_OUTLIERS.config);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [stepsPerSecond, setStepsPerSecond] = useState(0);
  const [status, setStatus] = useState<TrainerStatus>({ phase: 'starting', backend: null, message: 'starting…', notice: null });
  const [playing, setPlaying] = useState(true);
  const trainer = useRef<TrainerClient | null>(null);
  const pending = useRef<Frame | null>(null);
  const points = useMemo(() => makePoints(config.data), [config.data]);

  useEffect(() => {
    const { trainer: t, terminate } = createTrainer();
    trainer.current = t;
    let timer = 0;
    const flush = () => {
      timer = 0;
      const f = pending.current;
      if (!f) return;
      pending.current = null;
      setSnapshot(f.snapshot);
      setStepsPerSecond(f.stepsPerSecond);
    };
    const listener = listen({
      frame(f) {
        pending.current = f;
        if (!timer) timer = window.setTimeout(flush, RENDER_MS);
      },
      status(s) {
        setStatus(s);
      },
    });
    // A handle for the console and for browser tests (e.g. simulating a lost GPU device).
    (window as unknown as { explorer: unknown }).explorer = { loseDevice: () => t.loseDevice() };
    t.start(NLL_VS_OUTLIERS.config, { backend: forcedBackend(), autoplay: true }, listener).catch((err: unknown) =>
      setStatus({ phase: 'error', backend: null, message: `could not start training: ${err instanceof Error ? err.message : String(err)}`, notice: null }),
    );
    return () => {
      window.clearTimeout(timer);
      terminate();
      trainer.current = null;
    };
  }, []);

  const togglePlay = useCallback(() => {
    const t = trainer.current;
    if (!t) return;
    if (playing) void t.pause();
    else void t.play();
    setPlaying(!playing);
  }, [playing]);

  const updateModel = useCallback((index: number, patch: Partial<ModelSpec>) => {
    setConfig((c) => ({ ...c, models: c.models.map((m, k) => (k === index ? { ...m, ...patch } : m)) }));
    void trainer.current?.updateModel(index, patch);
  }, []);

  const updateData = useCallback((patch: Partial<DataSpec>) => {
    setConfig((c) => {
      const data = { ...c.data, ...patch };
      void trainer.current?.setData(data, false);
      return { ...c, data };
    });
  }, []);

  const statusOf = (k: number) => {
    const s = snapshot?.models[k]?.status ?? 'training';
    return s === 'training' && !playing ? 'paused' : s;
  };

  return (
    <div className="app">
      <header className="top">
        <h1>Robust Uncertainty Explorer</h1>
        <p className="lede">
          Four mean/variance networks train live on the same data: <b>{NLL_VS_OUTLIERS.title}</b> — the heteroscedastic sine with{' '}
          {Math.round(config.data.outlierRate * 100)} % injected outliers (crosses). Watch NLL's ±2σ band blow up while Robust-NLL follows the dotted truth.
        </p>
      </header>
      <div className="status" role="status">
        <span>
          backend <b data-testid="backend">{status.backend ?? '…'}</b>
        </span>
        <span>
          step <b data-testid="steps">{snapshot?.step ?? 0}</b>
        </span>
        <span>
          <b data-testid="steps-per-second">{stepsPerSecond.toFixed(0)}</b> steps/s
        </span>
        <span data-testid="phase">{status.phase}</span>
        {status.notice && (
          <span className="status-notice" data-testid="status-notice">
            {status.notice}
          </span>
        )}
        {status.message && (
          <span className={`status-message status-${status.phase}`} data-testid="status-message">
            {status.message}
          </span>
        )}
      </div>
      <div className="controls">
        <button type="button" onClick={togglePlay} data-testid="play">
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => void trainer.current?.step(10)} disabled={playing}>
          Step ×10
        </button>
        <button type="button" onClick={() => void trainer.current?.resetAll()}>
          Reset
        </button>
        <label className="slider">
          outlier rate <output>{Math.round(config.data.outlierRate * 100)} %</output>
          <input
            type="range"
            min={0}
            max={0.9}
            step={0.05}
            value={config.data.outlierRate}
            data-testid="outlier-rate"
            onChange={(e) => updateData({ outlierRate: Number(e.target.value) })}
          />
        </label>
        {config.models.map((m, k) =>
          parseLossId(m.loss).wrapper === 'boltzmann' ? (
            <label className="slider" key={k}>
              T (panel {k + 1}) <output>{m.T.toPrecision(3)}</output>
              <input
                type="range"
                min={-1}
                max={3}
                step={0.01}
                value={Math.log10(m.T)}
                data-testid={`T-${k}`}
                onChange={(e) => updateModel(k, { T: 10 ** Number(e.target.value) })}
              />
            </label>
          ) : null,
        )}
      </div>
      <main className="panels">
        {config.models.map((m, k) => (
          <FitPanel key={k} index={k} spec={m} snapshot={snapshot} points={points} revision={config.data.dataset} status={statusOf(k)} />
        ))}
      </main>
    </div>
  );
}
