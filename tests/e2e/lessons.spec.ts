// Every lesson, as a learner opens it: a sign of work at once, then from its first frame a progress line that says
// where its claim shows and whether it has, and headings that name the warm-up while it lasts. One page; lessons
// are switched through the link (the running page follows a pasted hash). WASM keeps each first frame to seconds on
// a 2-core machine (WebGPU on SwiftShader compiles kernels per network shape for up to a minute).
import { expect, test, type Page } from '@playwright/test';

/** Steps shown in the status bar. */
const stepOf = async (page: Page) => Number(await page.getByTestId('steps').textContent());
/** The run of the last frame received (bumped by every restart: a lesson, a link). */
const runOf = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { explorer: { frameLog: { run: number }[] } }).explorer.frameLog.at(-1)?.run ?? -1,
  );

/** Every panel's heading against its phase: "warm-up: … (step M of N)" in phases 0 and 1, no warm-up after. */
async function phaseLabels(page: Page): Promise<string[]> {
  const wrong: string[] = [];
  for (const panel of await page.locator('[data-testid^="panel-"]').all()) {
    const [phase, heading] = await Promise.all([
      panel.getAttribute('data-phase'),
      panel.locator('.plot-heading').textContent(),
    ]);
    const want =
      phase === '0'
        ? /warm-up: mean only \(step \d+ of \d+\)/
        : phase === '1'
          ? /warm-up: NLL \(step \d+ of \d+\)/
          : null;
    if (want ? !want.test(heading ?? '') : /warm-up/.test(heading ?? '')) wrong.push(`phase ${phase}: ${heading}`);
  }
  return wrong;
}

test('each lesson shows its progress toward its claim and labels its warm-up from the first frame', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const opened = Date.now();
  await page.goto('/?backend=wasm#v=2&lesson=nll-vs-outliers', { waitUntil: 'commit' });
  // Something says that work has begun within two seconds of opening: the static placeholder, then the status words.
  await expect(page.getByRole('status').first()).toContainText(/starting|loading|preparing|training/, {
    timeout: 2000,
  });
  expect(Date.now() - opened).toBeLessThan(4000);
  await expect(page.getByTestId('status-words')).toBeVisible();
  // The regression lessons: the picker's own options (the classification ones sit in an optgroup and open that mode).
  const ids = await page
    .locator('[data-testid="lesson"] > option')
    .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(ids.length).toBeGreaterThanOrEqual(11);
  for (const id of ids.filter((x) => x !== 'beta-nll-fig7')) {
    // The lesson's first frame: a frame of its own run (the page opened on the first), drawn in every panel.
    if ((await page.getByTestId('lesson').inputValue()) !== id) {
      const before = await runOf(page);
      await page.evaluate((h) => (location.hash = h), `#v=2&lesson=${id}`);
      await expect(page.getByTestId('lesson')).toHaveValue(id);
      await expect.poll(() => runOf(page), { timeout: 60_000 }).toBeGreaterThan(before);
    }
    await expect
      .poll(
        async () =>
          page
            .locator('[data-testid^="panel-"]')
            .evaluateAll((ps) => ps.every((p) => Number(p.getAttribute('data-steps')) > 0)),
        { timeout: 60_000 },
      )
      .toBe(true);
    const progress = page.getByTestId('lesson-progress');
    await expect(progress).toHaveAttribute('data-verdict', /waiting|warm-up|shown|not-yet|not-shown/);
    await expect(page.getByTestId('progress-line')).toContainText(
      /the claim (shows by|is about) step [\d\u202f]+ — now at step/,
    );
    await expect(page.getByTestId('progress-verdict')).not.toBeEmpty();
    expect(await stepOf(page)).toBeGreaterThan(0);
    // A panel in its warm-up says so with its step; one past it never does (within a redraw of the frame).
    await expect.poll(() => phaseLabels(page), { timeout: 5000, message: id }).toEqual([]);
  }
  // Changing the setup says the claim may not hold, and offers the lesson back.
  await page.evaluate(() => (location.hash = '#v=2&lesson=no-outliers'));
  await expect(page.getByTestId('lesson')).toHaveValue('no-outliers');
  await page.getByRole('link', { name: 'Add 25 % outliers' }).click();
  await expect(page.getByTestId('lesson-progress')).toHaveAttribute('data-verdict', 'changed');
  await expect(page.getByTestId('lesson-progress')).toContainText('outlier rate 0 % → 25 %');
  await page.getByTestId('reopen-lesson').click();
  await expect(page.getByTestId('lesson-progress')).not.toHaveAttribute('data-verdict', 'changed');
  // The sweep lesson: its claim is on the sweep's cells, and the main run waits for it, saying why.
  await page.evaluate(() => (location.hash = '#v=2&lesson=beta-nll-fig7'));
  await expect(page.getByTestId('progress-line')).toContainText('the claim shows by step 4\u202f000');
  await expect(page.getByTestId('panel-0')).toContainText(/paused/);
  expect(errors).toEqual([]);
});
