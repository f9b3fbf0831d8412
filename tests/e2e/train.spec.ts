// The page trains for real on WebGPU (SwiftShader here) and what a person sees improves.
import { expect, test, type Page } from '@playwright/test';

async function number(page: Page, selector: string, attr?: string): Promise<number> {
  const el = page.locator(selector);
  return Number(attr ? await el.getAttribute(attr) : await el.textContent());
}

test('the default lesson trains on WebGPU with no click, and every fit gets closer to the truth', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('backend')).toHaveText('webgpu');
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(4);
  // Every loss of this lesson is in the fused kernel, so the page trains with it.
  await expect(page.getByTestId('path')).toHaveText('fused WGSL kernel');
  await expect.poll(() => number(page, '[data-testid="steps"]')).toBeGreaterThan(0);
  const first = await Promise.all([0, 1, 2, 3].map((k) => number(page, `[data-testid="panel-${k}"]`, 'data-rmse')));
  for (const r of first) expect(Number.isFinite(r)).toBe(true);
  // 150 steps of the mean-only warm-up (a minute or two on SwiftShader): the predicted mean moves toward x sin x.
  await expect.poll(() => number(page, '[data-testid="steps"]'), { timeout: 170_000 }).toBeGreaterThan(150);
  const later = await Promise.all([0, 1, 2, 3].map((k) => number(page, `[data-testid="panel-${k}"]`, 'data-rmse')));
  later.forEach((r, k) => expect(r).toBeLessThan(0.8 * first[k]));
  expect(Number(await page.getByTestId('steps-per-second').textContent())).toBeGreaterThan(0);
  for (const k of [0, 1, 2, 3]) await expect(page.getByTestId(`panel-${k}`)).toHaveAttribute('data-status', 'training');
  await page.screenshot({ path: 'test-results/default-lesson.png', fullPage: true });
  expect(errors).toEqual([]);
});
