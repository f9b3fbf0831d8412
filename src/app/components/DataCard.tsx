import { DATASET_IDS, DATASETS, OUTLIER_KINDS, type DataSpec } from '../../core/datasets';
import { DATA_SLIDERS, seedFromField } from '../params';
import { isRealDatasetId, REAL_DATASET_IDS, REAL_DATASETS, type RealDatasetId } from '../../core/realData';
import { Slider } from '../Slider';

interface Props {
  data: DataSpec;
  /** How many points of the user's own are shown, or null (generated data). */
  ownPoints: number | null;
  keepWeights: boolean;
  onKeepWeights: (keep: boolean) => void;
  /** A change of the data spec; `control` names it so a slider drag is one undo step. */
  onChange: (patch: Partial<DataSpec>, control: string) => void;
  /** Your own data without a truth: the held-out share judging σ (TrainSettings.heldOut), and its change. */
  heldOut?: { share: number; seed: number } | null;
  onHeldOut?: (share: number, seed: number) => void;
  /** Opens a real data set (vega-datasets) as your own data. */
  onOpenReal?: (id: RealDatasetId) => void;
}

const SHARES = [0, 0.1, 0.2, 0.3, 0.5];

export function DataCard({
  data,
  ownPoints,
  keepWeights,
  onKeepWeights,
  onChange,
  heldOut,
  onHeldOut,
  onOpenReal,
}: Props) {
  const held = heldOut ?? { share: 0, seed: 1 };
  return (
    <section className="card">
      <h2>Data</h2>
      <select
        value={data.dataset}
        data-testid="dataset"
        onChange={(e) =>
          isRealDatasetId(e.target.value.slice(5)) && e.target.value.startsWith('real:')
            ? onOpenReal?.(e.target.value.slice(5) as RealDatasetId)
            : onChange(
                {
                  dataset: e.target.value as DataSpec['dataset'],
                  n: DATASETS[e.target.value as DataSpec['dataset']].defaultN,
                },
                'dataset',
              )
        }
        aria-label="dataset"
      >
        {DATASET_IDS.map((d) => (
          <option key={d} value={d}>
            {DATASETS[d].label}
          </option>
        ))}
        {onOpenReal && (
          <optgroup label="real data (vega-datasets; no truth)">
            {REAL_DATASET_IDS.map((id) => (
              <option key={id} value={`real:${id}`}>
                {REAL_DATASETS[id].label}
              </option>
            ))}
          </optgroup>
        )}
      </select>
      {ownPoints !== null && (
        <p className="note">
          Showing your own data ({ownPoints} points); change any data setting to go back to generated data (Undo brings
          yours back).
        </p>
      )}
      {ownPoints !== null && heldOut !== undefined && onHeldOut && (
        <label
          className="inline"
          title="A share of your points, chosen by the seed, is never trained on: the calibration view judges the predicted σ on it (violet dots)."
        >
          held out{' '}
          <select
            data-testid="held-out-share"
            value={String(held.share)}
            onChange={(e) => onHeldOut(Number(e.target.value), held.seed)}
          >
            {(SHARES.includes(held.share) ? SHARES : [...SHARES, held.share]).map((v) => (
              <option key={v} value={String(v)}>
                {v === 0 ? 'none' : `${Math.round(v * 100)} %`}
              </option>
            ))}
          </select>{' '}
          seed{' '}
          <input
            type="number"
            data-testid="held-out-seed"
            value={held.seed}
            style={{ width: 56 }}
            // The one seed rule (a safe integer) links and files share: 1e20 would make a link that refuses to open.
            onChange={(e) => {
              const seed = seedFromField(e.target.value);
              if (seed !== null) onHeldOut(held.share, seed);
            }}
          />
        </label>
      )}
      <Slider
        def={DATA_SLIDERS.outlierRate!}
        value={data.outlierRate}
        onChange={(v) => onChange({ outlierRate: v }, 'outlierRate')}
        testId="outlier-rate"
      />
      <label className="inline">
        outlier kind{' '}
        <select
          value={data.outlierKind}
          onChange={(e) => onChange({ outlierKind: e.target.value as DataSpec['outlierKind'] }, 'outlierKind')}
        >
          {OUTLIER_KINDS.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </label>
      <Slider
        def={DATA_SLIDERS.outlierScale!}
        value={data.outlierScale}
        onChange={(v) => onChange({ outlierScale: v }, 'outlierScale')}
      />
      <Slider def={DATA_SLIDERS.noise!} value={data.noise} onChange={(v) => onChange({ noise: v }, 'noise')} />
      <Slider def={DATA_SLIDERS.n!} value={data.n} onChange={(v) => onChange({ n: Math.round(v) }, 'n')} />
      <label className="inline">
        seed{' '}
        <input
          type="number"
          value={data.seed}
          // An empty field is an edit in progress, not seed 0.
          onChange={(e) => {
            const seed = seedFromField(e.target.value);
            if (seed !== null) onChange({ seed }, 'seed');
          }}
          style={{ width: 70 }}
        />
      </label>
      <label className="inline">
        <input type="checkbox" checked={keepWeights} onChange={(e) => onKeepWeights(e.target.checked)} /> keep weights
        when data changes
      </label>
    </section>
  );
}
