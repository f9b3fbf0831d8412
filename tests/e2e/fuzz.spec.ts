// Hostile input on the running page (issues 15 and 24), in one page session: ≥ 200 links drawn by fast-check
// (mutated configurations, flipped characters, random bytes and keys, deep nesting, a megabyte) pasted into the
// address, ≥ 200 mutated and truncated run files imported, and CSV bytes. Each case either opens with a message
// (the run untouched) or opens correctly (what the Node parser accepts, the page shows); no page error, no NaN in a
// panel of a model that trains, and training goes on. Each case is one page.evaluate that sets the hash (or feeds
// the file input) and waits in the page for the outcome, so fast-check drives the page directly: seeded, and a
// failing case shrinks. The Node fuzzers (tests/unit/*-fuzz.test.ts) run 10⁴ cases per surface.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { expect, test, type Page } from '@playwright/test';
import { parseCsv } from '../../src/app/csv';
import { parseHash, toHash } from '../../src/app/urlState';
import { LESSONS } from '../../src/app/lessons';
import type { RunConfig } from '../../src/core/config';
import { parseRunFile } from '../../src/core/exportFile';
import { LIMITS } from '../../src/core/messages';
import { toJson } from '../../src/core/schema';
import { editAt, type EditKind } from '../unit/fuzz-edits';

const SEED = 24;
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/** Cases per page.evaluate (fast-check draws batches of this many; a failing batch shrinks its cases). */
const BATCH = 10;
/** A small run (two models, 8 hidden units, 60 points): the page trains it fast, so the checks between cases are short. */
const BASE = LESSONS[0].config;
const TINY: RunConfig = {
  ...BASE,
  data: { ...BASE.data, n: 60 },
  models: BASE.models.slice(0, 2),
  train: { ...BASE.train, batchSize: 16, architecture: { ...BASE.train.architecture, hidden: [8] } },
};
/** Its link hides the views (a teacher's link can): each case's re-render then redraws two small panels, not a dozen figures. */
const TINY_HASH = toHash({ config: TINY, lessonId: null, hide: ['views', 'lessons'] });

const steps = async (page: Page) => Number(await page.getByTestId('steps').textContent());
/** The hash as the browser will hold it (percent-encoded as WHATWG URLs do). */
const asBrowser = (h: string) => new URL(`http://localhost/${h.startsWith('#') ? h : `#${h}`}`).hash;
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const modelsOf = (c: RunConfig) => c.models.map((m) => `${m.id}:${m.loss}`).join(',');

/** Every path (keys and indices) in a JSON value, to the given depth (arrays: their first 3 entries). */
function paths(
  v: unknown,
  depth: number,
  prefix: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  if (prefix.length) out.push(prefix);
  if (depth === 0) return out;
  if (Array.isArray(v)) v.slice(0, 3).forEach((x, i) => paths(x, depth - 1, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, depth - 1, [...prefix, k], out);
  return out;
}

/** What one case should do: open with a message, or open this run (models as the panels show them, the address). */
type Expected = { kind: 'message' } | { kind: 'opened'; models: string; hash: string | null };
type Outcome = {
  kind: 'message' | 'opened' | 'timeout';
  text: string;
  before: string;
  after: string;
  nan: string[];
  ms: number;
};

/**
 * A link either navigates (location.hash =, as a pasted link does) or is written into the address and announced
 * with the event the browser fires (replaceState + hashchange): the page's own handler reads it either way, and the
 * second skips a navigation round trip through the browser process per case.
 */
type Input = { hash?: string; navigate?: boolean; file?: { name: string; text: string } };

/**
 * In the page: applies each link or file in turn and waits for its outcome. A message: read, dismissed, and the
 * panels compared with those before. Opened: the panels show the expected models (and, for a link, the address is
 * the run's own; for a file, the info line names it). Panels with a NaN RMSE whose model is not marked diverged
 * are listed. One page.evaluate per batch: on two loaded cores a round trip costs more than a case.
 */
async function apply(page: Page, cases: { input: Input; expected: Expected }[]): Promise<Outcome[]> {
  return page.evaluate(async (cases) => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const alert = () => document.querySelector<HTMLElement>('[data-testid="alert"]');
    const panels = () => [...document.querySelectorAll<HTMLElement>('[data-testid^="panel-"]')];
    const shown = () =>
      panels()
        .map((e) => `${e.getAttribute('data-model-id')}:${e.getAttribute('data-loss')}`)
        .join(',');
    const nan = () =>
      panels()
        .filter((e) => e.getAttribute('data-rmse') === 'NaN' && e.getAttribute('data-status') !== 'diverged')
        .map((e) => e.getAttribute('data-model-id') ?? '');
    const info = () => document.querySelector('.status-info')?.textContent ?? '';
    const dismiss = async () => {
      alert()?.querySelector<HTMLButtonElement>('button:last-of-type')?.click();
      while (alert()) await sleep(5);
    };
    const one = async ({ input: { hash, navigate, file }, expected }: (typeof cases)[number]) => {
      await dismiss();
      const before = shown();
      const t0 = performance.now();
      if (hash !== undefined && navigate) location.hash = hash;
      else if (hash !== undefined) {
        const from = location.href;
        history.replaceState(null, '', hash.startsWith('#') ? hash : `#${hash}`);
        if (location.href !== from)
          window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL: from, newURL: location.href }));
      } else if (file) {
        const input = document.querySelector<HTMLInputElement>('[data-testid="import"]')!;
        const dt = new DataTransfer();
        dt.items.add(
          new File([file.text], file.name, { type: file.name.endsWith('.csv') ? 'text/csv' : 'application/json' }),
        );
        input.files = dt.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }
      for (;;) {
        const a = alert();
        if (a) {
          const text = a.textContent ?? '';
          await dismiss();
          return { kind: 'message' as const, text, before, after: shown(), nan: nan(), ms: performance.now() - t0 };
        }
        if (
          expected.kind === 'opened' &&
          shown() === expected.models &&
          (expected.hash === null || location.hash === expected.hash) &&
          (!file || info().includes(file.name))
        ) {
          return { kind: 'opened' as const, text: '', before, after: shown(), nan: nan(), ms: performance.now() - t0 };
        }
        if (performance.now() - t0 > 15_000)
          return {
            kind: 'timeout' as const,
            text: info(),
            before,
            after: shown(),
            nan: nan(),
            ms: performance.now() - t0,
          };
        await sleep(5);
      }
    };
    const out = [];
    for (const c of cases) {
      const t0 = performance.now();
      out.push(await one(c));
      // Chromium ignores history updates past 200 per 10 s (IPC flooding protection, crbug.com/1038223); a link
      // case makes two (the address, then the page's own): at most one case per 120 ms keeps a fast machine below.
      if (c.input.hash !== undefined) while (performance.now() - t0 < 120) await sleep(5);
    }
    return out;
  }, cases);
}

/** In-page milliseconds per outcome kind (the log shows where the time goes). */
const timing: Record<string, number[]> = {};
function check(what: string, o: Outcome, expected: Expected, refusal: RegExp): void {
  (timing[`${what.split(' ')[0]} ${o.kind}`] ??= []).push(o.ms);
  expect(o.nan, `${what}: NaN in a panel`).toEqual([]);
  expect(o.kind, `${what}: ${o.text}`).toBe(expected.kind);
  if (expected.kind === 'message') {
    expect(o.text, what).toMatch(refusal);
    expect(o.after, `${what}: the run on screen changed`).toBe(o.before);
  }
}

// ---------------------------------------------------------------- links

const TINY_OBJECT = JSON.parse(toJson(TINY)) as Record<string, unknown>;
const TINY_PATHS = paths(TINY_OBJECT, 4);
const hostileValue = fc.constantFrom<unknown>(
  1e-40,
  -1,
  1e6,
  'x',
  null,
  [],
  1025,
  2.5,
  1e20,
  1e39,
  -1e300,
  1e-300,
  2 ** 32 + 1,
  'Infinity',
  '-Infinity',
  0,
);
const configEdit = fc
  .array(fc.tuple(fc.nat(), fc.constantFrom<EditKind>('set', 'set', 'set', 'delete', 'swap', 'grow'), hostileValue), {
    minLength: 1,
    maxLength: 3,
  })
  .map((edits) => {
    const obj = structuredClone(TINY_OBJECT);
    for (const [p, kind, value] of edits)
      editAt(obj, TINY_PATHS[p % TINY_PATHS.length], kind, value, (arr) =>
        arr.push(...Array.from({ length: 12 }, () => structuredClone(arr[0]))),
      );
    return `#v=2&config=${b64(JSON.stringify(obj))}`;
  });
const textEdit = fc.tuple(fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })).map(([at, t]) => {
  const i = 12 + (at % (TINY_HASH.length - 12));
  return TINY_HASH.slice(0, i) + t + TINY_HASH.slice(i + t.length);
});
const keyValues = fc
  .array(
    fc.tuple(
      fc.constantFrom('v', 'lesson', 'config', 'cfg', 'hide', 'mode', 'cls', 'x'),
      fc.oneof(
        fc.constantFrom('2', '9', '', 'NaN', 'no-such-lesson', 'classification', b64('{}'), b64('null')),
        fc.string({ maxLength: 8 }),
      ),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((pairs) => '#' + pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
const bytes = fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => `#${String.fromCharCode(...b)}`);
const deep = fc.integer({ min: 100, max: 5000 }).map((d) => `#v=2&config=${b64('['.repeat(d) + ']'.repeat(d))}`);
/** Just past the size limit (the megabyte link is a fixed example: a few suffice, each costs the browser a copy). */
const oversize = fc
  .integer({ min: LIMITS.maxLinkChars, max: 4 * LIMITS.maxLinkChars })
  .map((n) => `#v=2&config=${'A'.repeat(n)}`);
const links = fc.oneof(
  { arbitrary: configEdit, weight: 6 },
  { arbitrary: textEdit, weight: 2 },
  { arbitrary: keyValues, weight: 2 },
  { arbitrary: bytes, weight: 1 },
  { arbitrary: deep, weight: 1 },
  { arbitrary: oversize, weight: 1 },
);
/** Always tried: the megabyte link, links that say nothing, a classification link's keys, a newer version. */
const FIXED_LINKS = [
  `#v=2&config=${b64(JSON.stringify({ ...TINY_OBJECT, pad: 'A'.repeat(1 << 20) }))}`,
  '#v=2&config=',
  '#v=2&cfg=e30',
  '#v=2&mode=classification&cls=e30',
  '#v=2&lesson=no-such-lesson',
  '#v=9&config=e30',
];

function expectedOfLink(h: string): Expected {
  const s = parseHash(asBrowser(h));
  if (s.error !== null) return { kind: 'message' };
  // The page writes its own address for the run it opened (a lesson left as it is: its id).
  return {
    kind: 'opened',
    models: modelsOf(s.config),
    hash: asBrowser(toHash({ config: s.config, lessonId: s.lessonId, hide: s.hide })),
  };
}

// ---------------------------------------------------------------- files

function fileArbitrary(base: Record<string, unknown>) {
  const all = paths(base, 5);
  const value = fc.constantFrom<unknown>(null, -1, -0.5, 'x', 1e39, 1e-300, 2.5, 2 ** 32 + 1, [], {}, 'Infinity', 0);
  const edit = fc
    .array(fc.tuple(fc.nat(), fc.constantFrom<EditKind>('set', 'set', 'delete', 'swap', 'truncate', 'grow'), value), {
      minLength: 1,
      maxLength: 3,
    })
    .map((edits) => {
      const obj = structuredClone(base);
      for (const [p, kind, v] of edits)
        editAt(obj, all[p % all.length], kind, v, (arr) => arr.push(structuredClone(arr[0])));
      return JSON.stringify(obj);
    });
  const json = JSON.stringify(base);
  const cut = fc.integer({ min: 0, max: json.length - 1 }).map((n) => json.slice(0, n));
  return fc.oneof({ arbitrary: edit, weight: 8 }, { arbitrary: cut, weight: 1 });
}

function expectedOfFile(text: string): Expected {
  try {
    const f = parseRunFile(text);
    // More models than the page trains: refused whole, with an offer (the alert).
    return f.config.models.length > LIMITS.maxModels
      ? { kind: 'message' }
      : { kind: 'opened', models: modelsOf(f.config), hash: null };
  } catch {
    return { kind: 'message' };
  }
}

function csvCases(): string[] {
  const drawn = fc.sample(
    fc.uint8Array({ minLength: 1, maxLength: 80 }).map((b) => String.fromCharCode(...b)),
    { numRuns: 4, seed: SEED },
  );
  const fixed = [
    '\uFEFFx,y\n0,1\n1,3.5e38\n',
    'x,y\n0,1\n1,2e9\n',
    'x;y\n0;1\n1;2\n',
    'x,y\n"0","1"\n"1,2",3\n',
    '0,1\n0,2\n',
  ];
  return [...fixed, ...drawn].filter((t) => !parseCsv(t).ok);
}

test(`hostile links and files (${RUNS} + ${RUNS}, fast-check) and CSV: each opens with a message or opens correctly; no NaN, no error, training goes on`, async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/${TINY_HASH}`);
  // The CPU trainer trains here (SwiftShader is an emulation); tfjs on WASM evaluates.
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  const t0 = Date.now();
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(5);
  console.log(`first steps: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const lap = (what: string) => console.log(`${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // The cases run paused: a page training flat out on two loaded cores answers each case in ~0.4 s instead of
  // ~0.05 s. Every 100 cases and after each phase Play goes on and the run must train on from where it stood.
  const play = async (on: boolean) => {
    await page.getByTestId('play').click();
    await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', String(on));
  };
  /** Training goes on: Play, the step count moves (a link just opened may restart it from 0 first) and grows; pause. */
  const training = async (what: string) => {
    const t = Date.now();
    const from = await steps(page);
    await play(true);
    await expect.poll(() => steps(page), { message: `${what}: training stopped`, timeout: 30_000 }).not.toBe(from);
    const next = await steps(page);
    await expect
      .poll(() => steps(page), { message: `${what}: training stopped`, timeout: 30_000 })
      .toBeGreaterThan(next);
    await play(false);
    trainingMs += Date.now() - t;
  };
  let trainingMs = 0;
  await play(false);
  const counts = { links: 0, linksOpened: 0, files: 0, filesOpened: 0 };

  // The fixed links first, as one batch (they need no shrinking, and a failure names them in 100 characters).
  const fixed = FIXED_LINKS.map((h) => ({ input: { hash: h, navigate: true }, expected: expectedOfLink(h) }));
  (await apply(page, fixed)).forEach((o, k) =>
    check(
      `fixed link (${FIXED_LINKS[k].length} chars): ${FIXED_LINKS[k].slice(0, 100)}`,
      o,
      fixed[k].expected,
      /nothing was changed/,
    ),
  );
  counts.links += fixed.length;
  let batches = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(links, { minLength: BATCH, maxLength: BATCH }), async (hs) => {
      // The fixed links navigated as a pasted link does; the drawn ones take the shorter way (Input).
      const cases = hs.map((h) => ({ input: { hash: h }, expected: expectedOfLink(h) }));
      const outcomes = await apply(page, cases);
      outcomes.forEach((o, k) =>
        check(`link (${hs[k].length} chars): ${hs[k].slice(0, 100)}`, o, cases[k].expected, /nothing was changed/),
      );
      counts.links += hs.length;
      counts.linksOpened += cases.filter((c) => c.expected.kind === 'opened').length;
      if (++batches % 10 === 0) await training(`after ${counts.links} links`);
    }),
    { numRuns: RUNS / BATCH, seed: SEED, interruptAfterTimeLimit: 150_000, markInterruptAsFailure: true },
  );
  lap(`${counts.links} links (${counts.linksOpened} opened)`);

  // Back to the small run, then its own export is the base of the file cases.
  const [back] = await apply(page, [
    { input: { hash: TINY_HASH, navigate: true }, expected: expectedOfLink(TINY_HASH) },
  ]);
  expect(back.kind).toBe('opened');
  await training('links');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const exported = readFileSync(await download.path(), 'utf8');
  const base = JSON.parse(exported) as Record<string, unknown>;

  let j = 0;
  batches = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(fileArbitrary(base), { minLength: BATCH, maxLength: BATCH }), async (texts) => {
      // Each file its own name: an opened file is told by the info line naming it.
      const cases = texts.map((text) => ({
        input: { file: { name: `fuzz-${j++}.json`, text } },
        expected: expectedOfFile(text),
      }));
      const outcomes = await apply(page, cases);
      outcomes.forEach((o, k) =>
        check(`file ${cases[k].input.file.name}`, o, cases[k].expected, /Nothing was changed/),
      );
      counts.files += texts.length;
      counts.filesOpened += cases.filter((c) => c.expected.kind === 'opened').length;
      if (++batches % 10 === 0) await training(`after ${counts.files} files`);
    }),
    {
      numRuns: RUNS / BATCH + 1,
      seed: SEED,
      examples: [[['\uFEFF{}', exported.slice(0, 100)]]],
      interruptAfterTimeLimit: 150_000,
      markInterruptAsFailure: true,
    },
  );
  lap(`${counts.files} files (${counts.filesOpened} opened)`);
  await training('files');

  const csvs = csvCases();
  const csvOutcomes = await apply(
    page,
    csvs.map((text, k) => ({
      input: { file: { name: `fuzz-${k}.csv`, text } },
      expected: { kind: 'message' as const },
    })),
  );
  csvOutcomes.forEach((o, k) =>
    check(
      `csv ${k}: ${JSON.stringify(csvs[k].slice(0, 40))}`,
      o,
      { kind: 'message' },
      /^fuzz-\d+\.csv: (Row \d+|The file |Every x ).*unchanged/,
    ),
  );
  await training('csv');

  // A file of 10 models (as `npm run reproduce -- robust-nll-fig3` writes): refused whole, then its first 8 on request.
  const f = JSON.parse(exported) as {
    config: { models: { id: string }[] };
    models: { id: string }[];
    state: { models: { id: string }[] };
  };
  const k = f.config.models.length;
  for (let m = k; m < 10; m++) {
    const id = `z${m}`;
    f.config.models.push({ ...f.config.models[m % k], id });
    f.models.push({ ...f.models[m % k], id });
    f.state.models.push({ ...f.state.models[m % k], id });
  }
  await page
    .getByTestId('import')
    .setInputFiles({ name: 'ten.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(f)) });
  await expect(page.getByTestId('alert')).toContainText(
    '10 models: the page trains at most 8 at once. Nothing was changed',
  );
  await page.getByTestId('alert-action').click();
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(8);
  await expect(page.locator('.status-info')).toContainText(
    `its first 8 of 10 models) at step ${(JSON.parse(exported) as { state: { step: number } }).state.step}`,
  );
  await training('ten models');
  lap(`done (${(trainingMs / 1000).toFixed(1)} s of it in the training checks)`);
  console.log(`fuzz: ${JSON.stringify(counts)}, ${csvs.length} CSV, 1 file of 10 models`);
  console.log(
    `in-page ms per case (mean, max): ${Object.entries(timing)
      .map(([k, v]) => `${k} ${(v.reduce((a, b) => a + b, 0) / v.length).toFixed(0)}, ${Math.max(...v).toFixed(0)}`)
      .join('; ')}`,
  );
  expect(counts.links).toBeGreaterThanOrEqual(RUNS);
  expect(counts.files).toBeGreaterThanOrEqual(RUNS);
  expect(errors).toEqual([]);
});
