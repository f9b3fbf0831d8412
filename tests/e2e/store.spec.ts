// The page's store under a person's hands: undo across a lesson, a removal and a CSV; Back after a lesson;
// links of today's (unversioned) format, opened and pasted; clicked points keep RMSE.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';

const links = JSON.parse(readFileSync(new URL('../unit/fixtures/links-v1.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;
const steps = async (page: Page) => Number(await page.getByTestId('steps').textContent());
const panelIds = (page: Page) =>
  page.locator('[data-testid^="panel-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-model-id')));
const losses = (page: Page) =>
  page.locator('[data-testid^="panel-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-loss')));

test('undo walks back a lesson, a removal and a CSV; Back follows; old and pasted links open; clicks keep RMSE', async ({
  page,
}) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`/${links.lessonOnly}`);
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect(page.getByTestId('lesson')).toHaveValue('nll-pitfall');
  expect(await losses(page)).toEqual(['nll', 'beta-nll', 'mse']);
  // Today's link is rewritten in the versioned format.
  await expect.poll(() => page.evaluate(() => location.hash)).toBe('#v=2&lesson=nll-pitfall');
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(5);

  // Three destructive changes: a lesson, a removed model, a CSV.
  await page.getByTestId('lesson').selectOption('barron-line');
  await expect.poll(() => panelIds(page)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  await page.locator('.model[data-model-id="m2"] button[title="remove"]').click();
  await expect.poll(() => panelIds(page)).toEqual(['m1', 'm3', 'm4', 'm5']);
  const csv = ['x,y', ...Array.from({ length: 20 }, (_, i) => `${i / 19},${(0.5 * i) / 19}`)].join('\n');
  await page.getByTestId('import').setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(page.locator('.status-info')).toContainText('Loaded 20 points');
  await expect(page.locator('.note', { hasText: 'Showing your own data' })).toBeVisible();

  await page.getByTestId('undo').click();
  await expect(page.locator('.note', { hasText: 'Showing your own data' })).toHaveCount(0);
  await page.getByTestId('undo').click();
  await expect.poll(() => panelIds(page)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('lesson')).toHaveValue('nll-pitfall');
  await expect.poll(() => losses(page)).toEqual(['nll', 'beta-nll', 'mse']);
  await expect(page.getByTestId('undo')).toBeDisabled();
  await expect(page.getByTestId('redo')).toBeEnabled();
  // The lesson's run came back (restored weights) and trains on. The counter shows the CSV run's steps until the
  // restored run's first frame lands, so progress is judged over a window, not against a reading taken before.
  const advances = async () => {
    const before = await steps(page);
    await page.waitForTimeout(4000);
    return (await steps(page)) > before;
  };
  await expect.poll(advances, { timeout: 120_000 }).toBe(true);

  // Back after a lesson switch returns to the previous lesson.
  await page.getByTestId('lesson').selectOption('no-outliers');
  await expect.poll(() => losses(page)).toEqual(['nll', 'beta-nll', 'faithful', 'robust-nll']);
  await page.evaluate(() => history.back());
  await expect(page.getByTestId('lesson')).toHaveValue('nll-pitfall');
  await expect.poll(() => losses(page)).toEqual(['nll', 'beta-nll', 'mse']);

  // A pasted link of today's format (a configuration without model ids) applies as a new change.
  await page.evaluate((h) => (location.hash = h), links.configWithoutIds);
  await expect.poll(() => panelIds(page)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  expect(await losses(page)).toEqual(['barron', 'barron', 'barron', 'barron', 'barron-adaptive']);
  await expect(page.getByTestId('lesson')).toHaveValue('');
  await expect(page.getByTestId('alpha-1')).toHaveValue('1');
  await expect(page.getByTestId('undo')).toBeEnabled();

  // Two clicks on a fit panel: generated data keeps its truth, so RMSE stays a number.
  const at = await steps(page);
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(at + 3);
  const box = (await page.getByTestId('panel-0').locator('.nsewdrag').first().boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await expect(page.locator('.status-info')).toContainText('51 points');
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.4);
  await expect(page.locator('.status-info')).toContainText('52 points');
  const after = await steps(page);
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(after + 2);
  const rmse = Number(await page.getByTestId('panel-0').getAttribute('data-rmse'));
  expect(Number.isFinite(rmse) && rmse > 0, `rmse ${rmse}`).toBe(true);
  expect(errors).toEqual([]);
});
