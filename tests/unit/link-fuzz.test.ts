// parseHash against hostile links (issue 15): mutations of valid links, random bytes, deep nesting, random
// key=value pairs and megabyte strings. It never throws, and returns either a configuration within every
// bound or the default lesson with a message.
import fc from 'fast-check';
import { editAt } from './fuzz-edits';
import { describe, expect, it } from 'vitest';
import type { RunConfig } from '../../src/core/config';
import { BOUNDS, inBound, LIMITS, linkSaysNothing } from '../../src/core/messages';
import { runConfigSchema, toJson } from '../../src/core/schema';
import { paramCount } from '../../src/core/state';
import { migrateLink, parseHash, toHash } from '../../src/app/urlState';
import { LESSONS } from '../../src/app/lessons';
import { parseClassHash } from '../../src/app/classify/link';

function withinBounds(c: RunConfig): void {
  const a = c.train.architecture;
  expect(c.models.length).toBeGreaterThanOrEqual(1);
  expect(c.models.length).toBeLessThanOrEqual(LIMITS.maxModels);
  expect(a.hidden.length).toBeLessThanOrEqual(LIMITS.maxHiddenLayers);
  for (const w of a.hidden) expect(Number.isInteger(w) && w >= 1 && w <= LIMITS.maxWidth).toBe(true);
  expect(paramCount(a)).toBeLessThanOrEqual(LIMITS.maxParams);
  expect(Number.isInteger(c.data.n) && c.data.n >= LIMITS.minN && c.data.n <= LIMITS.maxN).toBe(true);
  expect(
    Number.isInteger(c.train.batchSize) && c.train.batchSize >= LIMITS.minBatch && c.train.batchSize <= LIMITS.maxBatch,
  ).toBe(true);
  expect(a.varianceFloor >= LIMITS.minVarianceFloor && a.varianceFloor <= LIMITS.maxVarianceFloor).toBe(true);
  for (const m of c.models) expect(m.T >= LIMITS.minT && Number.isInteger(m.initSeed)).toBe(true);
  expect(Number.isInteger(c.data.seed) && Number.isInteger(c.train.batchSeed)).toBe(true);
  // Issue 24: every scalar within its catalogue bound (messages.ts BOUNDS), so float32 data and losses stay finite.
  expect(inBound(c.data.noise, BOUNDS.noise) && inBound(c.data.outlierScale, BOUNDS.outlierScale)).toBe(true);
  expect(
    inBound(c.train.learningRate, BOUNDS.learningRate) &&
      inBound(c.train.warmupMeanSteps, BOUNDS.warmupSteps) &&
      inBound(c.train.warmupNllSteps, BOUNDS.warmupSteps),
  ).toBe(true);
  for (const m of c.models) {
    for (const k of ['T', 'alpha', 'c', 'lambda', 'tau', 'nu', 'lrScale'] as const)
      expect(inBound(m[k], BOUNDS[k]), `${k} = ${m[k]}`).toBe(true);
    if (m.warmup)
      expect(inBound(m.warmup.meanSteps, BOUNDS.warmupSteps) && inBound(m.warmup.nllSteps, BOUNDS.warmupSteps)).toBe(
        true,
      );
  }
}

/** The invariant every hash must satisfy. */
function check(hash: string): void {
  let s: ReturnType<typeof parseHash>;
  try {
    s = parseHash(hash);
  } catch (e) {
    throw new Error(`parseHash threw on ${JSON.stringify(hash.slice(0, 200))}: ${String(e)}`, { cause: e });
  }
  if (hash.length > LIMITS.maxLinkChars) expect(s.error).toMatch(/characters long: a link holds at most/);
  if (s.error === null) {
    expect(runConfigSchema.safeParse(JSON.parse(toJson(s.config))).success).toBe(true);
    withinBounds(s.config);
    // A link opens silently only when it names a configuration or a lesson, or is the plain address (hide alone).
    const keys = [...migrateLink(hash).params.keys()];
    expect(
      keys.includes('config') || keys.includes('lesson') || keys.every((k) => k === 'hide'),
      `${hash.slice(0, 80)} opened silently`,
    ).toBe(true);
  } else {
    expect(typeof s.error).toBe('string');
    expect(s.error.length).toBeGreaterThan(0);
    expect(s.config).toBe(LESSONS[0].config);
    expect(s.lessonId).toBe(LESSONS[0].id);
  }
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const configLink = (json: string) => `#v=2&config=${b64(json)}`;

// Valid links: every lesson by id and every lesson carried in full.
const VALID = LESSONS.flatMap((l) => [
  toHash({ config: l.config, lessonId: l.id }),
  toHash({ config: l.config, lessonId: null }),
  toHash({ config: l.config, lessonId: null, hide: ['models', 'views'] }),
]);
const BASE_OBJECTS = LESSONS.map((l) => JSON.parse(toJson(l.config)) as unknown);

/** Every path (keys and indices) in a JSON value. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
  return out;
}
const BASE_PATHS = BASE_OBJECTS.map((o) => paths(o).filter((p) => p.length > 0));

const nested = (depth: number, leaf: string) => '['.repeat(depth) + leaf + ']'.repeat(depth);
const jsonValue = fc.oneof(
  fc.constantFrom<unknown>(
    null,
    true,
    false,
    '',
    'Infinity',
    '-Infinity',
    'NaN',
    0,
    -0,
    -1,
    0.5,
    1e-40,
    1e308,
    -1e308,
    1e6,
    2 ** 31,
    2 ** 53 + 2,
    1025,
    5013,
    257,
    9,
    [],
    {},
    [1024, 1024, 1024, 1024, 1024, 1024],
  ),
  fc.double(),
  fc.integer(),
  fc.string({ maxLength: 12 }),
  fc.array(fc.integer({ min: -2, max: 4096 }), { maxLength: 8 }),
);

/** A lesson's configuration with 1–4 random paths replaced, deleted, or its arrays truncated or grown. */
const mutatedConfig = fc
  .tuple(
    fc.nat(BASE_OBJECTS.length - 1),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom('set', 'delete', 'truncate', 'grow'), jsonValue), {
      minLength: 1,
      maxLength: 4,
    }),
  )
  .map(([i, edits]) => {
    const obj = structuredClone(BASE_OBJECTS[i]) as Record<string | number, unknown>;
    for (const [pick, kind, value] of edits) {
      editAt(obj, BASE_PATHS[i][pick % BASE_PATHS[i].length], kind, value, (arr) => {
        for (let r = 0; r < 64; r++) arr.push(structuredClone(arr[0]));
      });
    }
    return configLink(JSON.stringify(obj));
  });

/** A valid link with characters flipped, inserted or deleted. */
const mutatedText = fc
  .tuple(
    fc.constantFrom(...VALID),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.constantFrom('flip', 'insert', 'delete'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }),
      ),
      { minLength: 1, maxLength: 6 },
    ),
  )
  .map(([link, edits]) => {
    let s = link;
    for (const [at, kind, text] of edits) {
      const i = at % (s.length + 1);
      s =
        kind === 'insert'
          ? s.slice(0, i) + text + s.slice(i)
          : kind === 'delete'
            ? s.slice(0, i) + s.slice(i + text.length)
            : s.slice(0, i) + text[0] + s.slice(i + 1);
    }
    return s;
  });

const keyValues = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom('v', 'lesson', 'config', 'hide', 'x', ''), fc.string({ maxLength: 6 })),
      fc.oneof(
        fc.constantFrom(
          '2',
          '3',
          '1',
          '0',
          '-1',
          'NaN',
          '1e9',
          'models,data',
          LESSONS[1].id,
          'nope',
          b64('{}'),
          b64('[]'),
          b64('null'),
        ),
        fc.string({ maxLength: 10 }),
      ),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => '#' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
const deep = fc
  .tuple(fc.integer({ min: 1, max: 5000 }), fc.constantFrom('1', 'null', '{}', '"x"'))
  .map(([d, leaf]) => configLink(`{"data":${nested(d, leaf)},"models":${nested(d, leaf)}}`));
const bytes = fc.uint8Array({ maxLength: 96 }).map((b) => String.fromCharCode(...b));

describe('link fuzz', () => {
  it('valid links open without a message', () => {
    for (const h of VALID) expect(parseHash(h).error).toBeNull();
  });

  it('never throws; a configuration within every bound or the default lesson with a message (10⁴ cases)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedConfig,
          mutatedConfig,
          mutatedText,
          keyValues,
          deep,
          bytes,
          fc.string({ unit: 'binary', maxLength: 60 }),
        ),
        check,
      ),
      { numRuns: 10_000, seed: 20261124 },
    );
  });

  it('megabyte hashes (a config, a lesson id, raw text) are refused with a message, fast', () => {
    const mb = 'A'.repeat(1 << 20);
    const big = [
      configLink(JSON.stringify({ ...(BASE_OBJECTS[0] as object), pad: mb })),
      configLink(
        JSON.stringify({
          ...(BASE_OBJECTS[0] as object),
          models: Array.from({ length: 5000 }, () => (BASE_OBJECTS[0] as { models: unknown[] }).models[0]),
        }),
      ),
      `#lesson=${mb}`,
      `#config=${mb}`,
      `#${mb}`,
      configLink(nested(100_000, '1')),
    ];
    const t0 = performance.now();
    for (const h of big) check(h);
    expect(performance.now() - t0).toBeLessThan(5000);
    // Refused before parsing, each with the size and the reason (a valid configuration padded to 1 MB included).
    for (const h of big)
      expect(parseHash(h).error).toContain(
        `This link is ${h.length} characters long: a link holds at most ${LIMITS.maxLinkChars} (browsers and servers cut longer URLs`,
      );
    // Within the size, the same checks as ever: too many models is named.
    const twenty = configLink(
      JSON.stringify({
        ...(BASE_OBJECTS[0] as object),
        models: Array.from({ length: 20 }, () => (BASE_OBJECTS[0] as { models: unknown[] }).models[0]),
      }),
    );
    expect(twenty.length).toBeLessThan(LIMITS.maxLinkChars);
    expect(parseHash(twenty).error).toMatch(/20 models: the page trains at most 8/);
  });

  it('the largest configuration the page can write fits the link limit with room to spare', () => {
    const base = LESSONS[0].config;
    const widest = { ...base.train.architecture, hidden: [256, 256, 1, 1] };
    const models = Array.from({ length: LIMITS.maxModels }, (_, k) => ({
      ...base.models[0],
      id: `model-${k}-with-a-long-id-xx`.slice(0, 32),
      warmup: { meanSteps: 5000, nllSteps: 5000 },
      initScale: 33.333333333333336,
      ensemble: 4,
      T: 0.0012345678901234567,
      alpha: -10.123456789012344,
      c: 0.012345678901234567,
      lambda: 12.345678901234567,
      tau: 1.2345678901234567,
      nu: 123.45678901234567,
      lrScale: 1.2345678901234567,
      beta: 0.12345678901234566,
    }));
    const h = toHash({
      config: {
        ...base,
        models,
        train: { ...base.train, architecture: widest, heldOut: { share: 0.25, seed: 123456789 } },
      },
      lessonId: null,
      hide: ['models', 'data', 'training', 'views', 'lessons'],
    });
    expect(parseHash(h).error).toBeNull();
    expect(h.length).toBeLessThan(LIMITS.maxLinkChars / 2);
  });

  it('links that say nothing (FINDINGS): no config and no lesson gives a message; the plain address and a hide-only link stay silent', () => {
    for (const h of [
      '#v=2&cfg=eyJ9',
      '#v=2&config=',
      '#v=2&lesson=',
      '#v=2&mode=classification&cls=e30',
      '#x=1',
      '#v=3&foo=bar',
    ])
      expect(parseHash(h).error, h).toContain(linkSaysNothing());
    for (const h of ['', '#', '#v=2', '#hide=models,views']) expect(parseHash(h).error, h).toBeNull();
    // The classification mode's links alike (and its size limit).
    expect(parseClassHash('#v=2&mode=classification&cfg=e30').error).toContain(linkSaysNothing());
    expect(parseClassHash('#v=2&mode=classification').error).toBeNull();
    expect(parseClassHash(`#v=2&mode=classification&cls=${'A'.repeat(1 << 20)}`).error).toContain(
      'characters long: a link holds at most',
    );
  });
});
