// Live hyperparameters and fault handling, as a person would meet them.
import { expect, test, type Page } from '@playwright/test';

const steps = async (page: Page) => Number(await page.getByTestId('steps').textContent());
const share = async (page: Page) => Number(await page.getByTestId('panel-3').getAttribute('data-outlier-share'));
const rmses = (page: Page) =>
  page.locator('[data-testid^="panel-"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-rmse'))));

test('moving T mid-run reweights the points at once without restarting, and a lost GPU device hands the trained weights to another backend', async ({
  page,
}) => {
  // WebGPU forced (on this machine the page would pick the CPU trainer: SwiftShader is an emulation).
  await page.goto('/?backend=webgpu');
  await expect(page.getByTestId('backend')).toHaveText('webgpu');
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(20);
  await expect(page.getByTestId('panel-3')).toHaveAttribute('data-loss', 'robust-nll');
  const before = await share(page);
  const stepsBefore = await steps(page);
  // Keyboard, as a person would: focus the T slider and jump to its minimum, T = 0.1.
  await page.getByTestId('T-3').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('T-3')).toHaveValue('-1');
  // At T = 0.1 the Boltzmann weights approach a hardmax: the outliers' share of the weight collapses.
  await expect.poll(() => share(page)).toBeLessThan(0.5 * before);
  expect(await steps(page)).toBeGreaterThanOrEqual(stepsBefore);

  // Paused, the last frame is the state a lost device restarts from: the fits on the next backend are the same.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('phase')).toHaveText('paused');
  await page.waitForTimeout(1500);
  const pausedAt = await steps(page);
  const fits = await rmses(page);
  const lost = await page.evaluate(() =>
    (window as unknown as { explorer: { loseDevice: () => Promise<boolean> } }).explorer.loseDevice(),
  );
  expect(lost).toBe(true);
  await expect(page.getByTestId('backend')).not.toHaveText('webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('status-notice')).toContainText('WebGPU device was lost');
  // After a lost GPU the CPU trainer takes over (before WebGL), from the last frame's state.
  await expect(page.getByTestId('path')).toHaveAttribute('data-path', 'cpu');
  await expect.poll(() => steps(page)).toBe(pausedAt);
  const carried = await rmses(page);
  carried.forEach((r, k) =>
    expect(Math.abs(r - fits[k]) / fits[k], `panel ${k}: ${fits[k]} → ${r}`).toBeLessThan(0.01),
  );
  await page.getByTestId('play').click();
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(pausedAt + 5);
  await page.screenshot({ path: 'test-results/after-device-loss.png' });
});
