// The page's store and a real TrainerSession (no React) through random interleavings of what a person does:
// edits, slider drags, files (good, own data, refused), CSVs, sweep cells (with a trained state that fits, one that
// no longer does, none), selections, undo and redo, fired without waiting for the worker. After each sequence (and
// at its settling points) the store, the address, the panels and the worker's exported run agree.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { modelSpec, type ModelSpec, type RunConfig } from '../../src/core/config';
import { makePoints, type Points } from '../../src/core/datasets';
import { freshModelState } from '../../src/core/state';
import { useNodeBackend } from '../../src/platform/node';
import * as changes from '../../src/app/store/changes';
import type { RunImport } from '../../src/worker/protocol';
import { freshState } from '../../src/worker/sessionRules';
import { harness, sleep, type Harness } from './session-harness';
import { CONFIG, DATA, TRAIN, expectAgreement, page } from './store-page';

beforeAll(async () => {
  await useNodeBackend('cpu');
});

const SEQUENCES = 500;

const own: Points = {
  x: Float32Array.from({ length: 24 }, (_, i) => i / 23),
  y: Float32Array.from({ length: 24 }, (_, i) => Math.sin(i / 4)),
  isOutlier: new Uint8Array(24),
};
const csv: Points = {
  x: Float32Array.from({ length: 30 }, (_, i) => i / 29 - 0.5),
  y: Float32Array.from({ length: 30 }, (_, i) => (i % 7) / 7),
  isOutlier: new Uint8Array(30),
};

function files(): RunImport[] {
  const lr: RunConfig = { ...CONFIG, models: CONFIG.models.slice(0, 3), train: { ...TRAIN, learningRate: 0.002 } };
  const mine: RunConfig = { ...CONFIG, models: [CONFIG.models[0], { ...modelSpec('faithful'), id: 'm9' }] };
  const good = {
    config: lr,
    points: makePoints(DATA),
    imported: false,
    state: freshState(TRAIN.architecture, lr.models),
  };
  const ownData = { config: mine, points: own, imported: true, state: freshState(TRAIN.architecture, mine.models) };
  // A state of another architecture: the worker refuses the file and nothing changes.
  const bad = { ...good, state: freshState({ ...TRAIN.architecture, hidden: [3] }, lr.models) };
  return [good, ownData, bad];
}

const action = fc.oneof(
  fc.record({ kind: fc.constant('lr' as const), v: fc.constantFrom(0.001, 0.002, 0.01, 0.05) }),
  fc.record({ kind: fc.constant('T' as const), at: fc.nat(), v: fc.constantFrom(0.5, 2, 16) }),
  fc.constant({ kind: 'add' as const }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('reset' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('data' as const), rate: fc.constantFrom(0, 0.1, 0.2) }),
  fc.record({ kind: fc.constant('arch' as const), hidden: fc.constantFrom(6, 5) }),
  fc.record({ kind: fc.constant('file' as const), which: fc.nat(2) }),
  fc.constant({ kind: 'csv' as const }),
  fc.record({ kind: fc.constant('click' as const), y: fc.double({ min: -1, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('cell' as const), seed: fc.constantFrom('fits', 'stale', 'none') }),
  fc.record({ kind: fc.constant('select' as const), at: fc.nat() }),
  fc.constant({ kind: 'undo' as const }),
  fc.constant({ kind: 'redo' as const }),
  fc.record({ kind: fc.constant('keep' as const), on: fc.boolean() }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(0, 2, 8) }),
  fc.constant({ kind: 'settle' as const }),
);

/** Runs `n` random sequences against one session, each from the same run, checking agreement after each. */
async function sequences(h: Harness, n: number, seed: number): Promise<number> {
  const session = h.session;
  await session.start(CONFIG, { autoplay: false });
  const baseline = await session.exportRun();
  const [good, ownData, bad] = files();
  const trainer = () => session;
  let ran = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(action, { minLength: 3, maxLength: 9 }), async (actions) => {
      ran++;
      await session.importRun(baseline);
      const p = page(session);
      const fired: Promise<unknown>[] = [];
      const fire = (x: Promise<unknown>) => fired.push(x.catch(() => undefined));
      for (const a of actions) {
        p.clock.now += 250;
        const models = p.store.state.config.models;
        const pick = (at: number) => models[at % models.length].id;
        switch (a.kind) {
          case 'lr':
            fire(p.store.change(changes.updateTrain({ learningRate: a.v })));
            break;
          case 'T':
            fire(p.store.change(changes.updateModel(pick(a.at), { T: a.v })));
            break;
          case 'add':
            if (models.length < 5) fire(p.store.change(changes.addModel()));
            break;
          case 'remove':
            fire(p.store.change(changes.remove(pick(a.at))));
            break;
          case 'duplicate':
            if (models.length < 5) fire(p.store.change(changes.duplicate(pick(a.at), trainer)));
            break;
          case 'reset':
            fire(p.store.change(changes.resetModel(pick(a.at), trainer)));
            break;
          case 'data':
            fire(p.store.change(changes.updateData({ outlierRate: a.rate }, p.keep.weights)));
            break;
          case 'arch':
            fire(
              p.store.change(
                changes.updateTrain({ architecture: { ...TRAIN.architecture, hidden: [a.hidden] } }, 'architecture'),
              ),
            );
            break;
          case 'file':
            fire(p.store.change(changes.openFile([good, ownData, bad][a.which], 'run.json', trainer)));
            break;
          case 'csv':
            fire(p.store.change(changes.loadCsv(csv, 'mine.csv', p.keep.weights)));
            break;
          case 'click': {
            const s = p.store.state;
            const points = s.userData?.points ?? makePoints(s.config.data);
            const next = {
              x: Float32Array.from([...points.x, 0.1]),
              y: Float32Array.from([...points.y, a.y]),
              isOutlier: Uint8Array.from([...points.isOutlier, 0]),
            };
            fire(
              p.store.change(
                changes.setPoints(next, s.userData ? s.userData.truth : s.config.data, 'added a point', trainer),
              ),
            );
            break;
          }
          case 'cell': {
            const spec: ModelSpec = { ...modelSpec('beta-nll', { beta: 0.5 }), id: '' };
            // A trained state of this run's network, or of one the run no longer has (it starts fresh then).
            const arch =
              a.seed === 'fits' ? p.store.state.config.train.architecture : { ...TRAIN.architecture, hidden: [3] };
            const seed =
              a.seed === 'none' ? null : { ...freshModelState(arch, { ...spec, id: 'cell' }), steps: 5, t: 5 };
            fire(p.store.change(changes.openCell(spec, '(cell)', seed, trainer)));
            break;
          }
          case 'select':
            p.store.select(pick(a.at));
            break;
          case 'undo':
            fire(p.go(-1));
            break;
          case 'redo':
            fire(p.go(1));
            break;
          case 'keep':
            p.keep.weights = a.on;
            break;
          case 'wait':
            await sleep(a.ms);
            break;
          case 'settle':
            await expectAgreement(p, session, `settled, after ${JSON.stringify(actions)}`);
            break;
        }
      }
      await Promise.all(fired);
      await expectAgreement(p, session, JSON.stringify(actions));
      expect(h.statuses.filter((st) => st.phase === 'error')).toEqual([]);
    }),
    { numRuns: n, seed, endOnFailure: true },
  );
  return ran;
}

describe('the store and the worker never disagree', () => {
  it(`after ${SEQUENCES} random sequences of edits, files, cells, selections, undo and redo fired without waiting`, async () => {
    // The session's machinery for real, its maths stubbed (StatePath): hundreds of sequences in seconds.
    expect(await sequences(harness({ stateOnly: true }), SEQUENCES, 20261204)).toBe(SEQUENCES);
  }, 120_000);

  it('after 30 more on the tfjs engine with slow reads (the windows of an emulated GPU)', async () => {
    expect(await sequences(harness({ delay: 2 }), 30, 20261205)).toBe(30);
  }, 120_000);
});
