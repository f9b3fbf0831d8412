// The classification mode's link and JSON file: round trips, T = ∞, and refusals that name the field.
import { describe, expect, it } from 'vitest';
import { classExportJson, parseClassFile } from '../../src/core/classify/schema';
import { CLASS_LESSONS } from '../../src/app/classify/lessons';
import { classHash, modeOf, parseClassHash } from '../../src/app/classify/link';

describe('classification links and files', () => {
  it('a lesson as it is travels as its id; a changed setup (T = ∞ included) as the whole configuration', () => {
    for (const l of CLASS_LESSONS)
      expect(parseClassHash(classHash(l.config, l.id))).toEqual({ config: l.config, lessonId: l.id, error: null });
    const lesson = CLASS_LESSONS[2];
    const changed = {
      ...lesson.config,
      models: lesson.config.models.map((m, k) => (k === 1 ? { ...m, T: Infinity } : m)),
    };
    const hash = classHash(changed, lesson.id);
    expect(hash).toContain('cls=');
    expect(parseClassHash(hash).config).toEqual(changed);
    expect(modeOf(hash)).toBe('classification');
    // Old links (no mode) are the regression explorer's.
    expect(modeOf('#v=2&lesson=nll-vs-outliers')).toBe('regression');
  });

  it('refuses a tampered link or file with the field named, and the export re-opens its setup', () => {
    const bad = classHash(
      { ...CLASS_LESSONS[0].config, data: { ...CLASS_LESSONS[0].config.data, flipRate: 0.9 } },
      null,
    );
    expect(parseClassHash(bad).error).toMatch(/data\.flipRate/);
    expect(parseClassHash('#mode=classification&cls=@@@').error).toMatch(/damaged/);
    expect(parseClassHash('#mode=classification&lesson=nope').error).toMatch(/no classification lesson "nope"/);
    const cfg = CLASS_LESSONS[1].config;
    expect(parseClassFile(classExportJson(cfg, null, []))).toEqual({ config: cfg });
    expect(parseClassFile('{')).toEqual({ error: 'the file is not JSON' });
    const twice = { ...cfg, models: [cfg.models[0], cfg.models[0]] };
    expect((parseClassFile(JSON.stringify(twice)) as { error: string }).error).toMatch(/appears twice/);
  });
});
