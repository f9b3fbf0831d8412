// β-NLL Fig. 1's setting as the authors ran it, and the same setting with one thing changed at a time.
// From the authors' code (github.com/martius-lab/beta-nll): train.sh "Sine" runs src.train with batch 100,
// Adam lr 5e-4 (β₁ 0.9, β₂ 0.999), tanh 128 × 128, no --standardize-inputs and no --weight-init, whose default
// is xavier_uniform; models/__init__.py passes bias_init = zeros and MLP.init applies both to every Linear,
// the Gaussian head's mean and variance layers included; the head starts σ² at 1 (softplus offset). The data
// (toy_data.py dataset 11): x = linspace(0, 12, 1000), y = 0.4 sin 2πx + ε, ε ~ N(0, 0.01²). Fig. 1 shows
// 10⁷ updates (n_epochs 10⁶ × 10 batches); MSE reaches its optimum "in 10⁵ updates".
// This project's reproduction differed in the input (standardised, x drawn uniformly) and nothing else that
// matters: its tanh init is Glorot uniform with zero biases, the same as xavier_uniform with zeros.
import { DEFAULT_TRAIN, modelSpec, withIds, type ModelSpec, type TrainSettings } from '../config';
import { defaultDataSpec, linspace, makePoints, type DataSpec, type Points } from '../datasets';
import type { Architecture } from '../model';
import { normal, STREAM } from '../rng';

export const BETA_SETUPS = {
  paper: 'the authors’ setting: x = linspace(0, 12) fed raw, xavier_uniform weights, zero biases',
  standardised: 'the authors’ setting with x standardised (mean 0, std 1) before the network',
  uniformX: 'the authors’ setting with x drawn uniformly on [0, 12] instead of the grid',
  pytorchInit: 'the authors’ setting with torch.nn.Linear’s default init (weights and biases U(±1/√fan_in))',
  project: 'this project’s reproduction before: x uniform and standardised, Glorot weights, zero biases',
} as const;
export type BetaSetup = keyof typeof BETA_SETUPS;

/** The authors' data set 11: the grid of x with the noise drawn from `seed`. */
export function gridSine(seed: number, n = 1000): Points {
  const x = linspace(0, 12, n);
  const y = Float32Array.from(x, (v, i) => 0.4 * Math.sin(2 * Math.PI * v) + 0.01 * normal(seed, STREAM.noise, i));
  return { x, y, isOutlier: new Uint8Array(n) };
}

export function betaSetup(
  setup: BetaSetup,
  o: { seeds: number; steps: number; seed: number },
): {
  points: Points;
  data: DataSpec;
  specs: ModelSpec[];
  train: TrainSettings;
  arch: Architecture;
  checkpoints: number[];
} {
  const data: DataSpec = { ...defaultDataSpec('beta-sine'), seed: o.seed, outlierRate: 0 };
  const grid = setup !== 'uniformX' && setup !== 'project';
  const points = grid ? gridSine(o.seed) : makePoints(data);
  const arch: Architecture = {
    hidden: [128, 128],
    activation: 'tanh',
    shared: true,
    varianceFloor: 1e-8,
    ...(setup !== 'standardised' && setup !== 'project' ? { rawInput: true } : {}),
    ...(setup === 'pytorchInit' ? { init: 'pytorch' as const } : {}),
  };
  const train: TrainSettings = {
    ...DEFAULT_TRAIN,
    learningRate: 5e-4,
    batchSize: 100,
    warmupMeanSteps: 0,
    warmupNllSteps: 0,
    batchSeed: o.seed,
    architecture: arch,
  };
  const losses = [modelSpec('nll'), modelSpec('beta-nll', { beta: 0.5 }), modelSpec('mse')];
  const specs = withIds(
    Array.from({ length: o.seeds }, (_, s) => losses.map((l) => ({ ...l, initSeed: o.seed + 1000 * s }))).flat(),
  );
  const checkpoints = [1000, 3000, 10_000, 30_000, 100_000, 300_000, 1_000_000]
    .filter((c) => c < o.steps)
    .concat(o.steps);
  return { points, data, specs, train, arch, checkpoints };
}
