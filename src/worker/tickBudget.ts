// How many steps the next tick runs, from how long the last ones took.

/** Time per tick (steps plus one snapshot read): frames about 7 times a second where the snapshot is cheap. */
export const TICK_MS = 140;

/**
 * Steps for the next tick. A tick costs a + b·steps: a is the frame (the snapshot and its read, whatever the
 * steps), b the time per step; both are fitted by least squares to the last ticks. The tick aims at TICK_MS or,
 * where the frame alone is slow (an emulated GPU), at 2a, so at least half the time trains. Until two budgets
 * differ enough to fit, the budget grows. It never more than doubles or halves from one tick to the next. A path may
 * ask for longer ticks (`tickMs`: the CPU trainer, whose frames would otherwise come faster than the page draws).
 */
export function nextBudget(ticks: { n: number; ms: number }[], n: number, ms: number, tickMs = TICK_MS): number {
  ticks.push({ n, ms });
  if (ticks.length > 8) ticks.shift();
  const clamp = (v: number) =>
    Math.max(1, Math.min(20_000, Math.max(Math.ceil(n / 2), Math.min(2 * n, Math.round(v)))));
  const mn = ticks.reduce((s, t) => s + t.n, 0) / ticks.length;
  const mms = ticks.reduce((s, t) => s + t.ms, 0) / ticks.length;
  const varN = ticks.reduce((s, t) => s + (t.n - mn) ** 2, 0);
  // Nothing to fit yet (or a budget that has held still): nudge it, so the next ticks can be told apart.
  if (varN < 1e-9 * Math.max(1, mn * mn) || ticks.length < 2) return clamp(ms < tickMs ? 2 * n : 1.25 * n + 1);
  const b = ticks.reduce((s, t) => s + (t.n - mn) * (t.ms - mms), 0) / varN;
  if (!(b > 0)) return clamp(2 * n);
  const a = Math.max(0, mms - b * mn);
  const target = Math.max(tickMs, 2 * a);
  return clamp((target - a) / b);
}
