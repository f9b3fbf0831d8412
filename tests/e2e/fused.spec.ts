// The fused WGSL kernel equals the tfjs engine: same seeds, same minibatches, same parameters.
import { expect, test } from '@playwright/test';

test('the fused kernel reaches the tfjs engine’s parameters after 20 steps (5 mean-only, 5 NLL, 10 own-loss) on the browser’s own device (every base loss, each wrapper)', async ({
  page,
}) => {
  await page.goto('/bench.html');
  await page.waitForFunction(() => document.getElementById('log')?.textContent === 'ready');
  const results = await page.evaluate(() =>
    (
      window as unknown as {
        fusedCheck: (steps: number) => Promise<{ loss: string; maxAbsDiff: number; maxAbs: number }[]>;
      }
    ).fusedCheck(20),
  );
  expect(results.map((r) => r.loss)).toEqual([
    'nll',
    'mse',
    'beta-nll',
    'student-t',
    'faithful',
    'moment-matching',
    'barron',
    'barron-adaptive',
    'robust-nll',
    'tilted-nll',
    'superloss-nll',
  ]);
  for (const r of results) {
    // Parameters are O(1); float32 sums in another order, amplified by Adam's normalisation, stay below 1e-3.
    expect(r.maxAbs, r.loss).toBeGreaterThan(0.1);
    expect(r.maxAbsDiff, r.loss).toBeLessThan(1e-3);
  }
});
