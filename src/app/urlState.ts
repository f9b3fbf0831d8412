// The whole configuration in the URL hash, as a pure pair: parseHash(string) → state, toHash(state) → string.
// Links carry a version (v=2). A link without one is v1 (the format before versions) and is migrated, so
// every link ever shared opens unchanged. Unknown keys are ignored, as TensorFlow Playground does.
import type { RunConfig } from '../core/config';
import { LIMITS, linkSaysNothing, linkTooLong } from '../core/messages';
import { runConfigSchema, toJson } from '../core/schema';
import { findLesson, LESSONS } from './lessons';

/**
 * Controls a teacher's link can hide (as TensorFlow Playground's _hide links do). 'compact' hides everything but
 * the fit panels, the weights view and the lesson's text and progress: a layout for projecting in a classroom.
 * A page older than an entry ignores it, so links stay readable both ways.
 */
export const HIDEABLE = ['models', 'data', 'training', 'views', 'lessons', 'compact'] as const;

/** What each entry hides, as the teacher-link menu says it. */
export const HIDEABLE_LABEL: Record<Hideable, string> = {
  models: 'models',
  data: 'data',
  training: 'training',
  views: 'views',
  lessons: 'lessons',
  compact: 'compact view for projection (fit panels, weights, lesson text only)',
};
export type Hideable = (typeof HIDEABLE)[number];

/** The link format written today. */
export const LINK_VERSION = 2;

export interface UrlState {
  config: RunConfig;
  lessonId: string | null;
  hide: Hideable[];
  /** Why the link could not be used (then the default lesson opens), or null. */
  error: string | null;
  /** The same reason without what the page did about it (a link pasted into a running page changes nothing). */
  reason?: string;
}

/** A link's parameters in today's (v2) form: lesson, config (base64url JSON), hide. */
type LinkParams = Map<string, string>;

/**
 * Each step takes a link of version v to version v + 1. v1 → v2 only added `v` itself: the keys and their
 * meaning are the same (models without ids get m1, m2, … by position when the configuration is validated).
 */
const MIGRATIONS: Record<number, (p: LinkParams) => LinkParams> = {
  1: (p) => p,
};

/** The parameters of a hash, migrated to today's version. */
export function migrateLink(hash: string): { params: LinkParams; version: number } {
  const search = new URLSearchParams(hash.replace(/^#/, ''));
  const raw = Number(search.get('v') ?? '1');
  const version = Number.isInteger(raw) && raw >= 1 ? raw : 1;
  let params: LinkParams = new Map(search.entries());
  params.delete('v');
  for (let v = version; v < LINK_VERSION; v++) params = MIGRATIONS[v](params);
  return { params, version };
}

function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  bytes.forEach((b) => (bin += String.fromCharCode(b)));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlDecode(text: string): string {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

export function toHash(state: { config: RunConfig; lessonId?: string | null; hide?: Hideable[] }): string {
  const params = new URLSearchParams();
  params.set('v', String(LINK_VERSION));
  const lesson = state.lessonId ? findLesson(state.lessonId) : null;
  // A lesson left as it was is just its id; anything else carries the full configuration.
  if (lesson && toJson(lesson.config) === toJson(state.config)) params.set('lesson', lesson.id);
  else params.set('config', base64UrlEncode(toJson(state.config)));
  if (state.hide?.length) params.set('hide', state.hide.join(','));
  return `#${params.toString()}`;
}

export function parseHash(hash: string): UrlState {
  const fallback = (reason: string | null): UrlState => ({
    config: LESSONS[0].config,
    lessonId: LESSONS[0].id,
    hide: [],
    error: reason && `${reason}; the default lesson opened instead.`,
    ...(reason ? { reason } : {}),
  });
  // Checked before anything is parsed: a megabyte link costs nothing and says why it is refused.
  if (hash.length > LIMITS.maxLinkChars) return fallback(linkTooLong(hash.length));
  const { params, version } = migrateLink(hash);
  // A link from a newer page: read what this page knows (unknown keys are ignored) and say so if it fails.
  const newer = version > LINK_VERSION ? ` (the link is from a newer version, v${version})` : '';
  const hide = (params.get('hide') ?? '')
    .split(',')
    .filter((h): h is Hideable => (HIDEABLE as readonly string[]).includes(h));
  const lessonId = params.get('lesson');
  const encoded = params.get('config');
  if (encoded) {
    let raw: unknown;
    try {
      raw = JSON.parse(base64UrlDecode(encoded));
    } catch {
      return fallback(`This link is damaged (its configuration could not be read)${newer}`);
    }
    const parsed = runConfigSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return fallback(`This link's configuration is invalid (${issue.path.join('.')}: ${issue.message})${newer}`);
    }
    return {
      config: parsed.data,
      lessonId: lessonId && findLesson(lessonId) ? lessonId : null,
      hide,
      error: null,
    };
  }
  if (lessonId) {
    const lesson = findLesson(lessonId);
    if (!lesson) return fallback(`There is no lesson "${lessonId}"${newer}`);
    return { config: lesson.config, lessonId: lesson.id, hide, error: null };
  }
  // No hash at all is the plain address: the default lesson, silently. Anything else that names neither a
  // configuration nor a lesson (an empty config, a misspelt key, a classification link's keys) says so.
  const said = [...params.keys()].some((k) => k !== 'hide');
  return said || params.has('config')
    ? { ...fallback(`${linkSaysNothing()}${newer}`), hide }
    : { ...fallback(null), hide };
}
