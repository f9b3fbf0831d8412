// npm run bench [-- --quick] [--tfjs-max-k N]: builds the app, serves it on localhost, drives headless Chromium and measures,
// in one run, the batched engine against K separate engines on every backend, and the full page's figures.
import { spawn } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config';
import { fusedTable, type FusedBenchRow } from '../src/bench/fusedBench';
import { pathPairTable, type PathPairRow } from '../src/bench/lessonBench';
import { endMeta, startMeta } from './meta';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'results/bench.json' },
    'tfjs-max-k': { type: 'string' },
  },
});
const quick = values.quick;
// How this file was made (command, commit, date, machine, load), as the other results record it.
const started = performance.now();
const meta = startMeta(
  `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  'every path, in headless Chromium',
);
const PORT = 4174;
const base = `http://localhost:${PORT}`;

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: 'inherit' });
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

await run('npx', ['vite', 'build', '--logLevel', 'warn']);
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { stdio: 'ignore' });
try {
  for (let i = 0; i < 50; i++) {
    try {
      if ((await fetch(base)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });

  // 1. The explorer as a person opens it: first step, long tasks, reads per second, JavaScript shipped.
  const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({
      type: 'longtask',
      buffered: true,
    });
  });
  const scripts = new Map<string, number>();
  page.on('response', async (r) => {
    if (r.url().endsWith('.js')) {
      try {
        scripts.set(r.url(), gzipSync(await r.body()).length);
      } catch {
        // A worker script's body may not be readable from the page; it is counted from dist below.
      }
    }
  });
  const t0 = Date.now();
  await page.goto(base);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="steps"]')?.textContent) > 0, null, {
    timeout: 180_000,
  });
  const firstStepMs = Date.now() - t0;
  await page.waitForTimeout(1000);
  const before = await page.evaluate(() => ({
    frames: (window as unknown as { explorer: { frames: number } }).explorer.frames,
    long: (window as unknown as { longTasks: number[] }).longTasks.length,
    steps: Number(document.querySelector('[data-testid="steps"]')?.textContent),
  }));
  const windowMs = 10_000;
  await page.waitForTimeout(windowMs);
  const after = await page.evaluate(() => ({
    frames: (window as unknown as { explorer: { frames: number } }).explorer.frames,
    tasks: (window as unknown as { longTasks: number[] }).longTasks,
    draws: (window as unknown as { explorer: { drawLog: { ms: number }[] } }).explorer.drawLog
      .slice(-200)
      .map((d) => d.ms),
    steps: Number(document.querySelector('[data-testid="steps"]')?.textContent),
    path: document.querySelector('[data-testid="path"]')?.textContent?.trim() ?? null,
  }));
  const draws = after.draws.sort((a, b) => a - b);
  const longTasks = after.tasks.slice(before.long);
  const pageFigures = {
    /** The training path the page picked on this machine, as its status line names it. */
    path: after.path,
    firstStepMs,
    readsPerSecond: (after.frames - before.frames) / (windowMs / 1000),
    uiStepsPerSecond: (after.steps - before.steps) / (windowMs / 1000),
    longTasks: longTasks.length,
    longestTaskMs: Math.max(0, ...longTasks),
    /** One Plotly redraw of one panel (they run one per animation frame). */
    medianRedrawMs: draws[Math.floor(draws.length / 2)] ?? null,
    jsGzipBytes: [...scripts.values()].reduce((a, b) => a + b, 0),
  };
  const userAgent = await page.evaluate(() => navigator.userAgent);
  await page.close();

  // 2. The engine against K separate engines, on each backend, on the benchmark page.
  const bench = await browser.newPage();
  bench.on('console', (m) => m.text().startsWith('bench:') && console.log(m.text()));
  await bench.goto(`${base}/bench.html`);
  await bench.waitForFunction(() => document.getElementById('log')?.textContent === 'ready');
  // The tfjs paths stop at K = 8 unless --tfjs-max-k says otherwise: at K = 64 on an emulated GPU one engine
  // step takes minutes. The fused kernel and the hand-written trainer run every K.
  const tfjsMaxK = Number(values['tfjs-max-k'] ?? 8);
  const opts = quick
    ? { backends: ['webgpu', 'wasm'], ks: [1, 8], ms: 2000, leakSteps: 200, tfjsMaxK, lessons: false }
    : {
        backends: ['webgpu', 'webgl', 'wasm', 'cpu'],
        ks: [1, 8, 64],
        ms: 3000,
        leakSteps: 9900,
        tfjsMaxK,
        lessons: true,
      };
  const result = await bench.evaluate(
    (o) => (window as unknown as { runBench: (o: unknown) => Promise<unknown> }).runBench(o),
    opts,
  );
  await browser.close();
  const { runs, fused, lessons, adapter, notes } = result as {
    fused: FusedBenchRow[];
    lessons: PathPairRow[];
    runs: {
      impl: string;
      backend: string;
      K: number;
      stepsPerSecond: number;
      kernelsPerStep: number | null;
      numTensors100: number | null;
      numTensorsLater: number | null;
      laterSteps: number | null;
    }[];
    adapter: string;
    notes: string[];
  };
  const out = {
    meta: endMeta(meta, started),
    date: new Date().toISOString(),
    quick,
    machine: { adapter, userAgent, cores: (await import('node:os')).cpus().length },
    page: pageFigures,
    runs,
    fused,
    lessons,
    notes,
  };
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, JSON.stringify(out, null, 1));

  const f = (v: number | null) => (v === null ? '–' : v >= 100 ? v.toFixed(0) : v.toFixed(2));
  console.log(
    `\n| impl | backend | K | steps/s (all K) | model-steps/s | kernels/step | tensors @100 | tensors later |\n|---|---|---|---|---|---|---|---|`,
  );
  for (const r of runs)
    console.log(
      `| ${r.impl} | ${r.backend} | ${r.K} | ${f(r.stepsPerSecond)} | ${f(r.stepsPerSecond * r.K)} | ${f(r.kernelsPerStep)} | ${f(r.numTensors100)} | ${r.numTensorsLater === null ? '–' : `${r.numTensorsLater} (@${r.laterSteps})`} |`,
    );
  for (const backend of new Set(runs.map((r) => r.backend))) {
    const e1 = runs.find((r) => r.impl === 'engine' && r.backend === backend && r.K === 1);
    const e8 = runs.find((r) => r.impl === 'engine' && r.backend === backend && r.K === 8);
    const n8 = runs.find((r) => r.impl === 'naive' && r.backend === backend && r.K === 8);
    if (e1 && e8 && n8)
      console.log(
        `${backend}: engine K=8 vs naive K=8: ${(e8.stepsPerSecond / n8.stepsPerSecond).toFixed(1)}× steps/s; kernels K=8 / K=1: ${((e8.kernelsPerStep ?? 0) / (e1.kernelsPerStep ?? 1)).toFixed(2)}×`,
      );
  }
  for (const K of new Set(runs.map((r) => r.K))) {
    const fusedRow = fused.find((r) => r.impl === 'fused' && r.arch === '1 × 50 ReLU' && r.K === K);
    const engine = runs.find((r) => r.impl === 'engine' && r.backend === 'webgpu' && r.K === K);
    const js = runs.find((r) => r.impl === 'js' && r.K === K);
    const parts = [
      fusedRow && engine
        ? `fused vs engine (webgpu) ${(fusedRow.stepsPerSecond / engine.stepsPerSecond).toFixed(1)}×`
        : '',
      fusedRow && js ? `fused vs js ${(fusedRow.stepsPerSecond / js.stepsPerSecond).toFixed(2)}×` : '',
    ].filter(Boolean);
    if (parts.length) console.log(`K=${K}: ${parts.join('; ')}`);
  }
  if (fused.length) console.log(`\nfused kernel (batch 256, NLL and Robust-NLL in turn):\n${fusedTable(fused)}`);
  if (lessons.length)
    console.log(
      `\neach lesson's own model set, fused kernel vs tfjs engine on the same WebGPU device:\n${pathPairTable(lessons)}`,
    );
  console.log(
    `\npage: first step ${pageFigures.firstStepMs} ms, ${pageFigures.readsPerSecond.toFixed(1)} reads/s, ${pageFigures.uiStepsPerSecond.toFixed(1)} steps/s with the full UI, ${pageFigures.longTasks} long tasks (> 50 ms) in 10 s (longest ${pageFigures.longestTaskMs.toFixed(0)} ms; median panel redraw ${pageFigures.medianRedrawMs?.toFixed(0)} ms), ${(pageFigures.jsGzipBytes / 1024).toFixed(0)} KiB of JavaScript (gzip) on first load`,
  );
  console.log(
    `adapter ${adapter}; ${notes.length ? `skipped: ${notes.join('; ')}` : 'every backend ran'}; wrote ${values.out}`,
  );
} finally {
  server.kill();
}
