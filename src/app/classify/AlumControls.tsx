// ALUM's live hyperparameters and switches: λ, both p's, the compensation, Table 6's parts, and the readings
// where the paper is ambiguous (each labelled with what the paper prints).
import type { ClassModelSpec } from '../../core/classify/spec';

const SWITCHES: [
  keyof ClassModelSpec & ('positives' | 'negatives' | 'triplet' | 'literal' | 'weightedCe' | 'tripletMean'),
  string,
][] = [
  ['positives', 'AP (mined positive)'],
  ['negatives', 'AN (mined negative)'],
  ['triplet', 'triplet loss'],
  ['literal', 'literal eq. 10 (argmin for both)'],
  ['weightedCe', "eq. 13's CEs weighted by w (printed: plain sum)"],
  ['tripletMean', 'L_T as a mean (printed: sum)'],
];

export function AlumControls({
  spec,
  onChange,
}: {
  spec: ClassModelSpec;
  onChange: (patch: Partial<ClassModelSpec>) => void;
}) {
  return (
    <>
      <label>
        λ {spec.lambda}{' '}
        <input
          data-testid="cls-lambda"
          type="range"
          min={-4}
          max={0}
          step={0.1}
          value={Math.log10(Math.max(spec.lambda, 1e-4))}
          onChange={(e) => onChange({ lambda: Number((10 ** Number(e.target.value)).toPrecision(2)) })}
        />
      </label>
      <label>
        p (mined anchors) {spec.hardFraction}{' '}
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={spec.hardFraction}
          onChange={(e) => onChange({ hardFraction: Number(e.target.value) })}
        />
      </label>
      <label>
        p (compensation) {spec.compP}{' '}
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={spec.compP}
          onChange={(e) => onChange({ compP: Number(e.target.value) })}
        />
      </label>
      <label>
        compensation{' '}
        <select
          value={spec.compensation}
          onChange={(e) => onChange({ compensation: e.target.value as ClassModelSpec['compensation'] })}
        >
          <option value="off">off</option>
          <option value="faithful">faithful (eq. 7 limit)</option>
          <option value="grouped">grouped (adaptation)</option>
        </select>
      </label>
      <label>
        eq. 11 weights by{' '}
        <select value={spec.mixBy} onChange={(e) => onChange({ mixBy: e.target.value as ClassModelSpec['mixBy'] })}>
          <option value="std">σ (standard deviation)</option>
          <option value="variance">σ² (variance)</option>
        </select>
      </label>
      {SWITCHES.map(([f, label]) => (
        <label key={f}>
          <input type="checkbox" checked={spec[f]} onChange={(e) => onChange({ [f]: e.target.checked })} /> {label}
        </label>
      ))}
    </>
  );
}
