// Proper scores side by side (Gneiting & Raftery 2007): every rule ranks the models (lower is better), and two
// proper rules can still disagree — NLL punishes a tail miss without bound, CRPS and the interval score only
// linearly, Dawid–Sebastiani sees two moments alone. Where the rankings differ is the lesson, so it is marked.

export const SCORE_RULES = ['nll', 'crps', 'intervalScore95', 'dss'] as const;
export type ScoreRule = (typeof SCORE_RULES)[number];
export const SCORE_RULE_LABEL: Record<ScoreRule, string> = {
  nll: 'NLL',
  crps: 'CRPS',
  intervalScore95: 'interval score 95 %',
  dss: 'Dawid–Sebastiani',
};

/** Ranks 1…n of the values, lower first; ties share the smaller rank; NaN ranks last (after +∞). */
export function ranksOf(values: readonly number[]): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Infinity : v);
  return values.map((v) => {
    let r = 1;
    for (const u of values) if (key(u) < key(v) || (Number.isNaN(v) && !Number.isNaN(u))) r++;
    return r;
  });
}

export interface ScoreRanking {
  /** Per rule, each model's rank (in the models' order). */
  ranks: Record<ScoreRule, number[]>;
  /** Per model: true where two rules give it different ranks. */
  disputed: boolean[];
  /** Per pair of rules that disagree: the number of model pairs they order oppositely (Kendall's discordant pairs). */
  disagreements: { a: ScoreRule; b: ScoreRule; discordant: number }[];
}

/** The ranking of each rule over the models' scores (one set: inliers, outliers or held-out), and where they disagree. */
export function rankByScores(scores: readonly Record<ScoreRule, number>[]): ScoreRanking {
  const ranks = Object.fromEntries(SCORE_RULES.map((r) => [r, ranksOf(scores.map((s) => s[r]))])) as Record<
    ScoreRule,
    number[]
  >;
  const disputed = scores.map((_, m) => new Set(SCORE_RULES.map((r) => ranks[r][m])).size > 1);
  const disagreements: ScoreRanking['disagreements'] = [];
  SCORE_RULES.forEach((a, i) =>
    SCORE_RULES.slice(i + 1).forEach((b) => {
      let discordant = 0;
      for (let m = 0; m < scores.length; m++)
        for (let k = m + 1; k < scores.length; k++)
          if ((ranks[a][m] - ranks[a][k]) * (ranks[b][m] - ranks[b][k]) < 0) discordant++;
      if (discordant) disagreements.push({ a, b, discordant });
    }),
  );
  return { ranks, disputed, disagreements };
}
