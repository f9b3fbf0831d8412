import { useMemo } from 'react';
import { claimMetrics } from '../../core/classify/claimMetrics';
import type { ClassSnapshot } from '../../core/classify/evaluate';
import type { ClassModelSpec } from '../../core/classify/spec';
import type { Condition } from '../../core/lessons/judge';
import { conditionIds, judgeProgress, progressWords } from '../../core/lessons/progress';
import { ProgressLine } from '../components/LessonProgress';
import type { ClassLesson } from './lessons';

/**
 * A classification lesson's progress toward its claim: the conditions `npm run lessons:classify` checks, judged on
 * the page's snapshots with the same claimMetrics. These trainers have no warm-up.
 */
export function ClassProgress({
  lesson,
  snapshot,
  stepsPerSecond,
  models,
  name,
}: {
  lesson: ClassLesson;
  snapshot: ClassSnapshot | null;
  stepsPerSecond: number;
  models: readonly ClassModelSpec[];
  name: (spec: ClassModelSpec) => string;
}) {
  const progress = useMemo(() => {
    const seen = snapshot && snapshot.step > 0 ? snapshot : null;
    const conditions = lesson.claim.conditions as unknown as Condition[];
    const ids = new Set(conditions.flatMap(conditionIds));
    return judgeProgress({
      claim: { steps: lesson.claim.steps, conditions },
      step: snapshot?.step ?? 0,
      stepsPerSecond,
      warmupEnd: 0,
      judged: seen && {
        step: seen.step,
        warming: false,
        metrics: () =>
          Object.fromEntries(seen.models.filter((m) => ids.has(m.id)).map((m) => [m.id, claimMetrics(m.metrics)])),
      },
    });
  }, [lesson, snapshot, stepsPerSecond]);
  const words = useMemo(
    () =>
      progressWords(progress, (id) => {
        const spec = models.find((m) => m.id === id);
        return spec ? name(spec) : id;
      }),
    [progress, models, name],
  );
  return <ProgressLine statement={lesson.claim.statement} progress={progress} words={words} />;
}
