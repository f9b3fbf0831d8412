// Plotly redraws, one per animation frame: several panels updating together would otherwise make one
// long main-thread task. The latest figure for an element replaces any still waiting.
const waiting = new Map<HTMLElement, () => void>();
/** Recent redraw durations (ms), for the benchmark. */
export const drawTimes: number[] = [];
let scheduled = false;

function drain(): void {
  scheduled = false;
  const next = waiting.entries().next();
  if (next.done) return;
  const [el, draw] = next.value;
  waiting.delete(el);
  const t0 = performance.now();
  draw();
  drawTimes.push(performance.now() - t0);
  if (drawTimes.length > 200) drawTimes.shift();
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
