import { useMemo, useRef } from 'react';
import type { RunConfig } from '../../core/config';
import type { Snapshot } from '../../core/engine';
import { claimProgress, progressWords, steps as stepWords, type ClaimProgress } from '../../core/lessons/progress';
import { modelTitle } from '../figures';
import type { Lesson } from '../lessons';

export interface ProgressProps {
  lesson: Lesson;
  /** The run the claim is judged on: the page's models, or for a sweep lesson the sweep's cells. */
  config: RunConfig;
  /** What differs from the lesson's setup, in words (setupChanges); empty for the lesson as written. */
  changes: string[];
  step: number;
  stepsPerSecond: number;
  /** The snapshot the verdict is judged on (the slower views' one: judging costs a pass over every point). */
  judged: Snapshot | null;
  xs: ArrayLike<number>;
  ys?: ArrayLike<number>;
  onReopen: () => void;
}

/** A model's name in the line: its title, with its place when another model has the same title. */
function namer(config: RunConfig): (id: string) => string {
  const titles = config.models.map((m) => modelTitle(m));
  return (id) => {
    const k = config.models.findIndex((m) => m.id === id);
    if (k < 0) return id;
    return titles.filter((t) => t === titles[k]).length > 1 ? `${titles[k]} (model ${k + 1})` : titles[k];
  };
}

/**
 * Under the lesson's text: the step its claim shows by, how far the run is and how long that takes at this
 * speed, and whether the claim holds now (the conditions `npm run lessons` checks). Once the setup differs from
 * the lesson's, it says so instead: the claim was made for the lesson's setup.
 */
export function LessonProgress({
  lesson,
  config,
  changes,
  step,
  stepsPerSecond,
  judged,
  xs,
  ys,
  onReopen,
}: ProgressProps) {
  const progress = useMemo(
    () => claimProgress({ claim: lesson.claim, config, step, stepsPerSecond, judged, xs, ys }),
    [lesson.claim, config, step, stepsPerSecond, judged, xs, ys],
  );
  // The verdict at the first judged step at or past the claim's: a later reading may differ (training goes on).
  const atTarget = useRef<{ lesson: string; step: number; holds: boolean } | null>(null);
  const t = atTarget.current;
  if (t && (t.lesson !== lesson.id || (progress.judgedStep ?? 0) < t.step)) atTarget.current = null;
  if (
    !atTarget.current &&
    progress.judgedStep !== null &&
    progress.judgedStep >= progress.target &&
    progress.verdict !== 'warm-up'
  )
    atTarget.current = { lesson: lesson.id, step: progress.judgedStep, holds: progress.verdict === 'shown' };
  const words = useMemo(() => progressWords(progress, namer(config), atTarget.current), [progress, config]);
  if (changes.length) {
    return (
      <div className="lesson-progress changed" data-testid="lesson-progress" data-verdict="changed">
        <p>
          <b>You changed the lesson’s setup; its claim may not hold.</b>{' '}
          <a href="#" onClick={(e) => (e.preventDefault(), onReopen())} data-testid="reopen-lesson">
            Reopen the lesson
          </a>
        </p>
        {/* A changed sweep can differ in every cell: the first few changes say enough. */}
        <p className="note">
          {changes.length > 4
            ? `${changes.slice(0, 4).join(' · ')} · and ${changes.length - 4} more`
            : changes.join(' · ')}
        </p>
      </div>
    );
  }
  return <ProgressLine statement={lesson.claim.statement} progress={progress} words={words} />;
}

/** The line itself: the claim, where it shows, a bar (the warm-up hatched), the verdict and each condition. */
export function ProgressLine({
  statement,
  progress,
  words,
}: {
  statement: string;
  progress: ClaimProgress;
  words: { line: string; verdict: string; details: string[] };
}) {
  const step = progress.step;
  const warm = progress.warmupEnd > 0 ? Math.min(1, progress.warmupEnd / progress.target) : 0;
  return (
    <div className="lesson-progress" data-testid="lesson-progress" data-verdict={progress.verdict}>
      <p className="claim">
        <b>The claim:</b> {statement}
      </p>
      <p data-testid="progress-line">{words.line}</p>
      <div
        className="progress-bar"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={progress.target}
        aria-valuenow={Math.min(step, progress.target)}
        title={`step ${stepWords(step)} of ${stepWords(progress.target)}`}
      >
        {warm > 0 && (
          <span
            className="progress-warm"
            style={{ width: `${100 * warm}%` }}
            title={`warm-up: steps 0–${stepWords(progress.warmupEnd)}`}
          />
        )}
        <span className="progress-done" style={{ width: `${100 * progress.fraction}%` }} />
      </div>
      <p className={`verdict verdict-${progress.verdict}`} data-testid="progress-verdict">
        {words.verdict}
      </p>
      {words.details.length > 0 && (
        <ul className="verdict-details">
          {words.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
