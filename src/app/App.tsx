import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_MODEL, nextModelId, type ModelSpec, type RunConfig, type TrainSettings } from '../core/config';
import { DATASET_IDS, DATASETS, OUTLIER_KINDS, makePoints, type DataSpec, type Points } from '../core/datasets';
import type { Snapshot } from '../core/engine';
import { parseRunFile, runFileJson } from '../core/exportFile';
import { barronPsi, barronRho, LOSS_IDS, lossHypers, lossLabel, TAU_MODES, type TauMode } from '../core/losses';
import { isBackendName } from '../platform/browser';
import type { Frame, TrainerStatus } from '../worker/protocol';
import { createTrainer, listen, type TrainerClient } from '../worker/client';
import { parseCsv } from './csv';
import { drawLog } from './drawQueue';
import { FitPanel } from './FitPanel';
import { curvesView, shapeView, weightsView, type HistoryPoint } from './figures';
import { findLesson, LESSONS, type LessonAction } from './lessons';
import { DATA_SLIDERS, MODEL_SLIDERS, TRAIN_SLIDERS } from './params';
import { download, plotPng } from './Plot';
import { ViewPanel } from './ViewPanel';
import { Slider } from './Slider';
import { HIDEABLE, parseHash, toHash, type Hideable } from './urlState';

/** The views redraw at most this often; the worker may send frames faster. */
const RENDER_MS = 500;
/** The weights and curves views are heavier and change slowly: every two seconds is enough. */
const VIEWS_MS = 2000;
const MAX_MODELS = 8;
const MAX_HISTORY = 200;

function forcedBackend() {
  const b = new URLSearchParams(location.search).get('backend');
  return isBackendName(b) ? b : undefined;
}

const initial = parseHash(location.hash);

export function App() {
  const [config, setConfig] = useState<RunConfig>(initial.config);
  const [lessonId, setLessonId] = useState<string | null>(initial.lessonId);
  const [hide] = useState<Hideable[]>(initial.hide);
  /** The user's own points (CSV, clicks, a file) and the data spec they extend (null: no known truth). */
  const [userData, setUserData] = useState<{ points: Points; truth: DataSpec | null } | null>(null);
  const [snapshot, setSnapshot] = useState<Snapshot | null>(null);
  const [viewSnapshot, setViewSnapshot] = useState<Snapshot | null>(null);
  const viewsAt = useRef(0);
  const [history, setHistory] = useState<HistoryPoint[]>([]);
  const [stepsPerSecond, setStepsPerSecond] = useState(0);
  const [status, setStatus] = useState<TrainerStatus>({ phase: 'starting', backend: null, message: 'starting…', notice: null, path: 'tfjs', playing: true });
  const [playing, setPlaying] = useState(true);
  const [keepWeights, setKeepWeights] = useState(false);
  const [pngScale, setPngScale] = useState(2);
  const [teacherHide, setTeacherHide] = useState<Hideable[]>(['data', 'training', 'models']);
  const [selectedId, setSelectedId] = useState(initial.config.models[initial.config.models.length - 1].id);
  const [alert, setAlert] = useState<string | null>(initial.error);
  const [info, setInfo] = useState<string | null>(null);
  const trainer = useRef<TrainerClient | null>(null);
  const pending = useRef<Frame | null>(null);
  const historyRef = useRef<HistoryPoint[]>([]);
  const gridRef = useRef<HTMLDivElement>(null);
  const points = useMemo(() => userData?.points ?? makePoints(config.data), [userData, config.data]);

  // The URL always describes the run on screen.
  useEffect(() => {
    window.history.replaceState(null, '', toHash({ config, lessonId, hide }));
  }, [config, lessonId, hide]);

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
      if (performance.now() - viewsAt.current >= VIEWS_MS) {
        viewsAt.current = performance.now();
        setViewSnapshot(f.snapshot);
        setHistory(historyRef.current.slice());
      }
    };
    const handle = { frames: 0, drawLog, loseDevice: () => t.loseDevice(), memory: () => t.memory() };
    // A handle for the console, the benchmark and browser tests (frames received, a simulated lost device).
    (window as unknown as { explorer: typeof handle }).explorer = handle;
    const listener = listen({
      frame(f) {
        handle.frames++;
        pending.current = f;
        const h = historyRef.current;
        if (h.length && f.snapshot.step < h[h.length - 1].step) h.length = 0;
        h.push({ step: f.snapshot.step, models: f.snapshot.models.map((m) => ({ id: m.id, rmse: m.metrics.rmse, nll: m.metrics.nll, outlierWeightShare: m.metrics.outlierWeightShare })) });
        // Keep the curves light: past the cap, drop every other older point (log-scaled steps stay even).
        if (h.length > MAX_HISTORY) historyRef.current = h.filter((_, i) => i % 2 === 0 || i > h.length - 50);
        if (!timer) timer = window.setTimeout(flush, RENDER_MS);
      },
      status(s) {
        setStatus(s);
        setPlaying(s.playing);
      },
    });
    t.start(initial.config, { backend: forcedBackend(), autoplay: true, fused: new URLSearchParams(location.search).get('fused') !== '0' }, listener).catch((err: unknown) =>
      setStatus({ phase: 'error', backend: null, message: `could not start training: ${err instanceof Error ? err.message : String(err)}`, notice: null, path: 'tfjs', playing: false }),
    );
    return () => {
      window.clearTimeout(timer);
      terminate();
      trainer.current = null;
    };
  }, []);

  const restart = useCallback(
    (next: RunConfig) => {
      historyRef.current = [];
      setHistory([]);
      setConfig(next);
      setUserData(null);
      setSelectedId(next.models[next.models.length - 1].id);
      return trainer.current?.restart(next, null, playing);
    },
    [playing],
  );

  /** A call the worker refused (a stale id, a state that does not fit): say so; the worker changed nothing. */
  const refused = useCallback((err: unknown) => setAlert(err instanceof Error ? err.message : String(err)), []);

  const togglePlay = useCallback(() => {
    const t = trainer.current;
    if (!t) return;
    if (playing) void t.pause();
    else void t.play();
    setPlaying(!playing);
  }, [playing]);

  const updateModel = useCallback(
    (id: string, patch: Partial<Omit<ModelSpec, 'id'>>) => {
      setConfig((c) => ({ ...c, models: c.models.map((m) => (m.id === id ? { ...m, ...patch } : m)) }));
      trainer.current?.updateModel(id, patch).catch(refused);
    },
    [refused],
  );

  /** The new list of models: kept ids go on training, `copyFrom[newId]` starts from another's state, new ids afresh. */
  const setModels = useCallback(
    (models: ModelSpec[], copyFrom: Record<string, string> = {}) => {
      setConfig((c) => ({ ...c, models }));
      trainer.current?.setModels(models, copyFrom).catch(refused);
    },
    [refused],
  );

  const updateData = useCallback(
    (patch: Partial<DataSpec>) => {
      const data = { ...config.data, ...patch };
      setUserData(null);
      setConfig((c) => ({ ...c, data }));
      void trainer.current?.setData(data, keepWeights);
      if (!keepWeights) historyRef.current = [];
    },
    [keepWeights, config.data],
  );

  const updateTrain = useCallback((patch: Partial<TrainSettings>) => {
    setConfig((c) => ({ ...c, train: { ...c.train, ...patch } }));
    void trainer.current?.setTrain(patch);
  }, []);

  const runActions = useCallback(
    (actions: LessonAction[]) => {
      for (const a of actions) {
        if (a.kind === 'model') {
          // The link names a model by id: if it was removed, say so and change nothing.
          if (!config.models.some((m) => m.id === a.id)) setAlert(`This link changes model ${a.id}, which is no longer here; nothing was changed. Reopen the lesson to get it back.`);
          else updateModel(a.id, a.patch);
        } else if (a.kind === 'data') updateData(a.patch);
        else updateTrain(a.patch);
      }
    },
    [config.models, updateModel, updateData, updateTrain],
  );

  const openLesson = useCallback(
    (id: string) => {
      const lesson = findLesson(id);
      if (!lesson) return;
      setLessonId(id);
      setAlert(null);
      void restart(lesson.config);
    },
    [restart],
  );

  const exportJson = useCallback(async () => {
    const t = trainer.current;
    if (!t) return;
    try {
      // The worker's own (configuration, state, snapshot): never a newer configuration with an older snapshot.
      const run = await t.exportRun();
      const json = runFileJson({ ...run, history: historyRef.current.map((h) => ({ step: h.step, models: h.models })) });
      download(`explorer-step-${run.snapshot.step}.json`, URL.createObjectURL(new Blob([json], { type: 'application/json' })));
    } catch (err) {
      setAlert(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }, []);

  const importFile = useCallback(
    async (file: File) => {
      const text = await file.text();
      if (file.name.toLowerCase().endsWith('.csv')) {
        const r = parseCsv(text);
        if (!r.ok) {
          setAlert(`${file.name}: ${r.message} Your data is unchanged.`);
          return;
        }
        try {
          await trainer.current?.setPoints(r.points, keepWeights, null);
        } catch (err) {
          setAlert(`${file.name}: ${err instanceof Error ? err.message : String(err)}. Your data is unchanged.`);
          return;
        }
        setAlert(null);
        setUserData({ points: r.points, truth: null });
        historyRef.current = [];
        setInfo(`Loaded ${r.points.x.length} points from ${file.name}.`);
        return;
      }
      try {
        const f = parseRunFile(text);
        // All or nothing: the worker builds the imported run beside the current one and swaps only on success.
        await trainer.current?.importRun({ config: f.config, points: f.points, imported: f.imported, state: f.state });
        setConfig(f.config);
        setUserData(f.imported ? { points: f.points, truth: null } : null);
        setSelectedId(f.config.models[f.config.models.length - 1].id);
        historyRef.current = f.history.map((h) => ({
          step: h.step,
          models: h.models.map((m, k) => ({ id: typeof m.id === 'string' ? m.id : (f.config.models[k]?.id ?? ''), rmse: Number(m.rmse ?? NaN), nll: Number(m.nll ?? NaN), outlierWeightShare: Number(m.outlierWeightShare ?? NaN) })),
        }));
        setHistory(historyRef.current.slice());
        setLessonId(null);
        setAlert(null);
        setInfo(`Restored ${file.name} at step ${f.state.step}${f.migrated ? ` (${f.migrated})` : ''}.`);
      } catch (err) {
        setAlert(`${file.name}: ${err instanceof Error ? err.message : String(err)}. Nothing was changed.`);
      }
    },
    [keepWeights],
  );

  const exportGridPng = useCallback(async () => {
    const plots = Array.from(gridRef.current?.querySelectorAll<HTMLElement>('.panel .plot') ?? []);
    if (!plots.length) return;
    const images = await Promise.all(plots.map((p) => plotPng(p, { width: 480, height: 360, scale: pngScale })));
    const cols = Math.min(4, images.length);
    const rows = Math.ceil(images.length / cols);
    const cw = 480 * pngScale;
    const ch = 360 * pngScale;
    const canvas = document.createElement('canvas');
    canvas.width = cols * cw;
    canvas.height = rows * ch;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    await Promise.all(
      images.map(
        (src, i) =>
          new Promise<void>((resolve) => {
            const img = new Image();
            img.onload = () => {
              ctx.drawImage(img, (i % cols) * cw, Math.floor(i / cols) * ch);
              resolve();
            };
            img.src = src;
          }),
      ),
    );
    download(`explorer-grid-step-${snapshot?.step ?? 0}.png`, canvas.toDataURL('image/png'));
  }, [snapshot, pngScale]);

  const copyLink = useCallback(
    async (teacher: boolean) => {
      const url = `${location.origin}${location.pathname}${location.search}${toHash({ config, lessonId, hide: teacher ? teacherHide : hide })}`;
      try {
        await navigator.clipboard.writeText(url);
        setInfo(teacher ? `Copied a link that hides: ${teacherHide.join(', ') || 'nothing'}.` : 'Copied a link to this exact setup.');
      } catch {
        setInfo(`Copy this link: ${url}`);
      }
    },
    [config, lessonId, hide, teacherHide],
  );

  /** Clicked points extend the data they were added to: generated data keeps its truth (RMSE, σ error). */
  const truth = userData ? userData.truth : config.data;

  const addPoint = useCallback(
    (x: number, y: number, outlier: boolean) => {
      const next: Points = {
        x: Float32Array.from([...points.x, x]),
        y: Float32Array.from([...points.y, y]),
        isOutlier: Uint8Array.from([...points.isOutlier, outlier ? 1 : 0]),
      };
      setUserData({ points: next, truth });
      // Training goes on from where it is: one new point should not restart the lesson.
      trainer.current?.setPoints(next, true, truth).catch(refused);
      setInfo(`Added ${outlier ? 'an outlier' : 'a point'} at (${x.toFixed(2)}, ${y.toFixed(2)}); ${next.x.length} points now.`);
    },
    [points, truth, refused],
  );

  const removePoint = useCallback(
    (i: number) => {
      if (points.x.length <= 2) {
        setInfo('Two points are the least a fit needs; nothing was removed.');
        return;
      }
      const keep = (_: number, j: number) => j !== i;
      const next: Points = { x: points.x.filter(keep), y: points.y.filter(keep), isOutlier: points.isOutlier.filter(keep) };
      setUserData({ points: next, truth });
      trainer.current?.setPoints(next, true, truth).catch(refused);
      setInfo(`Removed ${points.isOutlier[i] ? 'an outlier' : 'a point'} at (${points.x[i].toFixed(2)}, ${points.y[i].toFixed(2)}); ${next.x.length} points now.`);
    },
    [points, truth, refused],
  );

  const statusOf = (id: string) => {
    const s = snapshot?.models.find((m) => m.id === id)?.status ?? 'training';
    return s === 'training' && !playing ? 'paused' : s;
  };

  const lesson = lessonId ? findLesson(lessonId) : null;
  const sel = config.models.find((m) => m.id === selectedId) ?? config.models[0];
  const revision = `${config.data.dataset}-${userData ? 'own' : 'gen'}`;
  const weightsFig = useMemo(() => {
    const m = viewSnapshot?.models.find((x) => x.id === sel.id);
    return m ? weightsView(m, sel, points, revision) : null;
  }, [viewSnapshot, sel, points, revision]);
  const shapeFig = useMemo(
    () => shapeView({ alpha: sel.alpha, c: sel.c, T: sel.T, batch: Math.min(config.train.batchSize, points.x.length), beta: sel.beta }, barronRho, barronPsi),
    [sel.alpha, sel.c, sel.T, sel.beta, config.train.batchSize, points.x.length],
  );
  const curvesFig = useMemo(() => (history.length ? curvesView(history, config.models, revision) : null), [history, config.models, revision]);
  const shown = (h: Hideable) => !hide.includes(h);

  return (
    <div className="app">
      <header className="top">
        <h1>Robust Uncertainty Explorer</h1>
        <p className="lede">
          Mean/variance networks train live in your browser on the same data, one loss per panel. Crosses are injected outliers; colour is each point's weight; the dotted line and dashed band are the truth, the
          shaded band the predicted ±2σ. Click a plot to add a point there (shift-click: an outlier; alt-click a point to remove it).
        </p>
      </header>
      {alert && (
        <div className="alert" role="alert" data-testid="alert">
          {alert} <button onClick={() => setAlert(null)}>dismiss</button>
        </div>
      )}
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
        <span data-testid="path" title="the fused WGSL kernel trains all models in one dispatch; otherwise the batched TensorFlow.js graph">
          {status.path}
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
        {info && <span className="status-info">{info}</span>}
      </div>
      <div className="toolbar">
        <button type="button" onClick={togglePlay} data-testid="play" aria-pressed={playing}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={() => void trainer.current?.step(10)} disabled={playing}>
          Step ×10
        </button>
        <button type="button" onClick={() => void trainer.current?.resetAll()}>
          Reset all
        </button>
        <span className="sep" />
        <button type="button" onClick={() => void exportGridPng()} data-testid="export-png">
          PNG of the grid
        </button>
        <select value={pngScale} onChange={(e) => setPngScale(Number(e.target.value))} aria-label="PNG scale" title="scale of PNG exports">
          {[1, 2, 3, 4].map((v) => (
            <option key={v} value={v}>
              {v}×
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void exportJson()} data-testid="export-json">
          Export JSON
        </button>
        <label className="file-button">
          Import JSON or CSV
          <input type="file" accept=".json,.csv,application/json,text/csv" data-testid="import" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0]).finally(() => (e.target.value = ''))} />
        </label>
        <button type="button" onClick={() => void copyLink(false)} data-testid="copy-link">
          Copy link
        </button>
        <details className="teacher">
          <summary>Teacher link</summary>
          <div className="teacher-menu">
            hide:
            {HIDEABLE.map((h) => (
              <label key={h}>
                <input type="checkbox" checked={teacherHide.includes(h)} onChange={(e) => setTeacherHide((t) => (e.target.checked ? [...t, h] : t.filter((x) => x !== h)))} /> {h}
              </label>
            ))}
            <button type="button" onClick={() => void copyLink(true)}>
              Copy
            </button>
          </div>
        </details>
      </div>
      <div className="layout">
        <aside className="side">
          {shown('lessons') && (
            <section className="card">
              <h2>Lessons</h2>
              <select value={lessonId ?? ''} onChange={(e) => openLesson(e.target.value)} data-testid="lesson" aria-label="lesson">
                {lessonId === null && <option value="">(your own setup)</option>}
                {LESSONS.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.title}
                  </option>
                ))}
              </select>
              {lesson && (
                <div className="lesson-text">
                  <p className="cite">{lesson.citation}</p>
                  {lesson.text.map((para, i) => (
                    <p key={i}>
                      {para.map((seg, j) =>
                        typeof seg === 'string' ? (
                          <span key={j}>{seg}</span>
                        ) : (
                          <a key={j} href="#" onClick={(e) => (e.preventDefault(), runActions(seg.actions))}>
                            {seg.link}
                          </a>
                        ),
                      )}
                    </p>
                  ))}
                </div>
              )}
            </section>
          )}
          {shown('models') && (
            <section className="card">
              <h2>Models</h2>
              {config.models.map((m, k) => (
                <div key={m.id} className={`model ${m.id === sel.id ? 'model-selected' : ''}`} onClick={() => setSelectedId(m.id)} data-model-id={m.id}>
                  <div className="model-head">
                    <b>{k + 1}</b>
                    <select value={m.loss} onChange={(e) => updateModel(m.id, { loss: e.target.value })} aria-label={`loss of model ${k + 1}`} data-testid={`loss-${k}`}>
                      {LOSS_IDS.map((id) => (
                        <option key={id} value={id}>
                          {lossLabel(id)}
                        </option>
                      ))}
                    </select>
                    <button
                      type="button"
                      title="duplicate this model (the copy starts from its weights)"
                      aria-label="duplicate"
                      disabled={config.models.length >= MAX_MODELS}
                      onClick={() => {
                        const id = nextModelId(config.models);
                        setModels([...config.models, { ...m, id }], { [id]: m.id });
                      }}
                    >
                      dup
                    </button>
                    <button type="button" title="reset this model" data-testid={`reset-${m.id}`} onClick={() => trainer.current?.resetModel(m.id).catch(refused)}>
                      ↺
                    </button>
                    <button
                      type="button"
                      title="remove"
                      disabled={config.models.length <= 1}
                      onClick={() => {
                        const rest = config.models.filter((x) => x.id !== m.id);
                        setModels(rest);
                        setSelectedId(rest[rest.length - 1].id);
                      }}
                    >
                      ×
                    </button>
                  </div>
                  {lossHypers(m.loss).map((h) =>
                    h === 'tauMode' ? (
                      <label key={h} className="inline">
                        τ mode{' '}
                        <select value={m.tauMode} onChange={(e) => updateModel(m.id, { tauMode: e.target.value as TauMode })}>
                          {TAU_MODES.map((t) => (
                            <option key={t}>{t}</option>
                          ))}
                        </select>
                      </label>
                    ) : MODEL_SLIDERS[h] && (h !== 'tau' || m.tauMode === 'fixed') ? (
                      <Slider key={h} def={MODEL_SLIDERS[h]!} value={m[h] as number} onChange={(v) => updateModel(m.id, { [h]: v })} testId={`${h}-${k}`} />
                    ) : null,
                  )}
                </div>
              ))}
              <button
                type="button"
                data-testid="add-model"
                disabled={config.models.length >= MAX_MODELS}
                onClick={() => setModels([...config.models, { ...DEFAULT_MODEL, id: nextModelId(config.models), loss: 'robust-nll', initSeed: config.models.length + 1 }])}
              >
                + add a model
              </button>
            </section>
          )}
          {shown('data') && (
            <section className="card">
              <h2>Data</h2>
              <select value={config.data.dataset} onChange={(e) => updateData({ dataset: e.target.value as DataSpec['dataset'], n: DATASETS[e.target.value as DataSpec['dataset']].defaultN })} aria-label="dataset">
                {DATASET_IDS.map((d) => (
                  <option key={d} value={d}>
                    {DATASETS[d].label}
                  </option>
                ))}
              </select>
              {userData && <p className="note">Showing your own data ({userData.points.x.length} points); change any data setting to go back to generated data.</p>}
              <Slider def={DATA_SLIDERS.outlierRate!} value={config.data.outlierRate} onChange={(v) => updateData({ outlierRate: v })} testId="outlier-rate" />
              <label className="inline">
                outlier kind{' '}
                <select value={config.data.outlierKind} onChange={(e) => updateData({ outlierKind: e.target.value as DataSpec['outlierKind'] })}>
                  {OUTLIER_KINDS.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              </label>
              <Slider def={DATA_SLIDERS.outlierScale!} value={config.data.outlierScale} onChange={(v) => updateData({ outlierScale: v })} />
              <Slider def={DATA_SLIDERS.noise!} value={config.data.noise} onChange={(v) => updateData({ noise: v })} />
              <Slider def={DATA_SLIDERS.n!} value={config.data.n} onChange={(v) => updateData({ n: Math.round(v) })} />
              <label className="inline">
                seed{' '}
                <input
                  type="number"
                  value={config.data.seed}
                  // An empty field is an edit in progress, not seed 0.
                  onChange={(e) => e.target.value.trim() !== '' && Number.isInteger(Number(e.target.value)) && updateData({ seed: Number(e.target.value) })}
                  style={{ width: 70 }}
                />
              </label>
              <label className="inline">
                <input type="checkbox" checked={keepWeights} onChange={(e) => setKeepWeights(e.target.checked)} /> keep weights when data changes
              </label>
            </section>
          )}
          {shown('training') && (
            <section className="card">
              <h2>Training</h2>
              <label className="inline">
                optimizer{' '}
                <select value={config.train.optimizer} onChange={(e) => updateTrain({ optimizer: e.target.value as TrainSettings['optimizer'] })}>
                  <option value="adam">Adam</option>
                  <option value="sgd">SGD</option>
                </select>
              </label>
              <Slider def={TRAIN_SLIDERS.learningRate!} value={config.train.learningRate} onChange={(v) => updateTrain({ learningRate: v })} />
              <Slider def={TRAIN_SLIDERS.batchSize!} value={config.train.batchSize} onChange={(v) => updateTrain({ batchSize: Math.round(v) })} />
              <Slider def={TRAIN_SLIDERS.warmupMeanSteps!} value={config.train.warmupMeanSteps} onChange={(v) => updateTrain({ warmupMeanSteps: v })} />
              <Slider def={TRAIN_SLIDERS.warmupNllSteps!} value={config.train.warmupNllSteps} onChange={(v) => updateTrain({ warmupNllSteps: v })} />
              <label className="inline">
                network{' '}
                <select
                  value={config.train.architecture.hidden.join('x') || 'linear'}
                  onChange={(e) => updateTrain({ architecture: { ...config.train.architecture, hidden: e.target.value === 'linear' ? [] : e.target.value.split('x').map(Number) } })}
                >
                  {['linear', '16', '50', '128', '50x50', '64x64', '128x128'].map((v) => (
                    <option key={v} value={v}>
                      {v === 'linear' ? 'linear (no hidden layer)' : v.replace('x', ' × ')}
                    </option>
                  ))}
                </select>
              </label>
              <label className="inline">
                activation{' '}
                <select value={config.train.architecture.activation} onChange={(e) => updateTrain({ architecture: { ...config.train.architecture, activation: e.target.value as TrainSettings['architecture']['activation'] } })}>
                  {['relu', 'tanh', 'elu', 'sigmoid'].map((a) => (
                    <option key={a}>{a}</option>
                  ))}
                </select>
              </label>
            </section>
          )}
        </aside>
        <main>
          <div className="panels" ref={gridRef}>
            {config.models.map((m, k) => (
              <FitPanel key={m.id} index={k} spec={m} snapshot={snapshot} points={points} revision={revision} status={statusOf(m.id)} onAddPoint={addPoint} onRemovePoint={removePoint} pngScale={pngScale} />
            ))}
          </div>
          {shown('views') && (
            <div className="views">
              <ViewPanel view={weightsFig} testId="weights-view" pngScale={pngScale}>
                <p className="note">Weights of model {config.models.indexOf(sel) + 1} (click a model on the left to select it). Relative weight 1 is what plain averaging gives every point.</p>
              </ViewPanel>
              <ViewPanel view={shapeFig} testId="shape-view" pngScale={pngScale} />
              <ViewPanel view={curvesFig} testId="curves-view" pngScale={pngScale} />
            </div>
          )}
        </main>
      </div>
    </div>
  );
}
