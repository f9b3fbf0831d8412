// Bounds where the engine's guarantees end (issue 15): links and files beyond one are refused with the
// catalogue's message naming the bound (src/core/messages.ts), and the page keeps what it had.
import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../src/core/config';
import * as msg from '../../src/core/messages';
import { LIMITS, MAX_MODELS } from '../../src/core/messages';
import { fileRunConfigSchema, runConfigSchema, toJson } from '../../src/core/schema';
import { paramCount } from '../../src/core/state';
import { parseHash, toHash } from '../../src/app/urlState';
import { LESSONS } from '../../src/app/lessons';
import { DATA_SLIDERS, seedFromField, TRAIN_SLIDERS } from '../../src/app/params';
import { validateDataSpec } from '../../src/core/datasets';
import { importTooLarge, parseCsv } from '../../src/app/csv';
import { MAX_MODELS as PAGE_MAX_MODELS } from '../../src/app/hooks/useEdits';

const BASE = LESSONS[0].config;
type Edit = (c: RunConfig) => RunConfig;
const withArch =
  (a: Partial<RunConfig['train']['architecture']>): Edit =>
  (c) => ({ ...c, train: { ...c.train, architecture: { ...c.train.architecture, ...a } } });
const withTrain =
  (t: Partial<RunConfig['train']>): Edit =>
  (c) => ({ ...c, train: { ...c.train, ...t } });
const withN =
  (n: number): Edit =>
  (c) => ({ ...c, data: { ...c.data, n } });
const withModels =
  (k: number): Edit =>
  (c) => ({ ...c, models: Array.from({ length: k }, (_, i) => ({ ...c.models[i % c.models.length], id: `k${i}` })) });

/** The config as a link (always carried in full), opened as the page opens it. */
const open = (c: RunConfig) => parseHash(toHash({ config: c, lessonId: null }));

function expectRefused(edit: Edit, message: string): void {
  const s = open(edit(BASE));
  expect(s.error).toContain(message);
  expect(s.error).toMatch(/the default lesson opened instead/);
  expect(s.config).toEqual(LESSONS[0].config);
}
function expectAccepted(edit: Edit): void {
  const s = open(edit(BASE));
  expect(s.error).toBeNull();
  expect(toJson(s.config)).toBe(toJson(edit(BASE)));
}

describe('bounds in links', () => {
  it('the configuration that crashed the tab (64 models of 6 × 1024 units) validated before; it is refused now', () => {
    const huge = (c: RunConfig) => withArch({ hidden: [1024, 1024, 1024, 1024, 1024, 1024] })(withModels(64)(c));
    expectRefused(huge, msg.tooManyModels(64));
    expectRefused(withArch({ hidden: [1024, 1024, 1024, 1024, 1024, 1024] }), msg.tooManyLayers(6));
  });

  it('models: at most 8, the same constant as the page’s add button', () => {
    expect(PAGE_MAX_MODELS).toBe(MAX_MODELS);
    expect(MAX_MODELS).toBe(8);
    expectAccepted(withModels(8));
    expectRefused(withModels(9), msg.tooManyModels(9));
    expectRefused(withModels(0), msg.noModels());
  });

  it('hidden layers ≤ 4, widths ≤ 256, ≤ 70 000 parameters per model (2 × 256 tanh fits)', () => {
    const twoBy256 = { hidden: [256, 256], activation: 'tanh' as const, shared: true };
    expect(paramCount({ ...BASE.train.architecture, ...twoBy256 })).toBe(66_820);
    expectAccepted(withArch(twoBy256));
    expectAccepted(withArch({ hidden: [16, 16, 16, 16] }));
    expectRefused(withArch({ hidden: [16, 16, 16, 16, 16] }), msg.tooManyLayers(5));
    expectRefused(withArch({ hidden: [257] }), msg.layerTooWide(257));
    expectRefused(withArch({ hidden: [0] }), msg.layerTooWide(0));
    const threeBy256 = { ...BASE.train.architecture, hidden: [256, 256, 256] };
    expectRefused(withArch(threeBy256), msg.tooManyParams(paramCount(threeBy256)));
    const unshared = { ...BASE.train.architecture, ...twoBy256, shared: false };
    expectRefused(withArch(unshared), msg.tooManyParams(paramCount(unshared)));
  });

  it('N from 2 to 5012 (the slider’s end), batch size from 1 to 1024, variance floor in [1e-8, 1]', () => {
    expectAccepted(withN(LIMITS.maxN));
    expectRefused(withN(5013), msg.nOutOfRange(5013));
    expectRefused(withN(100_000), msg.nOutOfRange(100_000));
    expectRefused(withN(1), msg.nOutOfRange(1));
    expectAccepted(withTrain({ batchSize: 1 }));
    expectAccepted(withTrain({ batchSize: 1024 }));
    expectRefused(withTrain({ batchSize: 1025 }), msg.batchOutOfRange(1025));
    expectRefused(withTrain({ batchSize: 0 }), msg.batchOutOfRange(0));
    expectRefused(withTrain({ batchSize: 2.5 }), msg.batchOutOfRange(2.5));
    expectAccepted(withArch({ varianceFloor: 1e-8 }));
    expectAccepted(withArch({ varianceFloor: 1 }));
    expectRefused(withArch({ varianceFloor: 1e-9 }), msg.varianceFloorOutOfRange(1e-9));
    expectRefused(withArch({ varianceFloor: 2 }), msg.varianceFloorOutOfRange(2));
  });

  it('T ≥ 1e-3 with ∞ allowed (bug 9), with the catalogue’s message', () => {
    const withT =
      (T: number): Edit =>
      (c) => ({ ...c, models: c.models.map((m, k) => (k === 0 ? { ...m, T } : m)) });
    expectAccepted(withT(Infinity));
    expectAccepted(withT(1e-3));
    expectRefused(withT(1e-40), msg.tTooSmall());
  });

  it('every lesson and every slider end lies within the bounds', () => {
    for (const l of LESSONS) expect(runConfigSchema.safeParse(JSON.parse(toJson(l.config))).success, l.id).toBe(true);
    expect(Math.round(10 ** DATA_SLIDERS.n!.max)).toBeLessThanOrEqual(LIMITS.maxN);
    expect(Math.round(10 ** DATA_SLIDERS.n!.min)).toBeGreaterThanOrEqual(LIMITS.minN);
    expect(Math.round(10 ** TRAIN_SLIDERS.batchSize!.max)).toBeLessThanOrEqual(LIMITS.maxBatch);
    expect(Math.round(10 ** TRAIN_SLIDERS.batchSize!.min)).toBeGreaterThanOrEqual(LIMITS.minBatch);
  });
});

describe('seeds and points', () => {
  it('seeds are whole numbers float64 holds exactly, in links, in the data spec and in the seed field alike', () => {
    const withSeed =
      (seed: number): Edit =>
      (c) => ({ ...c, data: { ...c.data, seed } });
    expectAccepted(withSeed(-7));
    expectAccepted(withSeed(Number.MAX_SAFE_INTEGER));
    expectRefused(withSeed(2.5), msg.seedNotInteger(2.5));
    expectRefused(withSeed(1e20), msg.seedNotInteger(1e20));
    expectRefused(withTrain({ batchSeed: 1e20 }), msg.seedNotInteger(1e20));
    // The worker's own check says the same (it accepted 1e20, which a link then refused).
    expect(() => validateDataSpec({ ...BASE.data, seed: 1e20 })).toThrow(msg.seedNotInteger(1e20));
    expect(() => validateDataSpec({ ...BASE.data, seed: 12 })).not.toThrow();
    // The field: empty (an edit in progress) keeps the seed; a seed no link could carry is not taken.
    for (const text of ['', ' ', '1e20', '2.5', 'abc', String(2 ** 53), 'Infinity', '-'])
      expect(seedFromField(text), text).toBeNull();
    expect(seedFromField(' 42 ')).toBe(42);
    expect(seedFromField('-3')).toBe(-3);
    expect(seedFromField('1e3')).toBe(1000);
    // Whatever the field takes, a link carries.
    for (const text of ['42', '-3', '1e3', String(Number.MAX_SAFE_INTEGER)])
      expectAccepted(withSeed(seedFromField(text)!));
  });

  it('the user’s own points: at most 20 000 from a CSV (and from a file: exportFile.test.ts); a value beyond ±1e9 (BOUNDS.point) names its row', () => {
    const rows = (n: number) => 'x,y\n' + Array.from({ length: n }, (_, i) => `${i},${i % 7}`).join('\n');
    expect(parseCsv(rows(LIMITS.maxPoints)).ok).toBe(true);
    const r = parseCsv(rows(LIMITS.maxPoints + 1));
    expect(r.ok ? '' : r.message).toMatch(/20001 rows; the limit is 20000/);
    const big = parseCsv('x,y\n0,1\n1,2\n2,3.5e38\n');
    expect(big.ok ? '' : big.message).toBe(
      `Row 4: y is too large ("3.5e38"); the limit is ±1e+9 (${msg.BOUNDS.point.why}).`,
    );
    // The row as the file numbers its lines, blank lines included (they were skipped and not counted: row 3 here).
    const gaps = parseCsv('x,y\n\n0,1\n\n1,3.5e38\n');
    expect(gaps.ok ? '' : gaps.message).toMatch(/^Row 5: y is too large/);
    // A file too large to read is refused on its size, before its text is read.
    expect(importTooLarge('big.csv', 3_000_000)).toBe('The file is 3.0 MB; the limit for a CSV file is 2.0 MB.');
    expect(importTooLarge('run.json', 2e9)).toMatch(/^The file is 2000 MB; the limit for a run file is 134 MB\.$/);
    expect(importTooLarge('run.json', 80e6)).toBeNull();
    expect(importTooLarge('small.csv', 1000)).toBeNull();
    const crlf = parseCsv('\r\n0,1\r\n1,2\r\n\r\n2,oops\r\n');
    expect(crlf.ok ? '' : crlf.message).toMatch(/^Row 5: y is not a finite number/);
  });
});

describe('bounds in files', () => {
  const parseFileConfig = (c: RunConfig) => fileRunConfigSchema.safeParse(JSON.parse(toJson(c)));
  it('a file may hold up to 16 models (the reproduction command exports 10); the message says the page trains 8', () => {
    expect(parseFileConfig(withModels(10)(BASE)).success).toBe(true);
    expect(parseFileConfig(withModels(16)(BASE)).success).toBe(true);
    const r = parseFileConfig(withModels(17)(BASE));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe(msg.tooManyModels(17, LIMITS.maxFileModels));
    expect(msg.tooManyModels(17, LIMITS.maxFileModels)).toMatch(/at most 16.*at most 8/);
  });

  it('every other bound holds in files as in links', () => {
    const r = parseFileConfig(withArch({ hidden: [1024, 1024, 1024, 1024, 1024, 1024] })(BASE));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe(msg.tooManyLayers(6));
    expect(parseFileConfig(withN(5013)(BASE)).error!.issues[0].message).toBe(msg.nOutOfRange(5013));
  });
});
