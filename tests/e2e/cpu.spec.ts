// A browser without WebGPU (no --enable-unsafe-webgpu): every lesson trains on the CPU trainer, and the default
// lesson shows its claim within a minute of opening, with nothing pressed.
import { expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { LESSONS } from '../../src/app/lessons';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'),
  },
});

type Logged = { step: number; rmse: number[]; sigmaError: number[]; at: number };
const frameLog = (page: Page) =>
  page.evaluate(() => (window as unknown as { explorer?: { frameLog: Logged[] } }).explorer?.frameLog.slice() ?? []);

test('the default lesson shows its claim within 60 s of opening: Robust-NLL’s σ error at most half of NLL’s by step 3000', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  const lesson = LESSONS.find((l) => l.id === 'nll-vs-outliers')!;
  expect(lesson.claim.steps).toBe(3000);
  await expect(page.getByTestId('path')).toHaveAttribute('data-path', 'cpu', { timeout: 30_000 });
  await expect(page.getByTestId('path')).toContainText('fused CPU');
  // The first frame at or past the claim's step, and when it came (ms since the page opened).
  let first: Logged | undefined;
  await expect
    .poll(
      async () => {
        first = (await frameLog(page)).find((f) => f.step >= lesson.claim.steps);
        return first !== undefined;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  const [nll, , , robust] = first!.sigmaError;
  console.log(
    `claim frame: step ${first!.step} at ${(first!.at / 1000).toFixed(1)} s; σ error NLL ${nll.toFixed(3)}, Robust-NLL ${robust.toFixed(3)}`,
  );
  expect(first!.at).toBeLessThan(60_000);
  expect(robust).toBeLessThanOrEqual(0.5 * nll);
  expect(errors).toEqual([]);
});

test('every lesson trains on the CPU trainer where the browser has no WebGPU', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('path')).toHaveAttribute('data-path', 'cpu', { timeout: 30_000 });
  for (const lesson of LESSONS) {
    await page.evaluate((id) => (location.hash = `#lesson=${id}`), lesson.id);
    await expect(page.getByTestId('path'), lesson.id).toHaveAttribute('data-path', 'cpu', { timeout: 30_000 });
    await expect(page.getByTestId('backend'), lesson.id).toHaveText('wasm');
    await expect(page.locator('[data-testid^="panel-"]').first(), lesson.id).toBeVisible();
  }
});
