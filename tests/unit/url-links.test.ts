// Links made before links carried a version (v1: no `v`): every one must open exactly as it did.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { migrateLink, parseHash, toHash } from '../../src/app/urlState';
import { LESSONS, findLesson } from '../../src/app/lessons';
import { ZERO_BIAS_ARCHITECTURE } from '../../src/core/model';

const links = JSON.parse(readFileSync(new URL('./fixtures/links-v1.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;

describe('links in the format of before v=2', () => {
  it('a lesson link opens that lesson', () => {
    const s = parseHash(links.lessonOnly);
    expect(s.error).toBeNull();
    expect(s.lessonId).toBe('nll-pitfall');
    expect(s.config).toEqual(findLesson('nll-pitfall')!.config);
    expect(s.hide).toEqual([]);
  });

  it('a lesson link with hidden controls keeps them', () => {
    const s = parseHash(links.lessonHidden);
    expect(s.lessonId).toBe('barron-line');
    expect(s.config).toEqual(findLesson('barron-line')!.config);
    expect(s.hide).toEqual(['views']);
  });

  it('an edited configuration with ids, T = ∞ and α = −∞ opens unchanged', () => {
    const s = parseHash(links.editedLessonHidden);
    // The link was made before the default first layer became ω = 3: it opens as it was made (zero biases).
    const lesson = LESSONS[0].config;
    const base = { ...lesson, train: { ...lesson.train, architecture: ZERO_BIAS_ARCHITECTURE } };
    expect(s.error).toBeNull();
    expect(s.config).toEqual({
      ...base,
      data: { ...base.data, outlierRate: 0.4, seed: 7 },
      models: base.models.map((m, k) => (k === 3 ? { ...m, T: Infinity, alpha: -Infinity } : m)),
    });
    expect(s.hide).toEqual(['data', 'training']);
  });

  it('a configuration from before model ids gets m1, m2, … by position', () => {
    const s = parseHash(links.configWithoutIds);
    expect(s.error).toBeNull();
    expect(s.config).toEqual(findLesson('barron-line')!.config);
    expect(s.config.models.map((m) => m.id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('no hash opens the first lesson', () => {
    const s = parseHash(links.empty);
    expect(s.error).toBeNull();
    expect(s.lessonId).toBe(LESSONS[0].id);
  });
});

describe('versioned links (v=2)', () => {
  it('today’s links carry v=2 and read back the same', () => {
    const config = findLesson('barron-line')!.config;
    const edited = { ...config, models: config.models.map((m, k) => (k === 1 ? { ...m, alpha: -Infinity } : m)) };
    const hash = toHash({ config: edited, lessonId: 'barron-line', hide: ['views'] });
    expect(hash.startsWith('#v=2&')).toBe(true);
    const back = parseHash(hash);
    expect(back.config).toEqual(edited);
    expect(back.hide).toEqual(['views']);
    expect(migrateLink(hash).version).toBe(2);
  });

  it('a v1 link migrates to the same parameters as its v2 form', () => {
    for (const link of Object.values(links)) {
      const v1 = parseHash(link);
      expect(parseHash(toHash(v1))).toEqual(v1);
    }
  });

  it('unknown keys are ignored, in both versions and from a newer page', () => {
    expect(parseHash('#lesson=nll-pitfall&zoom=3&_x=1')).toEqual(parseHash('#lesson=nll-pitfall'));
    expect(parseHash('#v=2&lesson=nll-pitfall&future=yes').lessonId).toBe('nll-pitfall');
    const newer = parseHash('#v=9&lesson=nope');
    expect(newer.error).toMatch(/newer version, v9/);
  });
});

describe('the teacher’s compact view', () => {
  it('travels in the link as a hidden entry and round-trips; a link without it opens the full page', () => {
    const lesson = findLesson('linear-outliers')!;
    const hash = toHash({
      config: lesson.config,
      lessonId: lesson.id,
      hide: ['models', 'data', 'training', 'compact'],
    });
    expect(hash).toBe('#v=2&lesson=linear-outliers&hide=models%2Cdata%2Ctraining%2Ccompact');
    expect(parseHash(hash).hide).toContain('compact');
    expect(parseHash('#v=2&lesson=linear-outliers&hide=views').hide).toEqual(['views']);
    // An entry this page does not know is ignored, as before.
    expect(parseHash('#v=2&lesson=linear-outliers&hide=compact,someday').hide).toEqual(['compact']);
  });
});
