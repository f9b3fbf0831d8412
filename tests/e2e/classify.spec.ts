// The classification mode trains (on WASM here: the trainer skips an emulated GPU such as SwiftShader, where its
// graph ran a few steps a minute on 2 cores, and says why), its views show (ALUM's embedding offers its latest mining), PNG export tiles every plot, a changed setup goes into the link
// and the link restores it, and its JSON export re-opens it.
import { expect, test } from '@playwright/test';

test('classification mode: trains (WASM on an emulated GPU, saying so), views show, link and JSON round-trip', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/#v=2&mode=classification&lesson=cls-noise-embedding');
  await expect(page.getByTestId('cls-backend')).toHaveText('wasm', { timeout: 60_000 });
  await expect(page.getByTestId('cls-backend-note')).toContainText('CPU emulation');
  for (const id of [
    'cls-panel-0',
    'cls-panel-1',
    'cls-panel-2',
    'cls-accuracy',
    'cls-rejection',
    'cls-histogram',
    'cls-sigma',
    'cls-embedding',
  ])
    await expect(page.getByTestId(id)).toBeVisible();
  await expect(page.getByTestId('cls-histogram')).toContainText('AUROC');
  // Tens of steps within a minute (it was under one step a second on the emulated GPU).
  await expect
    .poll(async () => Number(await page.getByTestId('cls-steps').textContent()), { timeout: 60_000 })
    .toBeGreaterThan(50);
  // The embedding view of ALUM offers its latest minibatch's anchors to hover; cross-entropy has no mining.
  await expect(page.getByTestId('cls-mining-info')).toContainText('no mining');
  await page.getByTestId('cls-panel-2').click();
  await expect(page.getByTestId('cls-mining-info')).toContainText('latest minibatch');
  // PNG export: every plot tiled into one image.
  const png = page.waitForEvent('download');
  await page.getByTestId('cls-export-png').click();
  const pngFile = await png;
  expect(pngFile.suggestedFilename()).toMatch(/^classification-step-\d+\.png$/);
  const bytes = Buffer.concat(await (await pngFile.createReadStream()).toArray());
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  expect(bytes.length).toBeGreaterThan(20_000);
  // A live change: 35 % flipped goes into the link; opening the link restores it.
  await page.getByTestId('cls-flip').fill('0.35');
  await expect.poll(() => page.url()).toContain('cls=');
  const link = page.url();
  const download = page.waitForEvent('download');
  await page.getByTestId('cls-export').click();
  const file = JSON.parse(
    await (await (await download).createReadStream()).toArray().then((b) => Buffer.concat(b).toString()),
  );
  expect(file.kind).toBe('classification-run');
  expect(file.config.data.flipRate).toBe(0.35);
  // The link, opened in a new tab, restores the setup.
  const fresh = await page.context().newPage();
  fresh.on('pageerror', (e) => errors.push(e.message));
  await fresh.goto(link);
  await expect(fresh.getByTestId('cls-flip')).toHaveValue('0.35');
  await fresh.close();
  // The export re-opens the same setup.
  await page.getByTestId('cls-import').setInputFiles({
    name: 'run.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({ ...file, config: { ...file.config, data: { ...file.config.data, flipRate: 0.1 } } }),
    ),
  });
  await expect(page.getByTestId('cls-flip')).toHaveValue('0.1');
  expect(errors).toEqual([]);
});
