import { useState } from 'react';
import { HIDEABLE, HIDEABLE_LABEL, type Hideable } from '../urlState';

interface Props {
  /** A teacher's compact view: Play/Pause and Reset alone. */
  compact?: boolean;
  playing: boolean;
  onTogglePlay: () => void;
  onStep: () => void;
  onResetAll: () => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  pngScale: number;
  onPngScale: (scale: number) => void;
  onExportPng: () => void;
  onExportJson: () => void;
  onImport: (file: File) => Promise<void>;
  /** null: this exact setup (with its own hidden controls); a list: a teacher's link hiding those. */
  onCopyLink: (hide: Hideable[] | null) => void;
}

export function Toolbar(p: Props) {
  return (
    <div className="toolbar">
      <button type="button" onClick={p.onTogglePlay} data-testid="play" aria-pressed={p.playing}>
        {p.playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={p.onStep} disabled={p.playing}>
        Step ×10
      </button>
      <button type="button" onClick={p.onResetAll}>
        Reset all
      </button>
      {!p.compact && <Rest {...p} />}
    </div>
  );
}

/** Everything but Play, Step and Reset: undo, exports, import and links. */
function Rest(p: Props) {
  const [teacherHide, setTeacherHide] = useState<Hideable[]>(['data', 'training', 'models']);
  return (
    <>
      <button
        type="button"
        onClick={p.onUndo}
        disabled={!p.canUndo}
        data-testid="undo"
        title="undo (Ctrl+Z, or the browser's Back)"
      >
        Undo
      </button>
      <button
        type="button"
        onClick={p.onRedo}
        disabled={!p.canRedo}
        data-testid="redo"
        title="redo (Ctrl+Shift+Z or Ctrl+Y, or the browser's Forward)"
      >
        Redo
      </button>
      <span className="sep" />
      <button type="button" onClick={p.onExportPng} data-testid="export-png">
        PNG of the grid
      </button>
      <select
        value={p.pngScale}
        onChange={(e) => p.onPngScale(Number(e.target.value))}
        aria-label="PNG scale"
        title="scale of PNG exports"
      >
        {[1, 2, 3, 4].map((v) => (
          <option key={v} value={v}>
            {v}×
          </option>
        ))}
      </select>
      <button type="button" onClick={p.onExportJson} data-testid="export-json">
        Export JSON
      </button>
      <label className="file-button">
        Import JSON or CSV
        <input
          type="file"
          accept=".json,.csv,application/json,text/csv"
          data-testid="import"
          onChange={(e) =>
            e.target.files?.[0] && void p.onImport(e.target.files[0]).finally(() => (e.target.value = ''))
          }
        />
      </label>
      <button type="button" onClick={() => p.onCopyLink(null)} data-testid="copy-link">
        Copy link
      </button>
      <details className="teacher">
        <summary>Teacher link</summary>
        <div className="teacher-menu">
          hide:
          {HIDEABLE.map((h) => (
            <label key={h}>
              <input
                type="checkbox"
                checked={teacherHide.includes(h)}
                onChange={(e) => setTeacherHide((t) => (e.target.checked ? [...t, h] : t.filter((x) => x !== h)))}
              />{' '}
              {HIDEABLE_LABEL[h]}
            </label>
          ))}
          <button type="button" onClick={() => p.onCopyLink(teacherHide)}>
            Copy
          </button>
        </div>
      </details>
    </>
  );
}
