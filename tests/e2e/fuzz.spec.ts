// Hostile input on the running page (issue 15): pasted links (mutated valid links, random bytes, deep nesting, a
// megabyte), JSON files (mutated and truncated exports, type swaps) and CSV bytes, drawn by fast-check and kept to
// those the parsers refuse. After each: a clear message, the same run (models, address) still training, and at the
// end no uncaught exception and no console error. The unit fuzzers run 10⁴ cases per surface; this is the page.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, test, type Page } from '@playwright/test';
import { parseCsv } from '../../src/app/csv';
import { parseHash, toHash } from '../../src/app/urlState';
import { LESSONS } from '../../src/app/lessons';
import { parseRunFile } from '../../src/core/exportFile';
import { toJson } from '../../src/core/schema';
import { editAt, type EditKind } from '../unit/fuzz-edits';

const SEED = 15;
const steps = async (page: Page) => Number(await page.getByTestId('steps').textContent());
const models = (page: Page) => page.locator('[data-testid^="panel-"]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-model-id')}:${e.getAttribute('data-loss')}`));
const sample = <T>(arb: fc.Arbitrary<T>, n: number, seed: number) => fc.sample(arb, { numRuns: n, seed });
/** The hash as the browser will hold it (percent-encoded as WHATWG URLs do). */
const asBrowser = (h: string) => new URL(`http://localhost/${h.startsWith('#') ? h : `#${h}`}`).hash;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Every path (keys and indices) in a JSON value, to the given depth. */
function paths(v: unknown, depth: number, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length) out.push(prefix);
  if (depth === 0) return out;
  if (Array.isArray(v)) v.slice(0, 3).forEach((x, i) => paths(x, depth - 1, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, depth - 1, [...prefix, k], out);
  return out;
}

// Links: mutations of valid links (config edits and text edits), random bytes, deep nesting, a megabyte.
function hashCases(): string[] {
  const valid = LESSONS.slice(0, 4).map((l) => JSON.parse(toJson(l.config)) as object);
  const configEdit = fc.tuple(fc.nat(valid.length - 1), fc.nat(), fc.constantFrom<EditKind>('set', 'delete', 'swap', 'grow'), fc.constantFrom<unknown>(1e-40, -1, 1e6, 'x', null, [], 1025, 2.5, 1e20)).map(([i, p, kind, value]) => {
    const obj = structuredClone(valid[i]) as Record<string, unknown>;
    const all = paths(obj, 4);
    editAt(obj, all[p % all.length], kind, value, (arr) => arr.push(...Array.from({ length: 12 }, () => structuredClone(arr[0]))));
    return `#v=2&config=${b64(JSON.stringify(obj))}`;
  });
  const textEdit = fc.tuple(fc.constantFrom(...LESSONS.slice(0, 4).map((l) => toHash({ config: l.config, lessonId: null }))), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })).map(([h, at, t]) => {
    const i = 12 + (at % (h.length - 12));
    return h.slice(0, i) + t + h.slice(i + t.length);
  });
  const bytes = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => `#${String.fromCharCode(...b)}`);
  const drawn = [...sample(configEdit, 16, SEED), ...sample(textEdit, 6, SEED), ...sample(bytes, 4, SEED)];
  const fixed = [`#v=2&config=${b64('['.repeat(5000) + ']'.repeat(5000))}`, `#v=2&config=${'A'.repeat(1 << 20)}`, '#v=2&lesson=no-such-lesson', '#v=9&config=e30'];
  // Keep 8 the page must refuse (a valid mutation would legitimately open another run).
  return [...fixed, ...drawn.filter((h) => parseHash(asBrowser(h)).error !== null).slice(0, 8)];
}

// Files: mutated and truncated exports of the page's own run.
function fileCases(json: string): string[] {
  const base = JSON.parse(json) as Record<string, unknown>;
  const all = paths(base, 5);
  const edit = fc.tuple(fc.nat(), fc.constantFrom<EditKind>('set', 'delete', 'swap', 'truncate', 'grow'), fc.constantFrom<unknown>(null, -1, 'x', 1e39, 2.5, [], {}, 'Infinity')).map(([p, kind, value]) => {
    const obj = structuredClone(base);
    editAt(obj, all[p % all.length], kind, value, (arr) => arr.push(arr[0]));
    return JSON.stringify(obj);
  });
  const cut = fc.integer({ min: 1, max: json.length - 1 }).map((n) => json.slice(0, n));
  const refused = (t: string) => {
    try {
      parseRunFile(t);
      return false;
    } catch {
      return true;
    }
  };
  return [...sample(edit, 30, SEED).filter(refused).slice(0, 5), ...sample(cut, 2, SEED), '\uFEFF{}'];
}

// CSV: random bytes, huge numbers, a BOM, other delimiters, quotes.
function csvCases(): string[] {
  const bytes = fc.uint8Array({ minLength: 1, maxLength: 80 }).map((b) => String.fromCharCode(...b));
  const fixed = ['\uFEFFx,y\n0,1\n1,3.5e38\n', 'x;y\n0;1\n1;2\n', 'x,y\n"0","1"\n"1,2",3\n', '0,1\n0,2\n'];
  return [...fixed, ...sample(bytes, 4, SEED)].filter((t) => !parseCsv(t).ok);
}

test('hostile links, files and CSV: a clear message each, the run untouched and still training, no error', async ({ page }) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(5);
  const t0 = Date.now();
  const lap = (what: string) => console.log(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const before = await models(page);
  let last = await steps(page);
  /** The same run, still training: same models, and the step count moving on from where it was. */
  const intact = async (what: string) => {
    expect(await models(page), what).toEqual(before);
    await expect.poll(() => steps(page), { message: what, timeout: 30_000 }).toBeGreaterThan(last);
    last = await steps(page);
  };
  const alerted = async (what: string, text: RegExp) => {
    await expect(page.getByTestId('alert'), what).toContainText(text);
    // Dismissed in the page (no pointer actions: the next case's alert must be a new one).
    await page.evaluate(() => document.querySelector<HTMLButtonElement>('[data-testid="alert"] button:last-of-type')?.click());
    await expect(page.getByTestId('alert')).toHaveCount(0);
  };

  const hashes = hashCases();
  for (const [i, h] of hashes.entries()) {
    await page.evaluate((hash) => (location.hash = hash), h);
    await alerted(`link ${i}: ${h.slice(0, 80)}`, /nothing was changed/);
    if (i % 4 === 3) await intact(`link ${i}`);
  }
  // The address is the run's own again.
  expect(parseHash(await page.evaluate(() => location.hash)).error).toBeNull();
  await intact('links');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const exported = readFileSync(await download.path(), 'utf8');
  const files = fileCases(exported);
  for (const [i, text] of files.entries()) {
    await page.getByTestId('import').setInputFiles({ name: `fuzz-${i}.json`, mimeType: 'application/json', buffer: Buffer.from(text) });
    await alerted(`file ${i}`, /Nothing was changed/);
    if (i % 4 === 3) await intact(`file ${i}`);
  }
  await intact('files');

  const csvs = csvCases();
  for (const [i, text] of csvs.entries()) {
    await page.getByTestId('import').setInputFiles({ name: `fuzz-${i}.csv`, mimeType: 'text/csv', buffer: Buffer.from(text, 'latin1') });
    await alerted(`csv ${i}: ${JSON.stringify(text.slice(0, 40))}`, /^fuzz-\d+\.csv: (Row \d+|The file |Every x ).*unchanged/);
  }
  await intact('csv');

  // A file of 10 models (as `npm run reproduce -- robust-nll-fig3` writes): refused whole, then its first 8 on request.
  const f = JSON.parse(exported) as { config: { models: { id: string }[] }; models: { id: string }[]; state: { models: { id: string }[] }; history: unknown[] };
  const k = f.config.models.length;
  for (let j = k; j < 10; j++) {
    const id = `z${j}`;
    f.config.models.push({ ...f.config.models[j % k], id });
    f.models.push({ ...f.models[j % k], id });
    f.state.models.push({ ...f.state.models[j % k], id });
  }
  await page.getByTestId('import').setInputFiles({ name: 'ten.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(f)) });
  await expect(page.getByTestId('alert')).toContainText('10 models: the page trains at most 8 at once. Nothing was changed');
  await intact('ten models');
  await page.getByTestId('alert-action').click();
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(8);
  await expect(page.locator('.status-info')).toContainText(`its first 8 of 10 models) at step ${(JSON.parse(exported) as { state: { step: number } }).state.step}`);
  lap('done');
  console.log(`fuzz: ${hashes.length} links, ${files.length} files, ${csvs.length} CSV, 1 file of 10 models`);
  expect(errors).toEqual([]);
});
