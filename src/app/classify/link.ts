// The classification mode in the URL hash: #v=2&mode=classification&lesson=<id> or &cls=<base64url JSON>.
// A hash without `mode` is the regression explorer's (src/app/urlState.ts), so every older link opens as before.
import type { ClassRunConfig } from '../../core/classify/engine';
import { classJson, parseClassConfig } from '../../core/classify/schema';
import { LIMITS, linkSaysNothing, linkTooLong } from '../../core/messages';
import { CLASS_LESSONS, findClassLesson } from './lessons';

export type Mode = 'regression' | 'classification';

export function modeOf(hash: string): Mode {
  // An over-long link is refused by the regression parser (parseHash) before anything is read.
  if (hash.length > LIMITS.maxLinkChars) return 'regression';
  return new URLSearchParams(hash.replace(/^#/, '')).get('mode') === 'classification' ? 'classification' : 'regression';
}

const encode = (text: string) => {
  let bin = '';
  new TextEncoder().encode(text).forEach((b) => (bin += String.fromCharCode(b)));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const decode = (text: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));

export interface ClassUrlState {
  config: ClassRunConfig;
  lessonId: string | null;
  error: string | null;
}

export function classHash(config: ClassRunConfig, lessonId: string | null): string {
  const p = new URLSearchParams({ v: '2', mode: 'classification' });
  const lesson = lessonId ? findClassLesson(lessonId) : null;
  if (lesson && classJson(lesson.config) === classJson(config)) p.set('lesson', lesson.id);
  else p.set('cls', encode(classJson(config)));
  return `#${p.toString()}`;
}

export function parseClassHash(hash: string): ClassUrlState {
  const first = CLASS_LESSONS[0];
  const fallback = (error: string | null): ClassUrlState => ({ config: first.config, lessonId: first.id, error });
  if (hash.length > LIMITS.maxLinkChars)
    return fallback(`${linkTooLong(hash.length)}; the first classification lesson opened instead.`);
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const cls = p.get('cls');
  if (cls) {
    let raw: unknown;
    try {
      raw = JSON.parse(decode(cls));
    } catch {
      return fallback(
        'This link is damaged (its classification setup could not be read); the first classification lesson opened instead.',
      );
    }
    const r = parseClassConfig(raw);
    if ('error' in r)
      return fallback(
        `This link's classification setup is invalid (${r.error}); the first classification lesson opened instead.`,
      );
    return { config: r.config, lessonId: null, error: null };
  }
  const id = p.get('lesson');
  if (id) {
    const lesson = findClassLesson(id);
    return lesson
      ? { config: lesson.config, lessonId: id, error: null }
      : fallback(`There is no classification lesson "${id}"; the first one opened instead.`);
  }
  // `mode=classification` alone (the mode switch writes a lesson too) names nothing to open.
  return fallback(
    [...p.keys()].some((k) => k !== 'v' && k !== 'mode') || p.has('cls')
      ? `${linkSaysNothing()}; the first classification lesson opened instead.`
      : null,
  );
}
