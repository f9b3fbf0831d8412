// Export and import, links and bad input, as a person would use them.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { parseRunFile } from '../../src/core/exportFile';

const steps = async (page: Page) => Number(await page.getByTestId('steps').textContent());
const losses = (page: Page) =>
  page.locator('[data-testid^="panel-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-loss')));

test('JSON and PNG export, JSON import back to the same curves, a shared link, and bad input that loses nothing', async ({
  page,
  context,
}) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#lesson=barron-line');
  await expect(page.getByTestId('backend')).toHaveText('wasm');
  await expect(page.getByTestId('lesson')).toHaveValue('barron-line');
  expect(await losses(page)).toEqual(['barron', 'barron', 'barron', 'barron', 'barron-adaptive']);
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(30);
  await page.getByTestId('play').click(); // pause
  await expect(page.getByTestId('phase')).toHaveText('paused');
  await expect(page.getByTestId('play')).toHaveText('Play');
  // The worker finishes its tick and sends the exact step it stopped at: wait until the count holds still.
  const settled = async () => {
    let last = -1;
    await expect
      .poll(
        async () => {
          const now = await steps(page);
          const still = now === last;
          last = now;
          return still;
        },
        { intervals: [1500] },
      )
      .toBe(true);
    return last;
  };
  const pausedAt = await settled();

  // JSON export: a file that validates against the versioned schema.
  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const jsonPath = await jsonDownload.path();
  const jsonText = readFileSync(jsonPath, 'utf8');
  const exported = parseRunFile(jsonText);
  expect(exported.state.step).toBe(pausedAt);
  expect(exported.config.models.map((m) => m.loss)).toEqual([
    'barron',
    'barron',
    'barron',
    'barron',
    'barron-adaptive',
  ]);
  const exportedRmse = (JSON.parse(jsonText) as { models: { metrics: { rmse: number } }[] }).models.map(
    (m) => m.metrics.rmse,
  );

  // A file whose weights do not fit (REVIEW bug 8): refused with the reason, and the run on screen is untouched.
  const broken = JSON.parse(jsonText) as { state: { models: { params: number[] }[] } };
  broken.state.models[1].params = broken.state.models[1].params.slice(2);
  await page
    .getByTestId('import')
    .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  await expect(page.getByTestId('alert')).toContainText('params has');
  await expect(page.getByTestId('alert')).toContainText('Nothing was changed');
  expect(await losses(page)).toEqual(['barron', 'barron', 'barron', 'barron', 'barron-adaptive']);
  expect(await steps(page)).toBe(pausedAt);

  // PNG of the whole grid: a real PNG file.
  const [pngDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-png').click()]);
  const png = readFileSync(await pngDownload.path());
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.length).toBeGreaterThan(10_000);

  // A broken CSV: a clear message naming the row, and the current data and models stay.
  await page
    .getByTestId('import')
    .setInputFiles({ name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n0.1,0.2\n0.5,oops\n') });
  await expect(page.getByTestId('alert')).toContainText('Row 3: y is not a finite number');
  await expect(page.getByTestId('alert')).toContainText('unchanged');
  expect(await losses(page)).toEqual(['barron', 'barron', 'barron', 'barron', 'barron-adaptive']);
  expect(await steps(page)).toBe(pausedAt);

  // Training on changes the curves; importing the export brings back exactly the exported ones.
  await page.getByTestId('play').click();
  await expect.poll(() => steps(page), { timeout: 120_000 }).toBeGreaterThan(pausedAt + 10);
  await page.getByTestId('play').click();
  await settled();
  await page
    .getByTestId('import')
    .setInputFiles({ name: 'run.json', mimeType: 'application/json', buffer: readFileSync(jsonPath) });
  await expect.poll(() => steps(page)).toBe(pausedAt);
  for (let k = 0; k < 5; k++) {
    await expect
      .poll(async () => Number(await page.getByTestId(`panel-${k}`).getAttribute('data-rmse')))
      .toBeCloseTo(exportedRmse[k], 4);
  }

  // A click on a plot adds a point there; shift-click adds an outlier.
  const box = (await page.getByTestId('panel-0').locator('.nsewdrag').first().boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await expect(page.locator('.status-info')).toContainText('Added a point');
  await page.keyboard.down('Shift');
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.2);
  await page.keyboard.up('Shift');
  await expect(page.locator('.status-info')).toContainText('Added an outlier');
  await expect(page.locator('.status-info')).toContainText('52 points');
  // Clicked points extend generated data: the truth stays, so RMSE is still reported (REVIEW bug 12).
  await expect.poll(async () => Number(await page.getByTestId('panel-0').getAttribute('data-rmse'))).toBeGreaterThan(0);
  // Alt-click on that outlier removes it again: where it is drawn now (the new point may have rescaled the axes).
  const added = /outlier at \(([-\d.]+), ([-\d.]+)\)/.exec((await page.locator('.status-info').textContent())!)!;
  await page.waitForTimeout(1500);
  const at = (await page.evaluate(
    ([x, y]) =>
      (
        window as unknown as {
          explorer: { panelPixel: (k: number, x: number, y: number) => { x: number; y: number } | null };
        }
      ).explorer.panelPixel(0, x, y),
    [Number(added[1]), Number(added[2])],
  ))!;
  await page.keyboard.down('Alt');
  await page.mouse.click(at.x, at.y);
  await page.keyboard.up('Alt');
  await expect(page.locator('.status-info')).toContainText('Removed an outlier');
  await expect(page.locator('.status-info')).toContainText('51 points');

  // A link to this setup, opened in a new page, restores it.
  await page.getByTestId('alpha-1').focus();
  await page.keyboard.press('End');
  const url = page.url();
  expect(url).toMatch(/#v=2&config=/);
  const other = await context.newPage();
  await other.goto(url);
  await expect(other.getByTestId('backend')).toHaveText('wasm');
  expect(await losses(other)).toEqual(['barron', 'barron', 'barron', 'barron', 'barron-adaptive']);
  await expect(other.getByTestId('alpha-1')).toHaveValue('2');
  await other.close();

  // A tampered link opens the default lesson with a message, and the page works.
  const tampered = await context.newPage();
  await tampered.goto('/#config=eyJkYXRhIjp7fX0');
  await expect(tampered.getByTestId('alert')).toContainText('link');
  await expect(tampered.locator('[data-testid^="panel-"]')).toHaveCount(4);
  await tampered.close();
  expect(errors).toEqual([]);
});
