// Issue 24's device-loss question, in the browser: a page check saw the panel RMSEs move 21.9 % between the last
// WebGPU frame and a frame after training resumed on WebGL. Here the device is destroyed mid-run on the default
// lesson's setup (window.explorer.loseDevice); the first frame on the next backend must be the last frame shown (the
// checkpoint each frame carries: θ, Adam's moments, τ, the counters), and training must go on from it.
import { expect, test, type Page } from '@playwright/test';
import { LESSONS } from '../../src/app/lessons';
import { toHash } from '../../src/app/urlState';

/**
 * The default lesson without its warm-up (400 + 400 steps, where all four models fit the same mean and show one
 * RMSE): its four losses differ from the first step, so each panel's RMSE is a check of its own.
 */
const LESSON = LESSONS[0].config;
const HASH = toHash({
  config: { ...LESSON, train: { ...LESSON.train, warmupMeanSteps: 0, warmupNllSteps: 0 } },
  lessonId: null,
});

type Logged = { step: number; backend: string; rmse: number[] };
interface Explorer {
  loseDevice: (moment?: string) => Promise<boolean>;
  frameLog: Logged[];
}

const steps = async (page: Page) => Number(await page.getByTestId('steps').textContent());
const frameLog = (page: Page) =>
  page.evaluate(() => (window as unknown as { explorer: Explorer }).explorer.frameLog.slice());
const relative = (a: number[], b: number[]) => Math.max(...a.map((v, k) => Math.abs(v - b[k]) / Math.abs(b[k])));

test('a lost WebGPU device: the first frame on the next backend equals the last one shown (RMSE to 1e-6), and training goes on 200 steps', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  // WebGPU forced (on this machine the page would pick the CPU trainer: SwiftShader is an emulation); after the
  // loss the CPU trainer takes over, on tfjs's WASM backend.
  await page.goto(`/?backend=webgpu${HASH}`);
  await expect(page.getByTestId('backend')).toHaveText('webgpu');
  await expect(page.getByTestId('path')).toHaveAttribute('data-path', 'fused');
  await expect.poll(() => steps(page), { timeout: 150_000 }).toBeGreaterThan(20);

  expect(await page.evaluate(() => (window as unknown as { explorer: Explorer }).explorer.loseDevice('now'))).toBe(
    true,
  );
  await expect(page.getByTestId('backend')).not.toHaveText('webgpu', { timeout: 60_000 });
  // The frame log keeps the last 64 frames: read it as soon as the first frame of the new backend is there.
  let log: Logged[] = [];
  await expect
    .poll(
      async () => {
        log = await frameLog(page);
        return log.some((f) => f.backend !== 'webgpu');
      },
      { timeout: 60_000, intervals: [100] },
    )
    .toBe(true);
  const first = log.findIndex((f) => f.backend !== 'webgpu');
  expect(first, 'the log holds the last WebGPU frame').toBeGreaterThan(0);
  const shown = log[first - 1];
  const handed = log[first];
  expect(shown.backend).toBe('webgpu');
  // The last frame shown and the first on the next backend: the same step, the same fit.
  expect(handed.step).toBe(shown.step);
  expect(new Set(shown.rmse).size, 'four different fits').toBe(shown.rmse.length);
  const moved = relative(handed.rmse, shown.rmse);
  expect(moved, `RMSE ${JSON.stringify(shown.rmse)} → ${JSON.stringify(handed.rmse)}`).toBeLessThanOrEqual(1e-6);

  // Training goes on from there on the new backend.
  let later: Logged | undefined;
  await expect
    .poll(
      async () => {
        later = (await frameLog(page)).find((f) => f.backend === handed.backend && f.step >= handed.step + 200);
        return later !== undefined;
      },
      { timeout: 150_000, intervals: [500] },
    )
    .toBe(true);
  console.log(
    `fail-over at step ${shown.step}: webgpu → ${handed.backend}; RMSE last shown ${JSON.stringify(shown.rmse)}, first on ${handed.backend} ${JSON.stringify(handed.rmse)} (largest relative change ${moved.toExponential(2)}); at step ${later!.step}: ${JSON.stringify(later!.rmse)} (${(100 * relative(later!.rmse, handed.rmse)).toFixed(1)} % from the hand-off, further training)`,
  );
  await expect(page.getByTestId('status-notice')).toContainText(
    `training continues on ${handed.backend} from step ${shown.step}`,
  );
  expect(errors).toEqual([]);
});
