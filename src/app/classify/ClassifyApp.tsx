// The classification mode: ALUM and its baselines trained live in a worker on 2-D data with flipped labels.
import * as Comlink from 'comlink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { CLASS_DATASETS, FLIP_KINDS, makeClassData, MULTICLASS, type ClassDataSpec } from '../../core/classify/data';
import type { ClassRunConfig } from '../../core/classify/engine';
import type { ClassSnapshot } from '../../core/classify/evaluate';
import { classExportJson, parseClassFile, type ClassHistoryRow } from '../../core/classify/schema';
import { displayName, type ClassModelSpec } from '../../core/classify/spec';
import type { ClassifyApi, ClassMessage } from '../../worker/protocol';
import { ModelsCard } from './ModelsCard';
import { ClsPlot, exportPlotsPng, pixelsUrl } from './ClsPlot';
import {
  accuracyFigure,
  embeddingFigure,
  flippedHistogramFigure,
  inputPlaneFigure,
  miningText,
  probabilityPixels,
  rejectionFigure,
  scalarPixels,
  sigmaFieldFigure,
} from './figures';
import { CLASS_LESSONS, findClassLesson, type ClassAction } from './lessons';
import { classHash, parseClassHash } from './link';
import { ClassProgress } from './ClassProgress';
import { LessonText } from '../components/LessonText';

function download(name: string, text: string) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  a.download = name;
  a.click();
}

const initial = parseClassHash(location.hash);

export function ClassifyApp() {
  const [config, setConfig] = useState<ClassRunConfig>(initial.config);
  const [lessonId, setLessonId] = useState<string | null>(initial.lessonId);
  const [alert, setAlert] = useState<string | null>(initial.error);
  const [snapshot, setSnapshot] = useState<ClassSnapshot | null>(null);
  const [history, setHistory] = useState<ClassHistoryRow[]>([]);
  const [backend, setBackend] = useState('starting');
  /** Why this backend (an emulated GPU skipped, a fallback), shown beside it. */
  const [backendNote, setBackendNote] = useState<string | null>(null);
  const [speed, setSpeed] = useState(0);
  const [playing, setPlaying] = useState(true);
  const [selected, setSelected] = useState(0);
  const [hovered, setHovered] = useState<number | null>(null);
  const viewsRef = useRef<HTMLDivElement>(null);
  const api = useRef<Comlink.Remote<ClassifyApi> | null>(null);
  const started = useRef(false);

  useEffect(() => {
    const worker = new Worker(new URL('../../worker/classify.worker.ts', import.meta.url), {
      type: 'module',
      name: 'classify',
    });
    const remote = Comlink.wrap<ClassifyApi>(worker);
    api.current = remote;
    const onMessage = (m: ClassMessage) => {
      if (m.kind === 'error') return setAlert(`Training stopped: ${m.message}`);
      if (m.kind === 'notice') return setBackendNote(m.message);
      setSnapshot(m.snapshot);
      setHistory(m.history);
      setSpeed(m.stepsPerSecond);
    };
    const forced = new URLSearchParams(location.search).get('backend');
    remote
      .start(initial.config, forced, Comlink.proxy(onMessage))
      .then((r) => {
        setBackend(r.backend);
        setBackendNote(r.notes.length ? r.notes.join('; ') : null);
        started.current = true;
      })
      .catch((e) => setAlert(`The trainer could not start: ${e instanceof Error ? e.message : String(e)}`));
    return () => worker.terminate();
  }, []);

  /** Every change of the setup: to the worker (live where it can), to the link. */
  const apply = (next: ClassRunConfig, lesson: string | null = null, restart = false) => {
    setConfig(next);
    setLessonId(lesson);
    if (restart) setHistory([]);
    window.history.replaceState(null, '', classHash(next, lesson));
    if (started.current)
      void (restart ? api.current?.restart(next) : api.current?.update(next))?.catch((e: unknown) =>
        setAlert(String(e)),
      );
  };
  const setData = (patch: Partial<ClassDataSpec>) => apply({ ...config, data: { ...config.data, ...patch } }, null);
  const setModel = (k: number, patch: Partial<ClassModelSpec>) =>
    apply({ ...config, models: config.models.map((m, j) => (j === k ? { ...m, ...patch } : m)) }, null);
  const runActions = (actions: ClassAction[]) => {
    let next = config;
    for (const a of actions) {
      if (a.kind === 'data') next = { ...next, data: { ...next.data, ...a.patch } };
      else next = { ...next, models: next.models.map((m) => (m.id === a.id ? { ...m, ...a.patch } : m)) };
    }
    apply(next, null);
  };
  const openLesson = (id: string) => {
    const l = findClassLesson(id);
    if (l) apply(l.config, l.id, true);
  };

  const data = useMemo(() => makeClassData(config.data), [config.data]);
  const names = config.models.map(displayName);
  const sel = Math.min(selected, config.models.length - 1);
  const selSnap = snapshot?.models[sel];
  const lesson = lessonId ? findClassLesson(lessonId) : null;
  const classes = data.train.classes;
  const planes = useMemo(
    () =>
      snapshot?.models.map((m, k) =>
        m.fields && m.fields.probs.length === m.fields.gridSize ** 2 * classes
          ? inputPlaneFigure(
              `${names[k] ?? m.id} · test ${(100 * m.metrics.testAccuracy).toFixed(1)} %`,
              m.fields,
              data.train,
              pixelsUrl(probabilityPixels(m.fields, classes), m.fields.gridSize),
            )
          : null,
      ) ?? [],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [snapshot],
  );

  return (
    <div className="app">
      <header className="top">
        <h1>Robust Uncertainty Explorer · classification under label noise</h1>
        <p className="lede">
          Classifiers with a mean/variance embedding train live on 2-D data whose training labels are partly flipped
          (ringed points). Shading: each model's class probabilities on the input plane, with its decision boundary in
          black. ALUM is built from its paper (no public code); where the paper is ambiguous the reading taken is named
          in the lessons and in docs/reproductions.md.
        </p>
      </header>
      {alert && (
        <div className="alert" role="alert" data-testid="cls-alert">
          {alert} <button onClick={() => setAlert(null)}>dismiss</button>
        </div>
      )}
      <div className="status">
        backend{' '}
        <b data-testid="cls-backend" title={backendNote ?? undefined}>
          {backend}
        </b>
        {backendNote && (
          <span className="note" data-testid="cls-backend-note">
            {' '}
            ({backendNote})
          </span>
        )}{' '}
        · step <b data-testid="cls-steps">{snapshot?.step ?? 0}</b> ·{' '}
        <span data-testid="cls-speed">{speed.toFixed(0)}</span> steps/s
      </div>
      <div className="toolbar">
        <button
          data-testid="cls-play"
          onClick={() => (playing ? api.current?.pause() : api.current?.play(), setPlaying(!playing))}
        >
          {playing ? 'pause' : 'play'}
        </button>
        <button onClick={() => apply(config, lessonId, true)}>reset weights</button>
        <button
          data-testid="cls-copy-link"
          onClick={() => void navigator.clipboard?.writeText(location.href).catch(() => {})}
        >
          copy link
        </button>
        <button
          data-testid="cls-export"
          onClick={() =>
            download(`classification-step-${snapshot?.step ?? 0}.json`, classExportJson(config, snapshot, history))
          }
        >
          export JSON
        </button>
        <button
          data-testid="cls-export-png"
          onClick={() =>
            viewsRef.current &&
            void exportPlotsPng(viewsRef.current, 2, `classification-step-${snapshot?.step ?? 0}.png`).catch(
              (e: unknown) => setAlert(`No PNG: ${e instanceof Error ? e.message : String(e)}`),
            )
          }
        >
          export PNG
        </button>
        <label className="file">
          import JSON{' '}
          <input
            type="file"
            accept=".json"
            data-testid="cls-import"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              void file.text().then((text) => {
                const r = parseClassFile(text);
                if ('error' in r) setAlert(`This file cannot be opened (${r.error}); nothing changed.`);
                else apply(r.config, null, true);
              });
              e.target.value = '';
            }}
          />
        </label>
      </div>
      <div className="layout">
        <aside className="side">
          <section className="card">
            <h2>Lessons</h2>
            <select data-testid="cls-lesson" value={lessonId ?? ''} onChange={(e) => openLesson(e.target.value)}>
              {lessonId === null && <option value="">(your own setup)</option>}
              {CLASS_LESSONS.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.title}
                </option>
              ))}
            </select>
            {lesson && <LessonText citation={lesson.citation} text={lesson.text} onActions={runActions} />}
            {lesson && (
              <ClassProgress
                lesson={lesson}
                snapshot={snapshot}
                stepsPerSecond={playing ? speed : 0}
                models={config.models}
                name={displayName}
              />
            )}
          </section>
          <section className="card cls-data">
            <h2>Data</h2>
            <label>
              data set{' '}
              <select
                data-testid="cls-dataset"
                value={config.data.dataset}
                onChange={(e) => setData({ dataset: e.target.value as ClassDataSpec['dataset'] })}
              >
                {CLASS_DATASETS.map((d) => (
                  <option key={d}>{d}</option>
                ))}
              </select>
            </label>
            {MULTICLASS.includes(config.data.dataset) && (
              <label>
                classes{' '}
                <input
                  type="number"
                  min={2}
                  max={5}
                  value={config.data.classes}
                  onChange={(e) =>
                    setData({ classes: Math.max(2, Math.min(5, Math.round(Number(e.target.value)) || 2)) })
                  }
                />
              </label>
            )}
            <label>
              flipped labels {(100 * config.data.flipRate).toFixed(0)} %{' '}
              <input
                data-testid="cls-flip"
                type="range"
                min={0}
                max={0.5}
                step={0.05}
                value={config.data.flipRate}
                onChange={(e) => setData({ flipRate: Number(e.target.value) })}
              />
            </label>
            <label>
              flip kind{' '}
              <select
                value={config.data.flipKind}
                onChange={(e) => setData({ flipKind: e.target.value as ClassDataSpec['flipKind'] })}
              >
                {FLIP_KINDS.map((d) => (
                  <option key={d}>{d}</option>
                ))}
              </select>
            </label>
            <label>
              N {config.data.n}{' '}
              <input
                type="range"
                min={200}
                max={2000}
                step={100}
                value={config.data.n}
                onChange={(e) => setData({ n: Number(e.target.value) })}
              />
            </label>
            <label>
              input noise {config.data.noise.toFixed(2)}{' '}
              <input
                type="range"
                min={0}
                max={0.5}
                step={0.01}
                value={config.data.noise}
                onChange={(e) => setData({ noise: Number(e.target.value) })}
              />
            </label>
            <label>
              seed{' '}
              <input
                type="number"
                value={config.data.seed}
                onChange={(e) => setData({ seed: Math.round(Number(e.target.value)) || 0 })}
              />
            </label>
          </section>
          <ModelsCard
            config={config}
            selected={sel}
            onSelect={setSelected}
            onModel={setModel}
            onApply={(next, restart) => apply(next, null, restart)}
          />
        </aside>
        <main ref={viewsRef}>
          <div className="panels">
            {config.models.map((m, k) => (
              <div
                key={m.id}
                data-testid={`cls-panel-${k}`}
                data-accuracy={snapshot?.models[k]?.metrics.testAccuracy ?? ''}
                onClick={() => setSelected(k)}
              >
                <ClsPlot figure={planes[k] ?? null} height={280} />
              </div>
            ))}
          </div>
          <div className="views" data-testid="cls-views">
            <ClsPlot testId="cls-accuracy" figure={history.length ? accuracyFigure(history, names) : null} />
            <ClsPlot testId="cls-rejection" figure={snapshot ? rejectionFigure(snapshot.models, names) : null} />
            {selSnap?.fields && (
              <>
                <ClsPlot testId="cls-histogram" figure={flippedHistogramFigure(selSnap, data.train)} />
                <ClsPlot
                  testId="cls-sigma"
                  figure={sigmaFieldFigure(
                    `${names[sel]}: ${selSnap.scoreKind === 'sigma' ? 'mean σ' : 'predictive entropy'} over the plane`,
                    selSnap.fields,
                    data.train,
                    pixelsUrl(scalarPixels(selSnap.fields.score, selSnap.fields.gridSize), selSnap.fields.gridSize),
                  )}
                />
                <div>
                  <ClsPlot
                    testId="cls-embedding"
                    onHoverIndex={setHovered}
                    figure={embeddingFigure(
                      `${names[sel]}: embedding μ with 1σ ellipses, W's directions dashed`,
                      selSnap.fields,
                      data.train,
                      config.train.embedding,
                      classes,
                      selSnap.mining,
                      hovered,
                    )}
                  />
                  <p className="note" data-testid="cls-mining-info">
                    {miningText(selSnap.mining, hovered, names[sel])}
                  </p>
                </div>
              </>
            )}
          </div>
        </main>
      </div>
    </div>
  );
}
