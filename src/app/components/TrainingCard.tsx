import type { TrainSettings } from '../../core/config';
import { DEFAULT_ARCHITECTURE } from '../../core/model';
import { INIT_SCALES, INIT_SCALE_HELP, TRAIN_SLIDERS } from '../params';
import { Slider } from '../Slider';

const NETWORKS = ['linear', '16', '50', '128', '50x50', '64x64', '128x128'];

/** The shared training settings; `control` names the control so a slider drag is one undo step. */
export function TrainingCard({
  train,
  onChange,
}: {
  train: TrainSettings;
  onChange: (patch: Partial<TrainSettings>, control: string) => void;
}) {
  const arch = train.architecture;
  const scales = INIT_SCALES.includes(arch.initScale) ? INIT_SCALES : [...INIT_SCALES, arch.initScale];
  // A lesson's, link's or file's network that the list does not offer is shown as it is, not as the first entry.
  const network = arch.hidden.join('x') || 'linear';
  const networks = NETWORKS.includes(network) ? NETWORKS : [...NETWORKS, network];
  return (
    <section className="card">
      <h2>Training</h2>
      <label className="inline">
        optimizer{' '}
        <select
          value={train.optimizer}
          onChange={(e) => onChange({ optimizer: e.target.value as TrainSettings['optimizer'] }, 'optimizer')}
        >
          <option value="adam">Adam</option>
          <option value="sgd">SGD</option>
        </select>
      </label>
      <Slider
        def={TRAIN_SLIDERS.learningRate!}
        value={train.learningRate}
        onChange={(v) => onChange({ learningRate: v }, 'learningRate')}
      />
      <Slider
        def={TRAIN_SLIDERS.batchSize!}
        value={train.batchSize}
        onChange={(v) => onChange({ batchSize: Math.round(v) }, 'batchSize')}
      />
      <Slider
        def={TRAIN_SLIDERS.warmupMeanSteps!}
        value={train.warmupMeanSteps}
        onChange={(v) => onChange({ warmupMeanSteps: v }, 'warmupMeanSteps')}
      />
      <Slider
        def={TRAIN_SLIDERS.warmupNllSteps!}
        value={train.warmupNllSteps}
        onChange={(v) => onChange({ warmupNllSteps: v }, 'warmupNllSteps')}
      />
      <label className="inline">
        network{' '}
        <select
          value={network}
          onChange={(e) =>
            onChange(
              {
                architecture: {
                  ...arch,
                  hidden: e.target.value === 'linear' ? [] : e.target.value.split('x').map(Number),
                },
              },
              'architecture',
            )
          }
        >
          {networks.map((v) => (
            <option key={v} value={v}>
              {v === 'linear' ? 'linear (no hidden layer)' : v.replaceAll('x', ' × ')}
            </option>
          ))}
        </select>
      </label>
      <label className="inline">
        activation{' '}
        <select
          value={arch.activation}
          onChange={(e) =>
            onChange(
              { architecture: { ...arch, activation: e.target.value as TrainSettings['architecture']['activation'] } },
              'architecture',
            )
          }
        >
          {['relu', 'tanh', 'elu', 'sigmoid'].map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      </label>
      <label className="inline" title={INIT_SCALE_HELP}>
        first-layer init{' '}
        <select
          value={arch.initScale === undefined ? 'zero-bias' : String(arch.initScale)}
          onChange={(e) => {
            const { initScale: _old, ...rest } = arch;
            onChange(
              { architecture: e.target.value === 'zero-bias' ? rest : { ...rest, initScale: Number(e.target.value) } },
              'architecture',
            );
          }}
        >
          {scales.map((w) => (
            <option key={String(w)} value={w === undefined ? 'zero-bias' : String(w)}>
              {w === undefined
                ? 'He/Glorot, zero biases'
                : `spread kinks, ω = ${w}${w === DEFAULT_ARCHITECTURE.initScale ? ' (default)' : ''}`}
            </option>
          ))}
        </select>
      </label>
    </section>
  );
}
