// The page: one store (useRunStore), the worker (useTrainer), files (useFiles), edits (useEdits), and small
// components that draw them.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, StatusBar, type AlertAction } from './components/StatusBar';
import { DataCard } from './components/DataCard';
import { LessonCard, type LessonRun } from './components/LessonCard';
import { ModelCard } from './components/ModelCard';
import { Toolbar } from './components/Toolbar';
import { TrainingCard } from './components/TrainingCard';
import { PosthocCard } from './components/PosthocCard';
import { PosthocView } from './components/PosthocView';
import { RealDataNote } from './components/RealDataNote';
import { useRealData } from './hooks/useRealData';
import { Views } from './components/Views';
import { FitPanel } from './FitPanel';
import { MAX_MODELS, useEdits } from './hooks/useEdits';
import { useFiles } from './hooks/useFiles';
import { initialState, useRunStore } from './hooks/useRunStore';
import { useTrainer } from './hooks/useTrainer';
import { selectedModel } from './store/runState';
import { ensembleSize, memberTotal } from '../core/members';
import { LIMITS } from '../core/messages';
import type { Hideable } from './urlState';
import { SweepView } from './components/SweepView';
import { findLesson } from './lessons';
import { useSweep } from './sweepSession';
import type { ModelSpec } from '../core/config';
import { openCell as cellChange } from './store/changes';
import { sweepConfig } from '../core/sweep';
import { sameRun } from './sameRun';
import { warmupOf } from '../core/state';

const initial = initialState();

export function App() {
  const [alert, setAlert] = useState<{ text: string; action?: AlertAction } | null>(
    initial.error ? { text: initial.error } : null,
  );
  const [info, setInfo] = useState<string | null>(null);
  const [keepWeights, setKeepWeights] = useState(false);
  const [pngScale, setPngScale] = useState(2);
  /** Models whose conformal band the panels leave out (a view choice: Post-hoc card). */
  const [conformalHidden, setConformalHidden] = useState<ReadonlySet<string>>(new Set());
  const gridRef = useRef<HTMLDivElement>(null);
  const onInfo = useCallback((text: string) => setInfo(text), []);
  const onAlert = useCallback(
    (text: string | null, action?: AlertAction) => setAlert(text ? { text, action } : null),
    [],
  );

  const run = useTrainer(initial.config);
  const store = useRunStore(initial, { trainer: run.trainer, keepWeights, playing: run.playing, onInfo, onAlert });
  const files = useFiles(store, run, { keepWeights, onInfo, onAlert });
  const edit = useEdits(store, run, { keepWeights, onInfo, onAlert });
  const real = useRealData(store, run, { keepWeights, onInfo, onAlert });
  /** A lesson on a real data set loads its points first (realData.ts); the others open as they always have. */
  const openLesson = (id: string) => {
    const l = findLesson(id);
    if (l?.realData) void real.openReal(l.realData, l);
    else edit.openLesson(id);
  };
  // A link to a real data set's lesson names the lesson only: its points are loaded once the page is up.
  useEffect(() => {
    const l = initial.lessonId ? findLesson(initial.lessonId) : undefined;
    if (l?.realData) void real.openReal(l.realData, l);
    // Once, on the first render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const { config, lessonId, hide, userData } = store.state;
  const { playing } = run;
  // The worker's last frame is drawn only beside its own run (sameRun.ts): a new lesson waits for its first frame.
  const fresh = useMemo(() => sameRun(run.snapshotConfig, config), [run.snapshotConfig, config]);
  const snapshot = fresh ? run.snapshot : null;
  const viewSnapshot = fresh ? run.viewSnapshot : null;
  const sel = selectedModel(store.state);
  const uiRevision = `${config.data.dataset}-${userData ? 'own' : 'gen'}`;
  /** A teacher's compact link: the fit panels, the weights view and the lesson's text and progress, for projection. */
  const compact = hide.includes('compact');
  const shown = (h: Hideable) =>
    !hide.includes(h) && !(compact && (h === 'models' || h === 'data' || h === 'training'));
  /** Networks in the stack, ensemble members counted (at most LIMITS.maxMembers; at most MAX_MODELS panels). */
  const networks = memberTotal(config.models);
  // The sweep trains in its own worker; the main run pauses meanwhile (src/app/sweepSession.ts).
  const sweep = useSweep({
    playing,
    pause: () => void run.trainer.current?.pause(),
    play: () => void run.trainer.current?.play(),
  });
  // Play during a sweep stops the sweep (which holds the main run paused), then plays the main run.
  const togglePlay = () => {
    if (sweep.running && !playing) sweep.stop();
    run.togglePlay();
  };
  const sweepPreset = (lessonId ? findLesson(lessonId)?.sweep : null) ?? null;
  // A sweep lesson's claim is on the sweep's cells: judged on its snapshots, against the lesson's own sweep.
  const sweepRunConfig = useMemo(() => (sweep.spec ? sweepConfig(sweep.spec) : null), [sweep.spec]);
  const sweepLessonConfig = useMemo(() => (sweepPreset ? sweepConfig(sweepPreset) : null), [sweepPreset]);
  const lessonRun = (id: string): LessonRun => {
    const l = findLesson(id)!;
    if (l.sweep && sweepLessonConfig)
      return {
        config: sweepRunConfig ?? sweepLessonConfig,
        lessonConfig: sweepLessonConfig,
        ownData: false,
        step: sweep.snapshot?.step ?? 0,
        stepsPerSecond: sweep.running ? sweep.stepsPerSecond : 0,
        judged: sweep.snapshot,
        xs: edit.points.x,
      };
    return {
      config,
      lessonConfig: l.config,
      ownData: userData !== null,
      step: snapshot?.step ?? 0,
      stepsPerSecond: playing ? run.stepsPerSecond : 0,
      judged: snapshot,
      xs: edit.points.x,
      ys: edit.points.y,
    };
  };
  /** Cell openings run one after another: each reads the store as the one before left it. */
  const opening = useRef<Promise<void>>(Promise.resolve());
  const openCell = (spec: ModelSpec, label: string, sweepId: string | null) => {
    if (config.models.length >= MAX_MODELS || networks >= LIMITS.maxMembers)
      return setAlert({
        text: `The main run already has ${config.models.length} models; remove one to open this cell (${label}). Nothing was changed.`,
      });
    opening.current = opening.current.then(() => openOne(spec, label, sweepId));
  };
  const openOne = async (spec: ModelSpec, label: string, sweepId: string | null) => {
    // The cell's trained state (one read of the sweep's worker) when the sweep ran this run's setup; a single network only.
    const trained =
      sweepId !== null && ensembleSize(spec) === 1 ? await sweep.cellState(sweepId).catch(() => null) : null;
    let carried = trained !== null;
    let id = '';
    try {
      await store.change(
        cellChange(spec, label, trained, () => run.trainer.current, {
          id: (given) => (id = given),
          fresh: () => (carried = false),
        }),
      );
      setInfo(
        carried
          ? `Opened the cell (${label}) as model ${id}, with the sweep's trained weights (${trained!.steps} steps${trained!.diverged ? ', diverged' : ''}); it goes on training in the main run.`
          : `Opened the cell (${label}) as model ${id}. It trains from its initial weights in the main run${sweepId === null ? ': the sweep ran with other data or training settings' : ''}.`,
      );
    } catch (err) {
      setAlert({ text: err instanceof Error ? err.message : String(err) });
    }
  };

  const statusOf = (id: string) => {
    const s = snapshot?.models.find((m) => m.id === id)?.status ?? 'training';
    return s === 'training' && !playing ? 'paused' : s;
  };

  return (
    <div className={`app${compact ? ' app-compact' : ''}`}>
      <header className="top">
        <h1>Robust Uncertainty Explorer</h1>
        <p className="lede" hidden={compact}>
          Mean/variance networks train live in your browser on the same data, one loss per panel. Crosses are injected
          outliers; colour is each point's weight; the dotted line and dashed band are the truth, the shaded band the
          predicted ±2σ. Click a plot to add a point there (shift-click: an outlier; alt-click a point to remove it).
          Ctrl+Z undoes any change, including a lesson, your data or a removed model.
        </p>
      </header>
      <Alert text={alert?.text ?? null} action={alert?.action} onDismiss={() => setAlert(null)} />
      <StatusBar
        status={run.status}
        step={run.snapshot?.step ?? 0}
        stepsPerSecond={run.stepsPerSecond}
        info={info}
        trained={(run.snapshot?.step ?? 0) > 0}
      />
      <Toolbar
        compact={compact}
        playing={playing}
        onTogglePlay={togglePlay}
        onStep={() => void run.trainer.current?.step(10)}
        onResetAll={edit.resetAll}
        canUndo={store.canUndo}
        canRedo={store.canRedo}
        onUndo={store.undo}
        onRedo={store.redo}
        pngScale={pngScale}
        onPngScale={setPngScale}
        onExportPng={() => void files.exportGridPng(gridRef.current, pngScale, snapshot?.step ?? 0)}
        onExportJson={() => void files.exportJson()}
        onImport={files.importFile}
        onCopyLink={(h) => void files.copyLink(h)}
      />
      <div className="layout">
        <aside className="side">
          {shown('lessons') && (
            <LessonCard
              lessonId={lessonId}
              onOpen={openLesson}
              onActions={edit.runActions}
              run={lessonRun}
              compact={compact}
            />
          )}
          {shown('models') && (
            <section className="card">
              <h2>Models</h2>
              {config.models.map((m, k) => (
                <ModelCard
                  key={m.id}
                  spec={m}
                  index={k}
                  selected={m.id === sel.id}
                  canDuplicate={config.models.length < MAX_MODELS && networks + ensembleSize(m) <= LIMITS.maxMembers}
                  canRemove={config.models.length > 1}
                  maxEnsemble={LIMITS.maxMembers - networks + ensembleSize(m)}
                  onSelect={() => store.select(m.id)}
                  onChange={(patch, control) => edit.updateModel(m.id, patch, control)}
                  onDuplicate={() => edit.duplicate(m)}
                  onReset={() => edit.resetModel(m.id)}
                  onRemove={() => edit.remove(m)}
                />
              ))}
              <button
                type="button"
                data-testid="add-model"
                disabled={config.models.length >= MAX_MODELS || networks >= LIMITS.maxMembers}
                onClick={edit.addModel}
              >
                + add a model
              </button>
            </section>
          )}
          {shown('data') && (
            <DataCard
              data={config.data}
              ownPoints={userData ? userData.points.x.length : null}
              keepWeights={keepWeights}
              onKeepWeights={setKeepWeights}
              onChange={edit.updateData}
              heldOut={userData && !userData.truth ? (config.train.heldOut ?? null) : undefined}
              onHeldOut={edit.setHeldOut}
              onOpenReal={(id) => void real.openReal(id)}
            />
          )}
          {userData?.source && <RealDataNote id={userData.source} n={userData.points.x.length} />}
          {shown('training') && <TrainingCard train={config.train} onChange={edit.updateTrain} />}
          {shown('training') && (
            <PosthocCard
              posthoc={config.train.posthoc}
              models={config.models}
              onChange={(posthoc, control) => edit.updateTrain({ posthoc }, control)}
              hidden={conformalHidden}
              onHidden={setConformalHidden}
            />
          )}
        </aside>
        <main>
          <div className="panels" ref={gridRef}>
            {config.models.map((m, k) => (
              <FitPanel
                key={m.id}
                index={k}
                spec={m}
                snapshot={snapshot}
                points={edit.points}
                revision={uiRevision}
                status={statusOf(m.id)}
                onAddPoint={edit.addPoint}
                onRemovePoint={edit.removePoint}
                pngScale={pngScale}
                warmup={warmupOf(m, config.train)}
                idle={sweep.running ? 'paused while the sweep below trains (the two would share the GPU)' : undefined}
                conformal={!conformalHidden.has(m.id)}
              />
            ))}
          </div>
          {shown('views') && (!compact || sweepPreset) && (
            <SweepView
              config={config}
              selected={sel}
              sweep={sweep}
              preset={sweepPreset}
              ownData={userData !== null}
              onOpenCell={openCell}
            />
          )}
          {shown('views') && (
            <Views
              config={config}
              selected={sel}
              snapshot={viewSnapshot}
              history={run.history}
              points={edit.points}
              uiRevision={uiRevision}
              pngScale={pngScale}
              compact={compact}
            />
          )}
          {shown('views') && !compact && (
            <PosthocView models={config.models} snapshot={viewSnapshot} pngScale={pngScale} />
          )}
        </main>
      </div>
    </div>
  );
}
