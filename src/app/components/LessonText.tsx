// A lesson's citation and paragraphs, whose links apply actions: shared by the regression and classification
// lesson cards (each mode has its own kind of action).

/** A paragraph's piece: plain text, or a link that applies actions. */
export type LessonSegment<A> = string | { link: string; actions: A[] };

export function LessonText<A>({
  citation,
  text,
  onActions,
}: {
  citation: string;
  text: LessonSegment<A>[][];
  onActions: (actions: A[]) => void;
}) {
  return (
    <div className="lesson-text">
      <p className="cite">{citation}</p>
      {text.map((para, i) => (
        <p key={i}>
          {para.map((seg, j) =>
            typeof seg === 'string' ? (
              <span key={j}>{seg}</span>
            ) : (
              <a key={j} href="#" onClick={(e) => (e.preventDefault(), onActions(seg.actions))}>
                {seg.link}
              </a>
            ),
          )}
        </p>
      ))}
    </div>
  );
}
