// The page's store against a real TrainerSession (no React): the review's two probes (an edit during a file
// import, a removal during a sweep cell's opening), undo across an import after a click on a card, and the
// undo memory's cap at the largest network the page trains.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modelSpec, withIds, type ModelSpec, type RunConfig } from '../../src/core/config';
import { makePoints } from '../../src/core/datasets';
import { LIMITS } from '../../src/core/messages';
import { paramCount } from '../../src/core/state';
import { freshState } from '../../src/worker/sessionRules';
import { useNodeBackend } from '../../src/platform/node';
import {
  addModel,
  openCell,
  openFile,
  remove,
  updateData,
  updateModel,
  updateTrain,
} from '../../src/app/store/changes';
import { KEPT_RUN_BYTES } from '../../src/app/store/keptRuns';
import { initialRunState } from '../../src/app/store/runState';
import type { RunExport, RunImport } from '../../src/worker/protocol';
import type { StoreTrainer } from '../../src/app/store/runStore';
import type { TrainerSession } from '../../src/worker/session';
import { harness } from './session-harness';
import { CONFIG, DATA, TRAIN, expectAgreement, page } from './store-page';

beforeAll(async () => {
  await useNodeBackend('cpu');
});

let live: TrainerSession[] = [];
afterEach(async () => {
  for (const s of live) await s.pause();
  live = [];
});

async function started(delay = 15, config: RunConfig = CONFIG): Promise<TrainerSession> {
  const h = harness({ delay });
  live.push(h.session);
  await h.session.start(config, { autoplay: false });
  return h.session;
}

/** A run file as the page parses one: lr 0.002, three of the four models. */
const file = (): RunImport => {
  const config: RunConfig = { ...CONFIG, models: CONFIG.models.slice(0, 3), train: { ...TRAIN, learningRate: 0.002 } };
  return { config, points: makePoints(DATA), imported: false, state: freshState(TRAIN.architecture, config.models) };
};

describe('changes made while an acceptFirst change waits for the worker (the review’s probes)', () => {
  it('probe 1: the learning rate moved during a file import lands on the imported run, in the store, the address and the worker', async () => {
    const session = await started();
    const p = page(session);
    const opening = p.store.change(openFile(file(), 'run.json', () => session));
    const moved = p.store.change(updateTrain({ learningRate: 0.05 }));
    await Promise.all([opening, moved]);
    await expectAgreement(p, session, 'after the import');
    // The later edit wins, and it is planned from the imported run: three models, lr 0.05.
    expect(p.store.state.config.train.learningRate).toBe(0.05);
    expect(p.store.state.config.models.map((m) => m.id)).toEqual(['m1', 'm2', 'm3']);
    // And every later edit is planned from the right state.
    await p.store.change(updateModel('m3', { T: 2 }));
    await expectAgreement(p, session, 'after a later edit');
  });

  it('probe 2: a model removed during a sweep cell’s opening: store and worker both train m1, m3, m4 and the cell m5, and m5 can be edited', async () => {
    const session = await started();
    const p = page(session);
    await session.step(6);
    const seed = (await session.exportRun()).state.models[1];
    const cell: ModelSpec = { ...modelSpec('beta-nll', { beta: 0.5 }), id: '' };
    let id = '';
    const opening = p.store.change(openCell(cell, '(β 0.5)', seed, () => session, { id: (given) => (id = given) }));
    const removing = p.store.change(remove('m2'));
    await Promise.all([opening, removing]);
    await expectAgreement(p, session, 'after the opening');
    expect(id).toBe('m5');
    expect(p.store.state.config.models.map((m) => m.id)).toEqual(['m1', 'm3', 'm4', 'm5']);
    await p.store.change(updateModel('m5', { beta: 0.25 }));
    await expectAgreement(p, session, 'after editing the cell');
  });
});

describe('a change the worker refuses', () => {
  it('an edit already shown gives way: the store, the address and the panels come back to what the worker trains', async () => {
    const session = await started(2);
    const p = page(session);
    // Four models more make nine: the page's bound (the add button stops at eight; a queue of clicks need not).
    const adds = Array.from({ length: 5 }, () => p.store.change(addModel()).catch((err: unknown) => String(err)));
    const outcomes = await Promise.all(adds);
    expect(outcomes.filter((o) => typeof o === 'string' && /9 models/.test(o)).length).toBe(1);
    await expectAgreement(p, session, 'after the refused model');
    expect(p.store.state.config.models.length).toBe(LIMITS.maxModels);
  });
});

describe('kept runs survive every replacement of their entry', () => {
  it('a click on a card (a selection) while a file import is pending: undoing the import brings the weights back', async () => {
    const session = await started();
    const p = page(session);
    await session.step(20);
    const before = await session.exportRun();
    const opening = p.store.change(openFile(file(), 'run.json', () => session));
    p.store.select('m1');
    await opening;
    await expectAgreement(p, session, 'after the import');
    await p.go(-1);
    await expectAgreement(p, session, 'after undo');
    expect(p.infos.at(-1)).toMatch(/weights restored/);
    const after = await session.exportRun();
    expect(after.snapshot.step).toBe(20);
    after.state.models.forEach((m, k) =>
      expect(Array.from(m.params)).toEqual(Array.from(before.state.models[k].params)),
    );
  });
});

/**
 * A worker that keeps only the configuration and state of its run (the store's side of undo memory is what is
 * measured): its exports are the real size of a run at that network, built as a fresh training state is.
 */
function stubTrainer(config: RunConfig): StoreTrainer & { imports: number } {
  let run = {
    config,
    points: makePoints(config.data),
    imported: false,
    state: freshState(config.train.architecture, config.models),
  };
  const fresh = () => (run = { ...run, state: freshState(run.config.train.architecture, run.config.models) });
  const t = {
    imports: 0,
    restart: async (c: RunConfig) => void ((run = { ...run, config: c }), fresh()),
    setTrain: async (patch: Partial<RunConfig['train']>) =>
      void (run = { ...run, config: { ...run.config, train: { ...run.config.train, ...patch } } }),
    setModels: async (models: ModelSpec[]) => void (run = { ...run, config: { ...run.config, models } }),
    updateModel: async () => undefined,
    setData: async (spec: RunConfig['data']) =>
      void ((run = { ...run, config: { ...run.config, data: spec }, points: makePoints(spec) }), fresh()),
    setPoints: async () => undefined,
    exportRun: async () => ({
      ...run,
      snapshot: { step: run.state.step, models: [] } as unknown as RunExport['snapshot'],
    }),
    importRun: async (r: RunImport) => void ((run = { ...r }), t.imports++),
  };
  return t;
}

describe('undo memory is bounded in bytes', () => {
  it(`at the largest network (32 networks of ≤ ${LIMITS.maxParams} parameters, 4 hidden layers) undo holds at most ${KEPT_RUN_BYTES / 2 ** 20} MB; older runs go first and say so`, async () => {
    // The widest 4-layer trunk within the parameter bound, eight models of four ensemble members each.
    let width = LIMITS.maxWidth;
    const arch = (w: number) => ({ ...TRAIN.architecture, hidden: [w, w, w, w] });
    while (paramCount(arch(width)) > LIMITS.maxParams) width--;
    const models = withIds(
      Array.from({ length: LIMITS.maxModels }, (_, k) =>
        modelSpec('nll', { ensemble: LIMITS.maxMembers / LIMITS.maxModels, initSeed: k + 1 }),
      ),
    );
    const config: RunConfig = { data: DATA, models, train: { ...TRAIN, architecture: arch(width) } };
    const t = stubTrainer(config);
    const p = page(t, initialRunState({ config, lessonId: null, hide: [] }));
    // Six destructive data changes (keep weights off), each leaving a run of ≈ 25 MB behind: 150 MB uncapped.
    let largest = 0;
    for (let i = 1; i <= 6; i++) {
      p.clock.now = 1000 * i;
      await p.store.change(updateData({ outlierRate: i / 20 }, false));
      await p.store.idle();
      largest = Math.max(largest, p.store.kept.bytes());
    }
    const run = await t.exportRun();
    const bytes = run.state.models.reduce((n, m) => n + 4 * (m.params.length + m.m.length + m.v.length), 0);
    console.log(
      `width ${width}: ${paramCount(config.train.architecture)} parameters × ${run.state.models.length} networks; a kept run holds ${(bytes / 2 ** 20).toFixed(1)} MB of state; undo held at most ${(largest / 2 ** 20).toFixed(1)} MB`,
    );
    expect(run.state.models.length).toBe(LIMITS.maxMembers);
    expect(bytes).toBeGreaterThan(20 * 2 ** 20);
    expect(largest).toBeLessThanOrEqual(KEPT_RUN_BYTES);
    // Two runs fit (2 × 25 MB): the newest. Undo restores it and keeps the run it leaves (for redo), the newest
    // now, so the next undo finds its run dropped and says so; redo then restores the run undo kept.
    const walk = async (delta: number) => {
      await p.go(delta);
      await p.store.idle();
      expect(p.store.kept.bytes()).toBeLessThanOrEqual(KEPT_RUN_BYTES);
      return p.infos.at(-1);
    };
    expect(await walk(-1)).toMatch(/Undid.*weights restored/);
    expect(await walk(-1)).toMatch(/Undid.*no longer kept.*64 MB/);
    expect(await walk(1)).toMatch(/Redid.*weights restored/);
    expect(t.imports).toBe(2);
  });
});
