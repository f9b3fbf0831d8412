// The page's pure state helpers: URL round trip, tampered links, CSV messages, slider scales.
import { describe, expect, it } from 'vitest';
import { parseHash, toHash } from '../../src/app/urlState';
import { LESSONS } from '../../src/app/lessons';
import { parseCsv } from '../../src/app/csv';
import { MODEL_SLIDERS, fromSlider, toSlider } from '../../src/app/params';
import { runConfigSchema } from '../../src/core/schema';

describe('URL state', () => {
  it('round-trips every lesson, and an edited configuration with T = ∞ and α = −∞', () => {
    for (const lesson of LESSONS) {
      const back = parseHash(toHash({ config: lesson.config, lessonId: lesson.id }));
      expect(back.error).toBeNull();
      expect(back.config).toEqual(lesson.config);
    }
    const base = LESSONS[0].config;
    const edited = {
      ...base,
      data: { ...base.data, outlierRate: 0.4, seed: 7 },
      models: base.models.map((m, k) => (k === 3 ? { ...m, T: Infinity, alpha: -Infinity } : m)),
    };
    const hash = toHash({ config: edited, lessonId: 'nll-vs-outliers', hide: ['data', 'training'] });
    expect(hash).toContain('config=');
    const back = parseHash(hash);
    expect(back.config).toEqual(edited);
    expect(back.hide).toEqual(['data', 'training']);
  });

  it('a lesson left as it is travels as its id', () => {
    expect(toHash({ config: LESSONS[2].config, lessonId: LESSONS[2].id })).toBe(`#v=2&lesson=${LESSONS[2].id}`);
  });

  it('a tampered or unknown link opens the default lesson with a message, never throws', () => {
    for (const hash of ['#config=%%%', '#config=bm90IGpzb24', `#config=${btoa('{"data":1}')}`, '#lesson=nope']) {
      const s = parseHash(hash);
      expect(s.error).toMatch(/link|lesson/);
      expect(s.config).toEqual(LESSONS[0].config);
    }
    const bad = { ...LESSONS[0].config, models: [{ ...LESSONS[0].config.models[0], loss: 'rm -rf' }] };
    expect(parseHash(`#config=${btoa(JSON.stringify(bad))}`).error).toMatch(/invalid.*loss/);
  });

  it('every lesson configuration validates', () => {
    for (const lesson of LESSONS)
      expect(
        runConfigSchema.safeParse(
          JSON.parse(JSON.stringify(lesson.config, (_k, v) => (v === Infinity ? 'Infinity' : v))),
        ).success,
      ).toBe(true);
  });
});

describe('CSV import', () => {
  it('reads x,y and an optional outlier column, with or without a header', () => {
    const r = parseCsv('x,y,outlier\n0,1,0\n1,2.5,1\n2,3,0\n');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(Array.from(r.points.x)).toEqual([0, 1, 2]);
      expect(Array.from(r.points.isOutlier)).toEqual([0, 1, 0]);
    }
    expect(parseCsv('0,1\n1,2\n').ok).toBe(true);
  });
  it('names the bad row and the reason', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['x,y\n0,1\n1,abc\n', /Row 3: y is not a finite number/],
      ['x,y\n0,1\n1,NaN\n', /Row 3: y is not a finite number/],
      ['0,1\n1\n', /Row 2 has 1 column/],
      ['0,1,2,3\n1,2\n', /Row 1 has 4 column/],
      ['0,1,maybe\n1,2,0\n', /outlier column/],
      ['1,1\n1,2\n', /Every x is the same/],
      ['x,y\n1,2\n', /at least two/],
      // Finite in float64, Infinity once stored as float32.
      ['x,y\n0,1\n1,1e39\n', /Row 3: y is too large/],
      ['x,y\n-1e39,1\n1,2\n', /Row 2: x is too large/],
    ];
    for (const [text, message] of cases) {
      const r = parseCsv(text);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(message);
    }
    expect(parseCsv('0,1\n'.repeat(600_000)).ok).toBe(false);
  });
});

describe('sliders', () => {
  it('map log scales and the infinite ends both ways', () => {
    const T = MODEL_SLIDERS.T!;
    expect(fromSlider(T, 1.2041199826559248)).toBeCloseTo(16, 10);
    expect(fromSlider(T, T.max)).toBe(Infinity);
    expect(toSlider(T, Infinity)).toBe(T.max);
    const alpha = MODEL_SLIDERS.alpha!;
    expect(fromSlider(alpha, alpha.min)).toBe(-Infinity);
    expect(fromSlider(alpha, -2)).toBe(-2);
  });
});
