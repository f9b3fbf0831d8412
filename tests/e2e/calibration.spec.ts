// The calibration view (issue 14) on the default lesson: the selected model's reliability curve and PIT
// histogram, and a metrics table of all models where every cell is a finite number or "–" with the reason.
import { expect, test, type Page } from '@playwright/test';

const NUMBER = /^-?\d+(\.\d+)?(e[+-]?\d+)?( %)?$/;

async function cells(page: Page) {
  return page.locator('[data-testid="metrics-table"] tbody td[data-metric]').evaluateAll((tds) =>
    tds.map((td) => ({
      text: td.textContent ?? '',
      title: td.getAttribute('title'),
      key: td.getAttribute('data-metric'),
    })),
  );
}

test('the calibration view and the metrics table show finite figures on the default lesson', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/');
  await expect
    .poll(async () => Number(await page.getByTestId('steps').textContent()), { timeout: 120_000 })
    .toBeGreaterThan(0);
  const view = page.getByTestId('calibration-view');
  const rows = view.locator('[data-testid="metrics-table"] tbody tr[data-model-id]');
  await expect(rows).toHaveCount(await page.locator('[data-testid^="panel-"]').count());
  // The views refresh every two seconds: wait until the first judged snapshot fills the table.
  await expect
    .poll(async () => (await cells(page)).filter((c) => c.key === 'crps' && NUMBER.test(c.text)).length, {
      timeout: 60_000,
    })
    .toBeGreaterThan(0);
  for (const c of await cells(page)) {
    if (c.text === '–') expect(c.title, `${c.key} is "–" without a reason`).toBeTruthy();
    else expect(c.text, `${c.key}`).toMatch(NUMBER);
  }
  // The two plots: reliability curve (with the diagonal) and PIT histogram.
  await expect(view.locator('.view-plots > *')).toHaveCount(2);
  await expect(view.locator('.view-title')).toContainText('Calibration of');
  // Sorting: a click on CRPS orders the numeric rows by it, ascending.
  await view.locator('th[data-sort-key="crps"]').click();
  await expect(view.locator('th[data-sort-key="crps"]')).toContainText('▲');
  const crps = (await cells(page)).filter((c) => c.key === 'crps' && c.text !== '–').map((c) => Number(c.text));
  // Values may refresh between the click and the read; the order is checked on one read of the rendered table.
  expect(crps).toEqual([...crps].sort((a, b) => a - b));
  // The training curves carry miscalibration area and CRPS.
  await expect(page.getByTestId('curves-view').locator('.view-plots > *')).toHaveCount(5);
  expect(errors).toEqual([]);
});

test('an ensemble and an imported CSV with its held-out share: the view and the table show finite figures', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The lesson's model 4 is an ensemble of five NLL networks: one panel, one row, both bands.
  await page.goto('/#lesson=overconfident-or-honest');
  await expect
    .poll(async () => Number(await page.getByTestId('steps').textContent()), { timeout: 120_000 })
    .toBeGreaterThan(0);
  await expect(page.locator('[data-testid^="panel-"]')).toHaveCount(4);
  await expect(page.getByTestId('panel-3')).toContainText('ensemble of 5');
  const view = page.getByTestId('calibration-view');
  const row = (id: string) => view.locator(`tr[data-model-id="${id}"] td[data-metric]`);
  await expect
    .poll(async () => (await row('m4').allTextContents()).filter((t) => NUMBER.test(t)).length, { timeout: 90_000 })
    .toBe(9);
  await page.locator('.model[data-model-id="m4"]').click();
  await expect(view).toContainText("members' mixture");
  // Your own data: a CSV of 300 rows; a fifth is held out and judges the metrics.
  const rows = Array.from({ length: 300 }, (_, i) => {
    const x = (10 * i) / 299;
    return `${x.toFixed(4)},${(x * Math.sin(x) + 0.3 * Math.sin(37 * i)).toFixed(4)}`;
  });
  await page
    .getByTestId('import')
    .setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(`x,y\n${rows.join('\n')}\n`) });
  await expect(page.getByTestId('held-out-share')).toHaveValue('0.2');
  await expect(view).toContainText('held-out share of your data: 60 points');
  await expect(view.getByTestId('calibration-set')).toHaveValue('heldOut');
  await expect
    .poll(async () => (await cells(page)).filter((c) => c.key === 'crps' && NUMBER.test(c.text)).length, {
      timeout: 90_000,
    })
    .toBe(4);
  for (const c of await cells(page)) {
    if (c.text === '–') expect(c.title, `${c.key} is "–" without a reason`).toBeTruthy();
    else expect(c.text, `${c.key}`).toMatch(NUMBER);
  }
  await expect(view.locator('.view-plots > *')).toHaveCount(2);
  expect(errors).toEqual([]);
});
