// Lessons: a named, exact configuration, a short text, and in-line links that set the views to a scenario.
import { DEFAULT_TRAIN, modelSpec, withIds, type ModelSpec, type RunConfig, type TrainSettings } from '../core/config';
import { defaultDataSpec, type DataSpec } from '../core/datasets';

export type LessonAction =
  /** A change to one model, named by its id (a removed model makes the link say so and change nothing). */
  | { kind: 'model'; id: string; patch: Partial<Omit<ModelSpec, 'id'>> }
  | { kind: 'data'; patch: Partial<DataSpec> }
  | { kind: 'train'; patch: Partial<TrainSettings> };

/** A paragraph: plain text and links that apply actions. */
export type Segment = string | { link: string; actions: LessonAction[] };

export interface Lesson {
  id: string;
  title: string;
  citation: string;
  config: RunConfig;
  text: Segment[][];
}

/** Lessons are written with models in order; each gets the id of its position (m1, m2, …), which links use. */
function lesson(l: Lesson): Lesson {
  return { ...l, config: { ...l.config, models: withIds(l.config.models) } };
}

const sine = defaultDataSpec('hetero-sine');
const warm = { ...DEFAULT_TRAIN };
const linearArch = { hidden: [] as number[], activation: 'relu' as const, shared: true, varianceFloor: 1e-6 };
const m = (loss: string, o: Partial<ModelSpec> = {}) => modelSpec(loss, o);

export const LESSONS: Lesson[] = (
  [
  {
    id: 'nll-vs-outliers',
    title: 'NLL vs outliers',
    citation: 'Robust-NLL, Fig. 1 (bottom row)',
    config: { data: sine, models: [m('nll'), m('beta-nll', { beta: 0.5 }), m('faithful'), m('robust-nll', { T: 16 })], train: warm },
    text: [
      [
        'A quarter of the targets carry an outlier o ~ N(0, 10²) (crosses). The outliers have zero mean, so they mostly inflate the variance: NLL, β-NLL and Faithful answer with a ±2σ band far wider than the true one (dashed). Robust-NLL weights each point by softmax(−NLL/T) over the minibatch; the colour of a point is its weight, and the outliers fade to grey.',
      ],
      [
        'All four first fit the mean alone, then train with NLL, then switch to their own loss: Robust-NLL needs that warm start. ',
        { link: 'Drop T to 0.5', actions: [{ kind: 'model', id: 'm4', patch: { T: 0.5 } }] },
        ' to see the weights concentrate on a few points; ',
        { link: 'raise T to ∞', actions: [{ kind: 'model', id: 'm4', patch: { T: Infinity } }] },
        ' and Robust-NLL becomes NLL. ',
        { link: 'Remove the outliers', actions: [{ kind: 'data', patch: { outlierRate: 0 } }] },
        ' and every loss finds the truth.',
      ],
    ],
  },
  {
    id: 'no-outliers',
    title: 'No outliers',
    citation: 'Robust-NLL, Fig. 1 (top row)',
    config: { data: { ...sine, outlierRate: 0 }, models: [m('nll'), m('beta-nll', { beta: 0.5 }), m('faithful'), m('robust-nll', { T: 64 })], train: warm },
    text: [
      [
        'Without outliers every method recovers the heteroscedastic noise, and Robust-NLL at T = 64 costs nothing: its weights stay near 1. ',
        { link: 'Add 25 % outliers', actions: [{ kind: 'data', patch: { outlierRate: 0.25 } }] },
        ' and watch the bands part ways.',
      ],
    ],
  },
  {
    id: 'nll-pitfall',
    title: 'The NLL pitfall',
    citation: 'β-NLL, Fig. 1',
    config: {
      data: { ...defaultDataSpec('beta-sine'), outlierRate: 0 },
      models: [m('nll'), m('beta-nll', { beta: 0.5 }), m('mse')],
      train: { ...DEFAULT_TRAIN, learningRate: 2e-3, batchSize: 100, warmupMeanSteps: 0, warmupNllSteps: 0, architecture: { hidden: [64, 64], activation: 'tanh', shared: true, varianceFloor: 1e-8 } },
    },
    text: [
      [
        'Twelve periods of 0.4 sin 2πx with tiny noise. NLL weights each point by 1/σ²: once a region is explained by a large variance, its gradient fades and NLL stops fitting it. β-NLL multiplies the loss by σ^(2β) (no gradient through it) and keeps learning; MSE has no variance to hide behind.',
      ],
      [{ link: 'Set β to 1', actions: [{ kind: 'model', id: 'm2', patch: { beta: 1 } }] }, ' to give the mean the MSE gradient exactly.'],
    ],
  },
  {
    id: 'beta-sweep',
    title: 'β from 0 to 1',
    citation: 'β-NLL, eq. 7–9 and Fig. 2',
    config: {
      data: { ...defaultDataSpec('hetero-sine'), outlierRate: 0 },
      models: [0, 0.25, 0.5, 1].map((beta) => m('beta-nll', { beta })),
      train: warm,
    },
    text: [['β interpolates between NLL (β = 0) and a loss whose mean gradient is MSE’s (β = 1). The effective sampling weight of a point is σ^(2β)/σ², drawn in the loss-shape view.']],
  },
  {
    id: 'barron-line',
    title: "Barron's line",
    citation: 'Barron 2019, line fit with 10 % flipped outliers',
    config: {
      data: defaultDataSpec('barron-line'),
      models: [m('barron', { alpha: 2, c: 0.1 }), m('barron', { alpha: 1, c: 0.1 }), m('barron', { alpha: 0, c: 0.1 }), m('barron', { alpha: -2, c: 0.1 }), m('barron-adaptive', { alpha: 1, c: 0.1 })],
      train: { ...DEFAULT_TRAIN, batchSize: 50, warmupMeanSteps: 0, warmupNllSteps: 0, architecture: linearArch },
    },
    text: [
      [
        'Ten per cent of the points are flipped far from the line. L2 (α = 2) is pulled toward them; as α falls, the loss saturates and the line snaps back. The adaptive loss learns α and c itself. ',
        { link: 'Try Welsch (α = −∞)', actions: [{ kind: 'model', id: 'm4', patch: { alpha: -Infinity } }] },
        '.',
      ],
    ],
  },
  {
    id: 'linear-outliers',
    title: 'Linear regression, 10–90 % outliers',
    citation: 'Robust-NLL, sec. 4.1 and Fig. 3',
    config: {
      data: { ...defaultDataSpec('linear'), outlierRate: 0.5 },
      models: [m('mse'), m('robust-mse', { T: 1 }), m('nll'), m('robust-nll', { T: 1 })],
      train: { ...DEFAULT_TRAIN, batchSize: 16, warmupMeanSteps: 200, warmupNllSteps: 200, architecture: linearArch },
    },
    text: [
      [
        'y = w·x + ε with half the targets corrupted by N(0, 10²). Boltzmann weighting at T = 1 robustifies each loss. ',
        { link: 'Raise the outlier rate to 90 %', actions: [{ kind: 'data', patch: { outlierRate: 0.9 } }] },
        '.',
      ],
    ],
  },
  {
    id: 't-too-small',
    title: 'T too small: hardmax',
    citation: 'Robust-NLL, sec. 3.3 (hardmax weighting)',
    config: { data: sine, models: [m('robust-nll', { T: 16 }), m('robust-nll', { T: 2 }), m('robust-nll', { T: 0.3 })], train: warm },
    text: [
      [
        'As T → 0 the weights become a hardmax: only the lowest losses count, and inliers with honest noise are thrown away with the outliers; the band collapses onto a few points. The gradient weight αⱼ (weights view) even turns negative where ℓⱼ exceeds the weighted mean by more than T, pushing those points further away.',
      ],
    ],
  },
  {
    id: 'superloss-vs-boltzmann',
    title: 'SuperLoss σ* vs Boltzmann weights',
    citation: 'SuperLoss (Castells et al. 2020), eq. 6–10',
    config: { data: sine, models: [m('nll'), m('superloss-nll', { lambda: 1, tauMode: 'ema' }), m('robust-nll', { T: 16 })], train: warm },
    text: [['SuperLoss gives each sample a confidence σ* in closed form (Lambert W) from how its loss compares with a threshold τ; Boltzmann weights compare losses within the minibatch. Both fade the outliers; the colours show σ* and B·wᵢ.']],
  },
  ] satisfies Lesson[]
).map(lesson);

export function findLesson(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
