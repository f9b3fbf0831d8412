import type { ModelSpec } from '../../core/config';
import { LOSS_IDS, lossHypers, lossLabel, TAU_MODES, type TauMode } from '../../core/losses';
import { LIMITS } from '../../core/messages';
import { MODEL_SLIDERS } from '../params';
import { Slider } from '../Slider';

type Patch = Partial<Omit<ModelSpec, 'id'>>;

interface Props {
  spec: ModelSpec;
  index: number;
  selected: boolean;
  canDuplicate: boolean;
  canRemove: boolean;
  /** The most members this model may have without passing the cap on networks in all. */
  maxEnsemble: number;
  onSelect: () => void;
  /** A change of one control; `control` names it so a slider drag is one undo step. */
  onChange: (patch: Patch, control: string) => void;
  onDuplicate: () => void;
  onReset: () => void;
  onRemove: () => void;
}

/** Room for a loss's name (about 7 px a character and the arrow): a long one moves the buttons below it. */
const nameWidth = (label: string) => `${Math.min(270, 36 + 7 * label.length)}px`;

/** One model: its loss, duplicate / reset / remove, and the sliders of its loss's hyperparameters. */
export function ModelCard({
  spec: m,
  index: k,
  selected,
  canDuplicate,
  canRemove,
  maxEnsemble,
  onSelect,
  onChange,
  onDuplicate,
  onReset,
  onRemove,
}: Props) {
  return (
    <div className={`model ${selected ? 'model-selected' : ''}`} onClick={onSelect} data-model-id={m.id}>
      <div className="model-head">
        <b>{k + 1}</b>
        <select
          value={m.loss}
          onChange={(e) => onChange({ loss: e.target.value }, 'loss')}
          aria-label={`loss of model ${k + 1}`}
          title={lossLabel(m.loss)}
          style={{ flexBasis: nameWidth(lossLabel(m.loss)) }}
          data-testid={`loss-${k}`}
        >
          {LOSS_IDS.map((id) => (
            <option key={id} value={id}>
              {lossLabel(id)}
            </option>
          ))}
        </select>
        {/* The buttons wrap together, below the loss, when its name needs the row. */}
        <span className="model-buttons">
          <button
            type="button"
            title="duplicate this model (the copy starts from its weights)"
            aria-label="duplicate"
            disabled={!canDuplicate}
            onClick={onDuplicate}
          >
            dup
          </button>
          <button type="button" title="reset this model" data-testid={`reset-${m.id}`} onClick={onReset}>
            ↺
          </button>
          <button type="button" title="remove" disabled={!canRemove} onClick={onRemove}>
            ×
          </button>
        </span>
      </div>
      <label
        className="inline"
        title="A deep ensemble (Lakshminarayanan et al. 2017): this many copies of the model from different initial weights, trained side by side; the panel shows their mixture, with the members' disagreement (epistemic) as a second band."
      >
        ensemble of{' '}
        <select
          value={m.ensemble ?? 1}
          onChange={(e) =>
            onChange({ ensemble: Number(e.target.value) === 1 ? undefined : Number(e.target.value) }, 'ensemble')
          }
          data-testid={`ensemble-${k}`}
        >
          {Array.from({ length: LIMITS.maxEnsemble }, (_, i) => i + 1).map((n) => (
            <option key={n} value={n} disabled={n > maxEnsemble && n !== (m.ensemble ?? 1)}>
              {n === 1 ? '1 (one network)' : n}
            </option>
          ))}
        </select>
      </label>
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
          <Slider
            key={h}
            def={MODEL_SLIDERS[h]}
            value={m[h]}
            onChange={(v) => onChange({ [h]: v }, h)}
            testId={`${h}-${k}`}
          />
        ) : null,
      )}
    </div>
  );
}
