// The page's two modes: regression (the explorer as it was) and classification (src/app/classify/). The mode is
// in the link (`mode=classification`); a link without it is a regression link, as every older link is.
import { App } from '../App';
import { ClassifyApp } from './ClassifyApp';
import { CLASS_LESSONS } from './lessons';
import { classHash, modeOf, type Mode } from './link';

export function switchMode(mode: Mode): void {
  location.hash = mode === 'classification' ? classHash(CLASS_LESSONS[0].config, CLASS_LESSONS[0].id) : '';
  location.reload();
}

export function Root() {
  const mode = modeOf(location.hash);
  return (
    <>
      <nav className="mode-switch" aria-label="mode">
        {(['regression', 'classification'] as const).map((m) => (
          <button
            key={m}
            type="button"
            data-testid={`mode-${m}`}
            aria-pressed={mode === m}
            disabled={mode === m}
            onClick={() => switchMode(m)}
          >
            {m}
          </button>
        ))}
      </nav>
      {mode === 'classification' ? <ClassifyApp /> : <App />}
    </>
  );
}
