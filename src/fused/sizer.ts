// How many steps one dispatch runs (S). A dispatch costs a fixed overhead o plus a per step: o is ~0.05–0.5 ms
// on a GPU (FINDINGS: 0.45 ms per round trip in Chrome) but tens of ms on SwiftShader, a is anything from
// microseconds to a second. Fitting T(S) = o + a·S to what reads measure gives both; S is then sized so a
// dispatch lasts about TARGET_MS, or four overheads where those are longer (the overhead stays ≤ 20 %), but
// at most MAX_DISPATCH_MS (a long dispatch delays every read queued behind it: the UI's frames).

export const TARGET_MS = 6;
export const MAX_STEPS = 500;
export const MAX_DISPATCH_MS = 1000;

interface Observation {
  steps: number;
  ms: number;
}

export class DispatchSizer {
  private readonly seen: Observation[] = [];
  private s: number;

  constructor(initial: number) {
    this.s = clampSteps(initial);
  }

  get steps(): number {
    return this.s;
  }

  /** `dispatches` dispatches running `steps` steps in all took `ms` (first submit to the read's completion). */
  observe(dispatches: number, steps: number, ms: number): void {
    if (!(dispatches > 0 && steps > 0 && ms > 0)) return;
    this.seen.push({ steps: steps / dispatches, ms: ms / dispatches });
    if (this.seen.length > 8) this.seen.shift();
    const fit = this.fit();
    if (!fit) {
      // One size seen so far: try another to separate the overhead from the per-step cost.
      this.s = clampSteps(this.s * 2);
      return;
    }
    const budget = Math.min(MAX_DISPATCH_MS, Math.max(TARGET_MS, 4 * fit.overhead));
    this.s = clampSteps(budget / Math.max(fit.perStep, 1e-6));
  }

  /** Least squares of ms = overhead + perStep · steps, both ≥ 0; null while the sizes seen are all alike. */
  private fit(): { overhead: number; perStep: number } | null {
    const n = this.seen.length;
    const mx = this.seen.reduce((a, o) => a + o.steps, 0) / n;
    const my = this.seen.reduce((a, o) => a + o.ms, 0) / n;
    let sxx = 0;
    let sxy = 0;
    for (const o of this.seen) {
      sxx += (o.steps - mx) ** 2;
      sxy += (o.steps - mx) * (o.ms - my);
    }
    if (sxx < 1e-9 * Math.max(1, mx * mx)) return null;
    let perStep = sxy / sxx;
    let overhead = my - perStep * mx;
    if (perStep <= 0) {
      perStep = my / mx;
      overhead = 0;
    } else if (overhead < 0) {
      overhead = 0;
      perStep = my / mx;
    }
    return { overhead, perStep };
  }
}

export function clampSteps(s: number): number {
  return Math.max(1, Math.min(MAX_STEPS, Math.round(Number.isFinite(s) ? s : 1)));
}
