// The classification mode's Models card: the embedding's dimension, each model's method, and the selected model's
// own settings (ALUM's parts, Robust-CE's T, SuperLoss's τ).
import type { ClassRunConfig } from '../../core/classify/engine';
import {
  CLASS_METHODS,
  classModel,
  displayName,
  METHOD_NAMES,
  type ClassMethod,
  type ClassModelSpec,
} from '../../core/classify/spec';
import { AlumControls } from './AlumControls';

interface Props {
  config: ClassRunConfig;
  /** The selected model's index (always a model's). */
  selected: number;
  onSelect: (k: number) => void;
  onModel: (k: number, patch: Partial<ClassModelSpec>) => void;
  /** A new configuration; `restart` rebuilds the run from scratch (a new embedding size). */
  onApply: (next: ClassRunConfig, restart: boolean) => void;
}

export function ModelsCard({ config, selected, onSelect, onModel, onApply }: Props) {
  const spec = config.models[selected];
  return (
    <section className="card">
      <h2>Models</h2>
      <label>
        embedding D{' '}
        <select
          data-testid="cls-embedding-dim"
          value={config.train.embedding}
          onChange={(e) => onApply({ ...config, train: { ...config.train, embedding: Number(e.target.value) } }, true)}
        >
          <option value={2}>2 (drawn exactly)</option>
          <option value={8}>8 (drawn as a projection)</option>
        </select>
      </label>
      {config.models.map((m, k) => (
        <div key={m.id} className={`model-row${k === selected ? ' selected' : ''}`} onClick={() => onSelect(k)}>
          <select
            value={m.method}
            aria-label={`method of model ${k + 1}`}
            onChange={(e) => onModel(k, { method: e.target.value as ClassMethod, label: '' })}
          >
            {CLASS_METHODS.map((x) => (
              <option key={x} value={x}>
                {METHOD_NAMES[x]}
              </option>
            ))}
          </select>{' '}
          {m.label}
        </div>
      ))}
      {config.models.length < 8 && (
        <button
          onClick={() =>
            onApply({ ...config, models: [...config.models, classModel('alum', {}, `m${Date.now() % 100000}`)] }, false)
          }
        >
          + add ALUM
        </button>
      )}
      {spec && (
        <div className="sliders" data-testid="cls-sliders">
          <h3>{displayName(spec)}</h3>
          {spec.method === 'alum' && <AlumControls spec={spec} onChange={(patch) => onModel(selected, patch)} />}
          {spec.method === 'robust-ce' && (
            <label>
              T {Number.isFinite(spec.T) ? spec.T.toPrecision(2) : '∞'}{' '}
              <input
                data-testid="cls-T"
                type="range"
                min={-1}
                max={3.1}
                step={0.1}
                value={Number.isFinite(spec.T) ? Math.log10(spec.T) : 3.1}
                onChange={(e) =>
                  onModel(selected, {
                    T: Number(e.target.value) > 3 ? Infinity : Number((10 ** Number(e.target.value)).toPrecision(2)),
                  })
                }
              />
            </label>
          )}
          {spec.method === 'superloss-ce' && (
            <label>
              τ{' '}
              <select
                value={spec.tauMode}
                onChange={(e) => onModel(selected, { tauMode: e.target.value as ClassModelSpec['tauMode'] })}
              >
                <option value="logC">log C</option>
                <option value="ema">EMA of the batch CE</option>
              </select>
            </label>
          )}
        </div>
      )}
    </section>
  );
}
