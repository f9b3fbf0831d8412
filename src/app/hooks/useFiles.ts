// Files and links: JSON export and import (all or nothing), CSV import, the grid as a PNG, copied links.
import { useCallback } from 'react';
import { firstModels, parseRunFile, runFileJson, type RunFile } from '../../core/exportFile';
import { fileBeyondPage, MAX_MODELS } from '../../core/messages';
import { DEFAULT_HELD_OUT } from '../../core/split';
import { loadCsv, openFile } from '../store/changes';
import { importTooLarge, parseCsv } from '../csv';
import { download, plotPng, tiledPng } from '../Plot';
import type { AlertAction } from '../components/StatusBar';
import type { Hideable } from '../urlState';
import { toHash } from '../urlState';
import type { RunStore } from './useRunStore';
import type { TrainerView } from './useTrainer';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export function useFiles(
  store: RunStore,
  run: TrainerView,
  opts: {
    keepWeights: boolean;
    onInfo: (text: string) => void;
    onAlert: (text: string | null, action?: AlertAction) => void;
  },
) {
  const { trainer, historyRef } = run;
  const { keepWeights, onInfo, onAlert } = opts;

  const exportJson = useCallback(async () => {
    const t = trainer.current;
    if (!t) return;
    try {
      // The worker's own (configuration, state, snapshot): never a newer configuration with an older snapshot.
      const r = await t.exportRun();
      const json = runFileJson({ ...r, history: historyRef.current.map((h) => ({ step: h.step, models: h.models })) });
      download(
        `explorer-step-${r.snapshot.step}.json`,
        URL.createObjectURL(new Blob([json], { type: 'application/json' })),
      );
    } catch (err) {
      onAlert(`Export failed: ${message(err)}`);
    }
  }, [trainer, historyRef, onAlert]);

  /** Opens a parsed file, all or nothing: the worker builds the imported run beside the current one and swaps only on success. */
  const openRun = useCallback(
    async (f: RunFile, name: string, what: string) => {
      const t = trainer.current;
      if (!t) return;
      try {
        run.adoptHistory(
          f.history.map((h) => ({
            step: h.step,
            models: h.models.map((m, k) => ({
              id: typeof m.id === 'string' ? m.id : (f.config.models[k]?.id ?? ''),
              rmse: Number(m.rmse ?? NaN),
              nll: Number(m.nll ?? NaN),
              outlierWeightShare: Number(m.outlierWeightShare ?? NaN),
              miscalibrationArea: Number(m.miscalibrationArea ?? NaN),
              crps: Number(m.crps ?? NaN),
            })),
          })),
        );
        await store.change(openFile(f, name, () => t));
        onAlert(null);
        onInfo(`Restored ${name}${what} at step ${f.state.step}${f.migrated ? ` (${f.migrated})` : ''}.`);
      } catch (err) {
        run.adoptHistory(null);
        onAlert(`${name}: ${message(err)}. Nothing was changed.`);
      }
    },
    [trainer, store, run, onInfo, onAlert],
  );

  const importFile = useCallback(
    async (file: File) => {
      // A huge file is refused on its size: reading a gigabyte of text would stall the page first.
      const tooLarge = importTooLarge(file.name, file.size);
      if (tooLarge) return onAlert(`${file.name}: ${tooLarge} Nothing was changed.`);
      const text = await file.text();
      const t = trainer.current;
      if (!t) return;
      if (file.name.toLowerCase().endsWith('.csv')) {
        const r = parseCsv(text);
        if (!r.ok) return onAlert(`${file.name}: ${r.message} Your data is unchanged.`);
        try {
          await store.change(loadCsv(r.points, file.name, keepWeights));
        } catch (err) {
          return onAlert(`${file.name}: ${message(err)}. Your data is unchanged.`);
        }
        onAlert(null);
        const held = store.state.config.train.heldOut ?? DEFAULT_HELD_OUT;
        onInfo(
          `Loaded ${r.points.x.length} points from ${file.name}; ${Math.round(held.share * 100)} % of them (seed ${held.seed}) are held out to judge the predicted σ (Data card).`,
        );
        return;
      }
      let f: RunFile;
      try {
        f = parseRunFile(text);
      } catch (err) {
        return onAlert(`${file.name}: ${message(err)}. Nothing was changed.`);
      }
      // A file may hold up to 16 models (the reproduction command writes 10); the page trains at most 8. Refused
      // whole, with an offer to open the first 8: the run on screen stays until the person chooses.
      if (f.config.models.length > MAX_MODELS) {
        const first = firstModels(f, MAX_MODELS);
        return onAlert(`${file.name}: ${fileBeyondPage(f.config.models.length)}`, {
          label: `Open the first ${MAX_MODELS}`,
          run: () => void openRun(first, file.name, ` (its first ${MAX_MODELS} of ${f.config.models.length} models)`),
        });
      }
      await openRun(f, file.name, '');
    },
    [trainer, store, keepWeights, onInfo, onAlert, openRun],
  );

  const exportGridPng = useCallback(async (grid: HTMLElement | null, scale: number, step: number) => {
    const plots = Array.from(grid?.querySelectorAll<HTMLElement>('.panel .plot') ?? []);
    if (!plots.length) return;
    const images = await Promise.all(plots.map((p) => plotPng(p, { width: 480, height: 360, scale })));
    download(`explorer-grid-step-${step}.png`, await tiledPng(images, 480, 360, scale));
  }, []);

  const copyLink = useCallback(
    async (hide: Hideable[] | null) => {
      const s = store.state;
      const url = `${location.origin}${location.pathname}${location.search}${toHash({ config: s.config, lessonId: s.lessonId, hide: hide ?? s.hide })}`;
      try {
        await navigator.clipboard.writeText(url);
        onInfo(
          hide ? `Copied a link that hides: ${hide.join(', ') || 'nothing'}.` : 'Copied a link to this exact setup.',
        );
      } catch {
        onInfo(`Copy this link: ${url}`);
      }
    },
    [store.state, onInfo],
  );

  return { exportJson, importFile, exportGridPng, copyLink };
}
