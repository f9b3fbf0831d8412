import { useEffect, useId, useState } from 'react';
import { formatValue, fromSlider, toSlider, type SliderDef } from './params';

/** KaTeX is loaded on the first tooltip a user opens, not with the page. */
function Formula({ tex }: { tex: string }) {
  const [html, setHtml] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(([k]) => {
      if (live) setHtml(k.default.renderToString(tex, { throwOnError: false, displayMode: false }));
    });
    return () => {
      live = false;
    };
  }, [tex]);
  return html ? <span dangerouslySetInnerHTML={{ __html: html }} /> : <code>{tex}</code>;
}

interface Props {
  def: SliderDef;
  value: number;
  onChange: (value: number) => void;
  testId?: string;
}

/** A labelled, keyboard-operable slider showing its value, with a formula tooltip on hover or focus. */
export function Slider({ def, value, onChange, testId }: Props) {
  const id = useId();
  const [tip, setTip] = useState(false);
  return (
    <div className="slider" onMouseEnter={() => setTip(true)} onMouseLeave={() => setTip(false)}>
      <label htmlFor={id}>
        {def.label} <output>{formatValue(def, value)}</output>
      </label>
      <input
        id={id}
        type="range"
        min={def.min}
        max={def.max}
        step={def.step}
        value={toSlider(def, value)}
        data-testid={testId}
        aria-valuetext={formatValue(def, value)}
        onFocus={() => setTip(true)}
        onBlur={() => setTip(false)}
        onChange={(e) => onChange(fromSlider(def, Number(e.target.value)))}
      />
      {tip && (
        <div className="tip" role="tooltip">
          <Formula tex={def.tex} />
          <div>{def.help}</div>
        </div>
      )}
    </div>
  );
}
