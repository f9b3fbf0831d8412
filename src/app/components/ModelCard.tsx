import type { ModelSpec } from '../../core/config';
import { LOSS_IDS, lossHypers, lossLabel, TAU_MODES, type TauMode } from '../../core/losses';
import { MODEL_SLIDERS } from '../params';
import { Slider } from '../Slider';

type Patch = Partial<Omit<ModelSpec, 'id'>>;

interface Props {
  spec: ModelSpec;
  index: number;
  selected: boolean;
  canDuplicate: boolean;
  canRemove: boolean;
  onSelect(): void;
  /** A change of one control; `control` names it so a slider drag is one undo step. */
  onChange(patch: Patch, control: string): void;
  onDuplicate(): void;
  onReset(): void;
  onRemove(): void;
}

/** One model: its loss, duplicate / reset / remove, and the sliders of its loss's hyperparameters. */
export function ModelCard({ spec: m, index: k, selected, canDuplicate, canRemove, onSelect, onChange, onDuplicate, onReset, onRemove }: Props) {
  return (
    <div className={`model ${selected ? 'model-selected' : ''}`} onClick={onSelect} data-model-id={m.id}>
      <div className="model-head">
        <b>{k + 1}</b>
        <select value={m.loss} onChange={(e) => onChange({ loss: e.target.value }, 'loss')} aria-label={`loss of model ${k + 1}`} data-testid={`loss-${k}`}>
          {LOSS_IDS.map((id) => (
            <option key={id} value={id}>
              {lossLabel(id)}
            </option>
          ))}
        </select>
        <button type="button" title="duplicate this model (the copy starts from its weights)" aria-label="duplicate" disabled={!canDuplicate} onClick={onDuplicate}>
          dup
        </button>
        <button type="button" title="reset this model" data-testid={`reset-${m.id}`} onClick={onReset}>
          ↺
        </button>
        <button type="button" title="remove" disabled={!canRemove} onClick={onRemove}>
          ×
        </button>
      </div>
      {lossHypers(m.loss).map((h) =>
        h === 'tauMode' ? (
          <label key={h} className="inline">
            τ mode{' '}
            <select value={m.tauMode} onChange={(e) => onChange({ tauMode: e.target.value as TauMode }, h)}>
              {TAU_MODES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
        ) : MODEL_SLIDERS[h] && (h !== 'tau' || m.tauMode === 'fixed') ? (
          <Slider key={h} def={MODEL_SLIDERS[h]!} value={m[h] as number} onChange={(v) => onChange({ [h]: v }, h)} testId={`${h}-${k}`} />
        ) : null,
      )}
    </div>
  );
}
