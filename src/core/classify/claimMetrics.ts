// The figures a classification claim bounds, read off a model's metrics: pure, so the page judges a lesson's
// claim live with the very function the headless runner (claims.ts) uses.
import type { ClassModelMetrics } from './evaluate';

/**
 * What a classification claim may bound, per model: clean-test accuracy and error (1 − accuracy, so 'below'
 * can say "at least as accurate as"), the AUROC of the model's uncertainty score on flipped vs clean training
 * points, the accuracy after rejecting 30 % of the test points by that score, and its gain over no rejection.
 */
export const CLASS_CLAIM_METRICS = ['testAccuracy', 'testError', 'flippedAuroc', 'reject30', 'rejectGain'] as const;
export type ClassClaimMetric = (typeof CLASS_CLAIM_METRICS)[number];

export function claimMetrics(m: ClassModelMetrics): Record<ClassClaimMetric, number> {
  const last = m.rejection[m.rejection.length - 1];
  return {
    testAccuracy: m.testAccuracy,
    testError: 1 - m.testAccuracy,
    flippedAuroc: m.flippedAuroc,
    reject30: last,
    rejectGain: last - m.rejection[0],
  };
}
