// A lost WebGL context after a lost WebGPU device, as a person would meet them: paused, each loss hands the run to
// the next backend (WebGPU → WebGL → WASM) from the last frame shown, fits carried, and training goes on. The tfjs
// graph trains throughout (?fused=0), so the chain reaches WebGL whatever else the page would train with; one model
// keeps the kernels each backend compiles few (on SwiftShader the start is most of this test's time).
import { expect, test, type Page } from '@playwright/test';
import { LESSONS } from '../../src/app/lessons';
import { toHash } from '../../src/app/urlState';

const steps = async (page: Page) => Number(await page.getByTestId('steps').textContent());
const rmses = (page: Page) =>
  page.locator('[data-testid^="panel-"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-rmse'))));
const loseDevice = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { explorer: { loseDevice: () => Promise<boolean> } }).explorer.loseDevice(),
  );

/** Paused: loses the device, waits for the next backend, and checks it shows the same step and fits. */
async function loseAndCarry(page: Page, next: string, notice: string): Promise<void> {
  await page.getByTestId('play').click();
  await expect(page.getByTestId('phase')).toHaveText('paused');
  await page.waitForTimeout(1500);
  const pausedAt = await steps(page);
  const fits = await rmses(page);
  expect(await loseDevice(page)).toBe(true);
  await expect(page.getByTestId('backend')).toHaveText(next, { timeout: 60_000 });
  await expect(page.getByTestId('status-notice')).toContainText(notice);
  await expect.poll(() => steps(page)).toBe(pausedAt);
  const carried = await rmses(page);
  carried.forEach((r, k) =>
    expect(Math.abs(r - fits[k]) / fits[k], `panel ${k}: ${fits[k]} → ${r}`).toBeLessThan(0.01),
  );
  await page.getByTestId('play').click();
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(pausedAt);
}

test('a lost WebGPU device hands the run to WebGL, and a lost WebGL context on to WASM, fits carried each time', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // One model (one loss: the fewest kernels for tfjs to compile on each backend).
  const config = { ...LESSONS[0].config, models: LESSONS[0].config.models.slice(0, 1) };
  await page.goto(`/?fused=0${toHash({ config })}`);
  await expect(page.getByTestId('backend')).toHaveText('webgpu', { timeout: 60_000 });
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(2);
  await loseAndCarry(page, 'webgl', 'WebGPU device was lost');
  await loseAndCarry(page, 'wasm', 'WebGL context was lost');
  expect(errors).toEqual([]);
});
