// Every paper claim that `npm run reproduce` judges, as data: what it says, where the paper says it, and the
// thresholds it is judged by. The experiments (src/core/experiments/) read their thresholds from here and emit
// their claims with these ids; src/core/lessons/versions.ts pins each entry's fingerprint to a version, so a
// threshold changes only by a commit of its own that bumps the version and says why.

export interface PaperClaim {
  /** "<experiment>/<claim>", stable across versions. */
  id: string;
  statement: string;
  /** Where the paper makes it, and its own figure where there is one. */
  paper: string;
  /** The numbers the claim is judged by (named; each experiment documents their use). */
  thresholds: Record<string, number>;
}

export const PAPER_CLAIMS: PaperClaim[] = [
  // Robust-NLL Fig. 3: agreement = same direction and at least minShare × the paper's improvement.
  {
    id: 'robust-nll-fig3/mse',
    statement: 'mean relative improvement of Robust-MSE over MSE in (ŵ − w)²',
    paper: 'Fig. 3: 55.4 %',
    thresholds: { paperPercent: 55.4, minShare: 1 / 3 },
  },
  {
    id: 'robust-nll-fig3/nll-residual',
    statement:
      'mean relative improvement of Robust-NLL over NLL in (ŵ − w)², σ₀² = the least-squares residual variance',
    paper: 'Fig. 3: 80.5 %',
    thresholds: { paperPercent: 80.5, minShare: 1 / 3 },
  },
  {
    id: 'robust-nll-fig3/beta-nll-residual',
    statement: 'mean relative improvement of Robust-β-NLL over β-NLL in (ŵ − w)², σ₀² = the residual variance',
    paper: 'Fig. 3: 71.1 %',
    thresholds: { paperPercent: 71.1, minShare: 1 / 3 },
  },
  {
    id: 'robust-nll-fig3/nll-unit',
    statement: 'mean relative improvement of Robust-NLL over NLL in (ŵ − w)², σ₀² = 1',
    paper: 'Fig. 3: 80.5 %',
    thresholds: { paperPercent: 80.5, minShare: 1 / 3 },
  },
  {
    id: 'robust-nll-fig3/beta-nll-unit',
    statement: 'mean relative improvement of Robust-β-NLL over β-NLL in (ŵ − w)², σ₀² = 1',
    paper: 'Fig. 3: 71.1 %',
    thresholds: { paperPercent: 71.1, minShare: 1 / 3 },
  },
  // Robust-NLL Fig. 1: comparisons between models, no free number.
  {
    id: 'robust-nll-fig1/sigma',
    statement:
      'with 25 % outliers only Robust-NLL stays close to the truth: the smallest mean absolute σ error, with a mean no worse than NLL’s',
    paper: 'Fig. 1 (bottom row), qualitative',
    thresholds: {},
  },
  {
    id: 'robust-nll-fig1/mean',
    statement: 'with 25 % outliers Robust-NLL predicts the mean better than NLL (RMSE to x sin x)',
    paper: 'Fig. 1 (bottom row), qualitative',
    thresholds: {},
  },
  {
    id: 'robust-nll-fig1/warm-start',
    statement: 'Robust-NLL needs a warm start (FINDINGS): from a cold start its σ error is larger',
    paper: 'not in the paper; FINDINGS: cold start diverges',
    thresholds: {},
  },
  // β-NLL Fig. 1.
  {
    id: 'beta-nll-fig1/nll-stuck',
    statement: 'NLL stays above RMSE 0.1 (stuck on part of the periods)',
    paper: 'Fig. 1, Fig. S1–S2: no NLL run below 0.1',
    thresholds: { nllAbove: 0.1 },
  },
  {
    id: 'beta-nll-fig1/beta-fits',
    statement: 'β-NLL (β = 0.5) fits far better than NLL: under half its RMSE',
    paper: 'Fig. 7: β = 0.5 fits for most settings',
    thresholds: { factor: 0.5 },
  },
  {
    id: 'beta-nll-fig1/mse-fits',
    statement: 'MSE fits far better than NLL: under half its RMSE',
    paper: 'Fig. 1: MSE reaches the optimum in 10⁵ updates',
    thresholds: { factor: 0.5 },
  },
  // Barron's line: comparisons.
  {
    id: 'barron-line/robust',
    statement: 'L2 (α = 2) is pulled by the flipped outliers; a robust α (≤ 0) fits the true line better',
    paper: 'qualitative (the blog’s Fig. 4 vs 5)',
    thresholds: {},
  },
  {
    id: 'barron-line/adaptive',
    statement: 'the adaptive loss finds a line closer to the truth than L2',
    paper: 'qualitative (animation, Fig. 5)',
    thresholds: {},
  },
  // SuperLoss Tables 1–2 (1-D analogue).
  {
    id: 'superloss-regression/superloss-mse',
    statement: 'SuperLoss(MSE) degrades less than MSE from 0 to 80 % noisy targets, and is never worse at its worst',
    paper: 'Tables 1–2: robust versions degrade far less',
    thresholds: {},
  },
  {
    id: 'superloss-regression/robust-mse',
    statement: 'Robust-MSE (Boltzmann) degrades less than MSE, and is never worse at its worst',
    paper: 'Robust-NLL sec. 3.4',
    thresholds: {},
  },
  {
    id: 'superloss-regression/superloss-l1',
    statement: 'SuperLoss(smooth L1) degrades less than smooth L1, and is never worse at its worst',
    paper: 'Tables 1–2',
    thresholds: {},
  },
  {
    id: 'superloss-regression/clean',
    statement: 'at 0 % noise SuperLoss(MSE) is no worse than MSE (RMSE at most factor × MSE’s)',
    paper: 'Table 1: at 0 % noise SuperLoss is better than its input loss',
    thresholds: { factor: 1 },
  },
  // Robust-NLL's divergence (k of 64 trajectories: a rate in itself).
  {
    id: 'robust-nll-divergence/eq6',
    statement: 'after the warm-up, eq. 6 diverges on some trajectories',
    paper: 'not reported; FINDINGS: 1 of 9 trajectories',
    thresholds: {},
  },
  {
    id: 'robust-nll-divergence/clipped',
    statement: 'Clipped-Robust (αⱼ clipped at 0) diverges less often than eq. 6',
    paper: 'ours',
    thresholds: {},
  },
  {
    id: 'robust-nll-divergence/constant',
    statement: 'constant weights diverge less often than eq. 6 but keep σ inflated (σ error above Clipped-Robust’s)',
    paper: 'FINDINGS: constant weights stable, σ error 2.5–3.1',
    thresholds: {},
  },
  // ALUM Tables 1 and 3 (2-D analogue).
  {
    id: 'alum-toy/margin',
    statement:
      'ALUM’s clean-test accuracy above CE, DUL-style and RUL-style at every noisy rate: its margin over the best other',
    paper: 'Table 1: +0.43 to +2.85 points over the best other method',
    thresholds: { minMargin: 0 },
  },
  {
    id: 'alum-toy/rejection',
    statement: 'ALUM’s accuracy rises from 0 % to 30 % rejection at every flip rate',
    paper: 'Table 3: rises',
    thresholds: {},
  },
];

export function paperClaim(id: string): PaperClaim {
  const c = PAPER_CLAIMS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown paper claim: ${id}`);
  return c;
}

/** A claim as the run file carries it: the data's statement and paper figure, our figure and the verdict. */
export function judged(
  id: string,
  ours: string,
  agrees: boolean,
  prefix = '',
): { id: string; claim: string; paper: string; ours: string; agrees: boolean } {
  const c = paperClaim(id);
  return { id, claim: `${prefix}${c.statement}`, paper: c.paper, ours, agrees };
}
