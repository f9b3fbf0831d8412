// The classification lessons: an exact configuration each, and a short text whose links set a scenario.
import { DEFAULT_CLASS_DATA } from '../../core/classify/data';
import type { ClassLessonClaim } from '../../core/classify/claims';
import type { ClassRunConfig } from '../../core/classify/engine';
import { ablationModels, classModel, DEFAULT_CLASS_TRAIN, type ClassModelSpec } from '../../core/classify/spec';

export type ClassAction =
  | { kind: 'data'; patch: Partial<ClassRunConfig['data']> }
  | { kind: 'model'; id: string; patch: Partial<ClassModelSpec> };
export type ClassSegment = string | { link: string; actions: ClassAction[] };

export interface ClassLesson {
  id: string;
  title: string;
  citation: string;
  config: ClassRunConfig;
  text: ClassSegment[][];
  /** What the learner should see at the claim's step budget, judged headless (`npm run lessons:classify`). */
  claim: ClassLessonClaim;
}

const data = (patch: Partial<ClassRunConfig['data']>) => ({ ...DEFAULT_CLASS_DATA, ...patch });
const flip = (r: number): ClassAction => ({ kind: 'data', patch: { flipRate: r } });

export const CLASS_LESSONS: ClassLesson[] = [
  {
    id: 'cls-noise-embedding',
    title: 'Label noise and the mean/variance embedding',
    citation: 'Wei et al., ALUM (eq. 9–14); Chang et al., DUL',
    config: {
      data: data({ dataset: 'moons', flipRate: 0.2 }),
      models: [classModel('ce'), classModel('dul'), classModel('alum')],
      train: DEFAULT_CLASS_TRAIN,
    },
    text: [
      [
        'Three classifiers share a 2 → 32 → 32 network whose last layer is an embedding N(μ, σ²) in R², read by a linear classifier W. 20 % of the training labels are flipped (ringed points). Cross-entropy uses μ only; DUL samples μ + ε σ; ALUM mixes each point with mined partners, weighted by σ.',
      ],
      [
        'Watch the clean-test accuracy while the networks start to fit the flipped labels: ',
        { link: 'no flips', actions: [flip(0)] },
        ' · ',
        { link: '30 % flipped', actions: [flip(0.3)] },
        ' · ',
        { link: '50 % (no signal left for two classes)', actions: [flip(0.5)] },
        '.',
      ],
      [
        'The histogram shows σ on flipped and on clean training points: an uncertainty that knew which labels are wrong would put the flipped ones to the right (AUROC → 1).',
      ],
    ],
    claim: {
      statement:
        "At 20 % flips all three still classify the clean test set (≥ 95 %), yet neither σ head singles out the flipped training points (AUROC of σ within 0.35–0.65), while cross-entropy's predictive entropy does better than chance (AUROC ≥ 0.55).",
      steps: 600,
      conditions: [
        ...(['ce', 'dul', 'alum'] as const).map((id) => ({
          kind: 'bound' as const,
          id,
          metric: 'testAccuracy' as const,
          min: 0.95,
        })),
        ...(['dul', 'alum'] as const).map((id) => ({
          kind: 'bound' as const,
          id,
          metric: 'flippedAuroc' as const,
          min: 0.35,
          max: 0.65,
        })),
        { kind: 'bound', id: 'ce', metric: 'flippedAuroc', min: 0.55 },
      ],
    },
  },
  {
    id: 'cls-alum-ablation',
    title: "ALUM's parts one by one (Table 6)",
    citation: 'Wei et al., ALUM, Table 6 (RAF-DB, 30 % noise: 80.87 → 83.12 → 83.77 / 83.80 → 83.96 → 84.91)',
    config: { data: data({ dataset: 'moons', flipRate: 0.3 }), models: ablationModels(), train: DEFAULT_CLASS_TRAIN },
    text: [
      [
        'The RUL-style baseline (two-way mixup with a random partner) and ALUM-1 … ALUM-5, adding in turn latent compensation (LC), the adversarial positive (AP), the adversarial negative (AN), both, and the triplet loss, on the same data, weights and draws.',
      ],
      [
        'Readings: on an MLP eq. 7 divides by a zero σ, so LC is its limit F + ε Σ_μ (',
        {
          link: 'try the grouped adaptation on ALUM-5',
          actions: [{ kind: 'model', id: 'alum5', patch: { compensation: 'grouped' } }],
        },
        '); eq. 10 prints argmin for both partners, the text wants the most distant positive (',
        { link: 'literal eq. 10 on ALUM-5', actions: [{ kind: 'model', id: 'alum5', patch: { literal: true } }] },
        '); λ = 0.003 (',
        { link: 'λ = 0.1', actions: [{ kind: 'model', id: 'alum5', patch: { lambda: 0.1 } }] },
        ').',
      ],
    ],
    claim: {
      statement:
        "Table 6's rising column does not reproduce on 2-D moons with 30 % flips: no ALUM-n ends more than 1 % above the RUL-style baseline's clean-test accuracy, and the baseline learns the moons (≥ 95 %); on some seeds ALUM-2 and ALUM-5 stay far below (60–65 % on seed 2).",
      steps: 600,
      conditions: [
        { kind: 'bound', id: 'rul', metric: 'testAccuracy', min: 0.95 },
        ...[1, 2, 3, 4, 5].map((n) => ({
          kind: 'below' as const,
          id: `alum${n}`,
          than: 'rul',
          metric: 'testAccuracy' as const,
          factor: 1.01,
        })),
      ],
    },
  },
  {
    id: 'cls-robust-superloss',
    title: 'Robust-CE and SuperLoss on noisy labels',
    citation:
      'Robust-NLL (Boltzmann weights, eq. 6) and SuperLoss (Castells et al. 2020) over per-sample cross-entropy',
    config: {
      data: data({ dataset: 'spirals', noise: 0.05, flipRate: 0.3 }),
      models: [
        classModel('ce'),
        classModel('robust-ce', { T: 2 }),
        classModel('robust-ce', { T: 2, constantWeights: true }, 'robust-ce-const'),
        classModel('superloss-ce'),
      ],
      train: DEFAULT_CLASS_TRAIN,
    },
    text: [
      [
        'Down-weighting the samples with the largest loss should ignore flipped labels. Robust-CE weights each sample by softmax(−CE/T) over the batch; T → ∞ is plain CE. SuperLoss weights by its closed-form confidence σ*, with τ = log C (the CE of a uniform guess).',
      ],
      [
        "Watch Robust-CE with eq. 6's gradient: at T = 2 it already pushes the hardest points away, flipped or not, and never learns the spirals (50–59 % over three seeds), while the same weights held constant learn like cross-entropy. Every model but that one gains accuracy when its most uncertain test points are rejected.",
      ],
      [
        'Try ',
        { link: 'T = 0.5', actions: [{ kind: 'model', id: 'robust-ce', patch: { T: 0.5 } }] },
        ' (too small: only the easiest points count, and with eq. 6 the hard ones are pushed away) and ',
        { link: 'T = ∞', actions: [{ kind: 'model', id: 'robust-ce', patch: { T: Infinity } }] },
        ' (plain CE); SuperLoss with ',
        {
          link: 'τ as an EMA of the batch CE',
          actions: [{ kind: 'model', id: 'superloss-ce', patch: { tauMode: 'ema' } }],
        },
        '.',
      ],
    ],
    claim: {
      statement:
        "On spirals with 30 % flips, Robust-CE with eq. 6's gradient at T = 2 never learns the spirals (≤ 65 %), while the same Boltzmann weights held constant, SuperLoss and plain cross-entropy do (≥ 78 %); for those three, rejecting the 30 % most uncertain test points by predictive entropy gains at least 4 points.",
      steps: 1000,
      conditions: [
        { kind: 'bound', id: 'robust-ce', metric: 'testAccuracy', max: 0.65 },
        ...(['ce', 'robust-ce-const', 'superloss-ce'] as const).flatMap((id) => [
          { kind: 'bound' as const, id, metric: 'testAccuracy' as const, min: 0.78 },
          { kind: 'bound' as const, id, metric: 'rejectGain' as const, min: 0.04 },
        ]),
      ],
    },
  },
];

export function findClassLesson(id: string): ClassLesson | undefined {
  return CLASS_LESSONS.find((l) => l.id === id);
}
