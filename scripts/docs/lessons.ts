// docs/lessons.md: each lesson's text (what to look at), its claim with its thresholds, both from the code
// (src/app/lessons.ts, posthocLessons.ts, classify/lessons.ts), and its measured rate from results/lessons.json.
import { CLASS_LESSONS, type ClassSegment } from '../../src/app/classify/lessons';
import { classHash } from '../../src/app/classify/link';
import { modelTitle } from '../../src/app/figures';
import { LESSONS, type Segment } from '../../src/app/lessons';
import { toHash } from '../../src/app/urlState';
import { displayName } from '../../src/core/classify/spec';
import type { ClassCondition } from '../../src/core/classify/claims';
import type { Condition } from '../../src/core/lessons/judge';
import { figure, metricWords } from '../../src/core/lessons/progress';
import { rateText } from '../../src/core/lessons/rates';
import { claimVersion } from '../../src/core/lessons/versions';
import { markdownTable } from '../report';
import { fromMeta, generatedNote, provenanceLine, type LessonsResult, type Results } from './results';

/** A lesson's verdict word from its held-out rate: lessons hold or fail, they do not reproduce. */
const LESSON_WORD: Record<string, string> = {
  holds: 'holds on a clear majority',
  fails: 'fails on a clear majority',
  mixed: 'undecided (the interval spans ½)',
  untested: 'no held-out seed',
};

/** The lesson's paragraphs; its in-page links (which change the setup) in italics. */
const prose = (text: (Segment | ClassSegment)[][]) =>
  text.map((p) => p.map((s) => (typeof s === 'string' ? s : `_${s.link}_`)).join('')).join('\n\n');

/** Ends a statement with one full stop. */
const sentence = (s: string) => `${s.replace(/\.$/, '')}.`;

/** A condition with its threshold, in the progress line's words; models by their display names. */
function conditionText(c: Condition | ClassCondition, name: (id: string) => string): string {
  const what = metricWords(c.metric);
  const factor = 'factor' in c && c.factor !== undefined && c.factor !== 1 ? `${c.factor} × ` : '';
  const only = c.onlySeed === undefined ? '' : ` (judged on seed ${c.onlySeed} only)`;
  switch (c.kind) {
    case 'bound': {
      const ends = [
        c.min === undefined ? '' : `≥ ${figure(c.metric, c.min)}`,
        c.max === undefined ? '' : `≤ ${figure(c.metric, c.max)}`,
      ].filter(Boolean);
      return `${what} of ${name(c.id)} ${ends.join(' and ')}${only}`;
    }
    case 'below':
      return `${what} of ${name(c.id)} ≤ ${factor}${name(c.than)}’s${only}`;
    case 'share':
      return `${c.id}: ${what} ≤ ${factor}the other’s in at least ${Math.ceil(c.min * c.pairs.length)} of ${c.pairs.length} cells${only}`;
    case 'median':
      return `${c.id}: median ${what} ≤ ${factor}the other grid’s median${only}`;
  }
}

function measured(id: string, L: LessonsResult | null): string {
  const s = L?.summary.find((x) => x.id === id);
  if (!L || !s)
    return `Measured: not in results/lessons.json (run \`npm run lessons -- --only ${id}\`, commit the file, then \`npm run docs\`).`;
  const now = claimVersion(id);
  const version =
    s.version === now
      ? `claim version ${s.version}`
      : `claim version ${s.version}; the code's claim is now version ${now}`;
  const rows = [
    ['seeds its thresholds were set on', rateText(s.used)],
    ['held-out seeds', rateText(s.heldOut)],
    ['verdict (held out)', LESSON_WORD[s.verdict] ?? s.verdict],
  ];
  const failed = L.lessons
    .find((l) => l.id === id)
    ?.runs.filter((r) => !r.holds)
    .map(
      (r) =>
        `- seed ${r.seed}${L.lessons.find((l) => l.id === id)?.setOnSeeds.includes(r.seed) ? ' (set on)' : ' (held out)'}: ${r.conditions
          .filter((c) => !c.holds)
          .map((c) => c.text)
          .join('; ')}`,
    );
  return [
    `Measured (${version}):`,
    markdownTable({ caption: '', header: ['seeds', 'rate'], rows }),
    ...(failed?.length ? ['Where it failed, the conditions that failed:', failed.join('\n')] : []),
  ].join('\n\n');
}

function regression(L: LessonsResult | null): string[] {
  return LESSONS.map((l) => {
    const name = (id: string) => {
      const spec = l.config.models.find((m) => m.id === id);
      return spec ? `${modelTitle(spec)} [${id}]` : id;
    };
    return [
      `### ${l.title}`,
      `\`${l.id}\` · ${l.citation} · link: \`${toHash({ config: l.config, lessonId: l.id })}\``,
      prose(l.text),
      `**Claim** (after ${l.claim.steps} steps): ${sentence(l.claim.statement)} Judged as: ${l.claim.conditions.map((c) => conditionText(c, name)).join('; ')}.`,
      measured(l.id, L),
    ].join('\n\n');
  });
}

function classification(): string[] {
  return CLASS_LESSONS.map((l) => {
    const name = (id: string) => {
      const spec = l.config.models.find((m) => m.id === id);
      return spec ? `${displayName(spec)} [${id}]` : id;
    };
    return [
      `### ${l.title}`,
      `\`${l.id}\` · ${l.citation} · link: \`${classHash(l.config, l.id)}\``,
      prose(l.text),
      `**Claim** (after ${l.claim.steps} steps): ${sentence(l.claim.statement)} Judged as: ${l.claim.conditions.map((c) => conditionText(c, name)).join('; ')}.`,
      'Measured: `npm run lessons:classify -- --seeds N` prints its figures; no result file is committed for it (not recorded).',
    ].join('\n\n');
  });
}

export function lessonsPage(results: Results): string {
  const L = results.lessons;
  const out = [
    generatedNote('the lessons in src/app/ and results/lessons.json'),
    '# Lessons',
    'Each lesson opens an exact setup with a short text; its links (in italics here) change the setup in place. Under the text the page shows a progress line toward the lesson’s **claim**: what the text promises you will see, as conditions on the metrics after a step budget. `npm run lessons` trains every lesson headless on several seeds (seed 0 is the lesson as written; the others move the data, initial weights and minibatch order) and judges each claim as a rate with Wilson’s 95 % interval, apart on the seeds its thresholds were set on and on held-out seeds, which never set anything. A link opens a lesson: append it to the page’s address.',
    L
      ? `${provenanceLine(fromMeta('results/lessons.json', L.meta))} Seeds ${L.seeds.join(', ')}.`
      : 'No results/lessons.json is committed: no rates below (not recorded).',
    '## Regression lessons',
    ...regression(L),
    '## Classification lessons',
    ...classification(),
  ];
  return `${out.join('\n\n')}\n`;
}
