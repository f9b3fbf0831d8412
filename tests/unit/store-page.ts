// The page's side of the trainer protocol without React: the store (src/app/store/runStore.ts) driving a real
// TrainerSession, a browser history of addresses, and the checks that the store, the address, the panels and the
// worker's own export all say the same run.
import { expect } from 'vitest';
import { DEFAULT_TRAIN, modelSpec, withIds, type RunConfig } from '../../src/core/config';
import { defaultDataSpec } from '../../src/core/datasets';
import { toJson } from '../../src/core/schema';
import { RunStore, type StoreTrainer } from '../../src/app/store/runStore';
import { initialRunState, type RunState } from '../../src/app/store/runState';
import { toHash } from '../../src/app/urlState';
import type { TrainerSession } from '../../src/worker/session';

export const DATA = { ...defaultDataSpec('hetero-sine'), n: 40 };
export const TRAIN = {
  ...DEFAULT_TRAIN,
  batchSize: 16,
  warmupMeanSteps: 4,
  warmupNllSteps: 4,
  architecture: { ...DEFAULT_TRAIN.architecture, hidden: [6] },
};
export const CONFIG: RunConfig = {
  data: DATA,
  models: withIds([modelSpec('nll'), modelSpec('beta-nll'), modelSpec('robust-nll', { T: 16 }), modelSpec('mse')]),
  train: TRAIN,
};

export interface Page {
  store: RunStore;
  /** The browser's entries (their addresses) and the one shown. */
  browser: { entries: string[]; pos: number };
  infos: string[];
  alerts: string[];
  clock: { now: number };
  keep: { weights: boolean };
  /** Undo and redo, as the page's buttons and keys do: the store walks, the browser follows. */
  go: (delta: number) => Promise<void>;
}

export function page(
  session: StoreTrainer,
  initial: RunState = initialRunState({ config: CONFIG, lessonId: null, hide: [] }),
): Page {
  const browser = { entries: [toHash(initial)], pos: 0 };
  const clock = { now: 0 };
  const keep = { weights: false };
  const infos: string[] = [];
  const alerts: string[] = [];
  const store = new RunStore(initial, {
    trainer: () => session,
    keepWeights: () => keep.weights,
    playing: () => false,
    now: () => clock.now,
    address(how, pos, state) {
      // pushState drops the entries ahead of the one shown.
      if (how === 'push') browser.entries.length = pos;
      browser.entries[pos] = toHash(state);
      browser.pos = pos;
    },
    async navigate(delta) {
      browser.pos += delta;
    },
    info: (t) => infos.push(t),
    alert: (t) => void (t && alerts.push(t)),
  });
  return {
    store,
    browser,
    infos,
    alerts,
    clock,
    keep,
    go: (delta) => store.walkBy(delta),
  };
}

/** Store = address = panels = the worker's exported run (configuration and points). */
export async function expectAgreement(p: Page, session: TrainerSession, context = ''): Promise<void> {
  await p.store.idle();
  await session.idle();
  const s = p.store.state;
  const run = await session.exportRun();
  expect(toJson(run.config), `${context}: the worker's config`).toBe(toJson(s.config));
  expect(p.browser.entries[p.browser.pos], `${context}: the address`).toBe(toHash(s));
  // The panels are the store's models, each with the worker's snapshot of that id.
  expect(
    run.snapshot.models.map((m) => m.id),
    `${context}: the panels`,
  ).toEqual(s.config.models.map((m) => m.id));
  if (s.userData) {
    expect(Array.from(run.points.x), `${context}: the points`).toEqual(Array.from(s.userData.points.x));
    expect(run.imported, `${context}: own points without a truth`).toBe(s.userData.truth === null);
  } else expect(run.imported, `${context}: generated points`).toBe(false);
}
