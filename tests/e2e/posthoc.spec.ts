// Post-hoc uncertainty in the page (issue 26): the conformal lesson draws each model's conformal band and fills the
// Post-hoc view; the level acts live, the link and undo carry the settings; a real data set opens from the data menu
// with its source and licence.
import { expect, test, type Page } from '@playwright/test';

const q = (page: Page, k: number) => page.getByTestId(`panel-${k}`).getAttribute('data-conformal-q');

test('the conformal lesson: bands, q̂ beside z, a live level, the link and undo carry the settings', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#lesson=conformal-rescues-coverage');
  await expect.poll(async () => Number(await q(page, 0)), { timeout: 120_000 }).toBeGreaterThan(0);
  const view = page.getByTestId('posthoc-view');
  await expect(view.locator('[data-testid="posthoc-table"] tbody tr')).toHaveCount(2);
  await expect(view.locator('.view-title')).toContainText('Coverage along x at 90 %');
  await expect.poll(async () => view.locator('[data-testid="scores-table"] tbody tr').count()).toBe(2);
  // The panel draws the outline: two more traces than the learned band, mean and truth.
  await expect
    .poll(async () => page.getByTestId('panel-0').locator('.scatterlayer .trace').count())
    .toBeGreaterThanOrEqual(6);
  // A lower level: q̂ falls, live (the level is not a rebuild: training goes on).
  const before = Number(await q(page, 0));
  const slider = page.getByTestId('posthoc-level');
  await slider.focus();
  for (let i = 0; i < 30; i++) await slider.press('ArrowLeft');
  await expect.poll(async () => Number(await q(page, 0)), { timeout: 60_000 }).toBeLessThan(before);
  // The link carries it; undo steps the level back up (key presses far apart are separate steps).
  const level = async () =>
    Number(/level 1 − α\s*(\d+) %/.exec((await page.getByTestId('posthoc-card').textContent()) ?? '')?.[1]);
  await expect.poll(level).toBeLessThan(90);
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('config=');
  const lowered = await level();
  await page.locator('h1').click();
  await page.keyboard.press('Control+z');
  await expect.poll(level).toBeGreaterThan(lowered);
  // Switching a model's band off removes its outline.
  await page.getByTestId('conformal-band-m1').uncheck();
  await expect.poll(async () => page.getByTestId('panel-0').locator('.scatterlayer .trace').count()).toBeLessThan(6);
  expect(errors).toEqual([]);
});

test('a real data set opens from the data menu with its source and licence, and no truth', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect
    .poll(async () => Number(await page.getByTestId('steps').textContent()), { timeout: 120_000 })
    .toBeGreaterThan(0);
  await page.getByTestId('dataset').selectOption('real:penguins');
  const note = page.getByTestId('real-data-note');
  await expect(note).toContainText('Penguins');
  await expect(note).toContainText('Licence: CC0 1.0 Universal');
  await expect(note).toContainText('No truth is known');
  await page.getByTestId('posthoc-on').check();
  await expect.poll(async () => Number(await q(page, 0)), { timeout: 120_000 }).toBeGreaterThan(0);
  await expect(page.getByTestId('posthoc-view')).toContainText('no truth is known for these data');
  expect(errors).toEqual([]);
});
