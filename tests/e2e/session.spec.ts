// The trainer session under a person's hands on the path the page picks (the CPU trainer here, where WebGPU is an
// emulation: 10⁴ steps in seconds): slider moves, models added and removed, a reset by id; tfjs tensors stay flat
// over 10⁴ steps, and every call lands. (The WGSL kernel's buffers: tests/unit/fused-host.test.ts and the soak.)
import { expect, test, type Page } from '@playwright/test';

const steps = async (page: Page) => Number(await page.getByTestId('steps').textContent());
const memory = (page: Page) =>
  page.evaluate(() =>
    (
      window as unknown as { explorer: { memory: () => Promise<{ numTensors: number; gpuBuffers: number | null }> } }
    ).explorer.memory(),
  );
const panelIds = (page: Page) =>
  page.locator('[data-testid^="panel-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model-id')));

test('10⁴ steps with frames, slider moves and models added and removed: tensors flat, no error', async ({ page }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect(page.getByTestId('path')).toHaveAttribute('data-path', 'cpu');
  await expect(page.getByTestId('play')).toHaveAttribute('aria-pressed', 'true');
  expect(await panelIds(page)).toEqual(['m1', 'm2', 'm3', 'm4']);
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(100);

  // One cycle of everything first, so caches (pipelines, tfjs's buffer pool at K = 5) are warm.
  const cycle = async (i: number) => {
    await page.getByTestId('T-3').focus();
    await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
    // The slider's formula tooltip shows while it has focus and would sit over the buttons below.
    await page.getByTestId('T-3').blur();
    await page.getByTestId('add-model').click();
    await expect.poll(() => panelIds(page)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    await expect(page.locator('[data-model-id="m5"][data-testid^="panel-"]')).not.toHaveAttribute('data-rmse', '');
    await page.locator('.model[data-model-id="m5"] button[title="remove"]').click();
    await expect.poll(() => panelIds(page)).toEqual(['m1', 'm2', 'm3', 'm4']);
  };
  await cycle(0);
  await page.waitForTimeout(1000);
  const start = await memory(page);
  let i = 1;
  // A cycle (a slider move, a model added and removed) every 2500 steps, four times: 10⁴ steps past the baseline.
  const begin = await steps(page);
  while (i <= 4) {
    const from = await steps(page);
    await expect.poll(() => steps(page), { timeout: 240_000 }).toBeGreaterThan(from + 2500 - 1);
    await cycle(i++);
  }
  // A reset by id lands: that model is back at step 0 while the others go on.
  await page.getByTestId('play').click();
  await expect(page.getByTestId('phase')).toHaveText('paused');
  await page.getByTestId('reset-m2').click();
  await expect(page.locator('[data-testid="panel-1"]')).toHaveAttribute('data-steps', '0');
  expect(Number(await page.locator('[data-testid="panel-0"]').getAttribute('data-steps'))).toBeGreaterThan(
    begin + 10_000 - 1,
  );
  await page.waitForTimeout(500);
  const end = await memory(page);
  console.log(
    `cycles ${i}, at ${await steps(page)} steps: tensors ${start.numTensors} → ${end.numTensors}, GPU buffers ${start.gpuBuffers} → ${end.gpuBuffers}`,
  );
  expect(end.numTensors).toBe(start.numTensors);
  await expect(page.getByTestId('path')).toHaveAttribute('data-path', 'cpu');
  expect(errors).toEqual([]);
});
