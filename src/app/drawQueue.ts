// Plotly redraws, one per animation frame: several panels updating together would otherwise make one
// long main-thread task. The latest figure for an element replaces any still waiting.
const waiting = new Map<HTMLElement, () => void>();
/** Recent redraws, for the benchmark: what was drawn (the plot's test id or its panel's), how long it took (ms), when. */
export const drawLog: { what: string; ms: number; at: number }[] = [];
let scheduled = false;

function drain(): void {
  scheduled = false;
  const next = waiting.entries().next();
  if (next.done) return;
  const [el, draw] = next.value;
  waiting.delete(el);
  const t0 = performance.now();
  draw();
  const ms = performance.now() - t0;
  drawLog.push({
    what: el.dataset.testid ?? el.closest<HTMLElement>('[data-testid]')?.dataset.testid ?? '?',
    ms,
    at: t0,
  });
  if (drawLog.length > 1000) drawLog.shift();
  if (waiting.size) {
    scheduled = true;
    requestAnimationFrame(drain);
  }
}

export function queueDraw(el: HTMLElement, draw: () => void): void {
  waiting.set(el, draw);
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(drain);
  }
}
