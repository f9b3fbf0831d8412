// Links made before links carried a version (v1: no `v`): every one must open exactly as it did.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseHash } from '../../src/app/urlState';
import { LESSONS, findLesson } from '../../src/app/lessons';

const links = JSON.parse(readFileSync(new URL('./fixtures/links-v1.json', import.meta.url), 'utf8')) as Record<string, string>;

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
    const base = LESSONS[0].config;
    expect(s.error).toBeNull();
    expect(s.config).toEqual({ ...base, data: { ...base.data, outlierRate: 0.4, seed: 7 }, models: base.models.map((m, k) => (k === 3 ? { ...m, T: Infinity, alpha: -Infinity } : m)) });
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
