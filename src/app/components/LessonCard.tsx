import { findLesson, LESSONS, type LessonAction } from '../lessons';
import { CLASS_LESSONS } from '../classify/lessons';
import { classHash } from '../classify/link';
import { LessonText } from './LessonText';

/** The lesson picker, the lesson's text and its in-line links. */
export function LessonCard({ lessonId, onOpen, onActions }: { lessonId: string | null; onOpen(id: string): void; onActions(actions: LessonAction[]): void }) {
  const lesson = lessonId ? findLesson(lessonId) : null;
  return (
    <section className="card">
      <h2>Lessons</h2>
      <select
        value={lessonId ?? ''}
        onChange={(e) => {
          // A classification lesson opens the classification mode (src/app/classify/).
          const cls = CLASS_LESSONS.find((l) => l.id === e.target.value);
          if (cls) return (location.hash = classHash(cls.config, cls.id)), location.reload();
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
      {lesson && (
        <LessonText citation={lesson.citation} text={lesson.text} onActions={onActions} />
      )}
    </section>
  );
}
