import { useMemo } from 'react';
import type { RunConfig } from '../../core/config';
import { setupChanges } from '../../core/lessons/setup';
import { findLesson, LESSONS, type LessonAction } from '../lessons';
import { CLASS_LESSONS } from '../classify/lessons';
import { classHash } from '../classify/link';
import { LessonText } from './LessonText';
import { LessonProgress, type ProgressProps } from './LessonProgress';

/** What the progress line reads, less what the card works out: the lesson and the changes to its setup. */
export type LessonRun = Omit<ProgressProps, 'lesson' | 'onReopen' | 'changes'> & {
  lessonConfig: RunConfig;
  ownData: boolean;
};

/** The lesson picker, the lesson's text and its in-line links, and the progress line toward its claim. */
export function LessonCard({
  lessonId,
  onOpen,
  onActions,
  run,
  compact = false,
}: {
  lessonId: string | null;
  onOpen: (id: string) => void;
  onActions: (actions: LessonAction[]) => void;
  run: ((id: string) => LessonRun) | null;
  compact?: boolean;
}) {
  const lesson = lessonId ? findLesson(lessonId) : null;
  const progress = lesson && run ? run(lesson.id) : null;
  const { config, lessonConfig, ownData } = progress ?? {};
  const changes = useMemo(
    () => (config && lessonConfig ? setupChanges(lessonConfig, config, ownData) : []),
    [config, lessonConfig, ownData],
  );
  // Once the setup differs, the text describes the lesson as it opened, not what trains now.
  const changed = changes.length > 0;
  return (
    <section className="card lesson-card">
      <h2>Lessons</h2>
      {!compact && (
        <select
          value={lessonId ?? ''}
          onChange={(e) => {
            // A classification lesson opens the classification mode (src/app/classify/).
            const cls = CLASS_LESSONS.find((l) => l.id === e.target.value);
            if (cls) return ((location.hash = classHash(cls.config, cls.id)), location.reload());
            onOpen(e.target.value);
          }}
          data-testid="lesson"
          aria-label="lesson"
        >
          {lessonId === null && <option value="">(your own setup)</option>}
          {LESSONS.map((l) => (
            <option key={l.id} value={l.id}>
              {l.title}
            </option>
          ))}
          <optgroup label="Classification (opens that mode)">
            {CLASS_LESSONS.map((l) => (
              <option key={l.id} value={l.id}>
                {l.title}
              </option>
            ))}
          </optgroup>
        </select>
      )}
      {compact && lesson && <h3 className="lesson-title">{lesson.title}</h3>}
      {lesson && (
        <div className={changed ? 'lesson-as-written' : undefined}>
          {changed && <p className="note">The text describes the lesson as it opened, not the setup training now:</p>}
          <LessonText citation={lesson.citation} text={lesson.text} onActions={onActions} />
        </div>
      )}
      {lesson && progress && (
        <LessonProgress lesson={lesson} {...progress} changes={changes} onReopen={() => onOpen(lesson.id)} />
      )}
    </section>
  );
}
