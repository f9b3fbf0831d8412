// The benchmark page: the batched engine against K separate engines, on each backend, in one page.
import { DEFAULT_TRAIN, modelSpec } from '../core/config';
import { defaultDataSpec, makePoints } from '../core/datasets';
import { Engine } from '../core/engine';
import { freshState } from '../core/state';
import { tf } from '../core/tf';
import { initBackend, webgpuDevice, type BackendName } from '../platform/browser';
import { FusedTrainer } from '../fused/fused';
import { JsTrainer } from './jsTrainer';
import { fusedBench, type FusedBenchRow } from './fusedBench';
import { pathPairRows, type PathPairRow } from './lessonBench';

export interface BenchRun {
  impl: 'naive' | 'engine' | 'fused' | 'js';
  backend: BackendName;
  K: number;
  stepsPerSecond: number;
  kernelsPerStep: number | null;
  numTensors100: number | null;
  numTensorsLater: number | null;
  laterSteps: number | null;
}

const spec = defaultDataSpec('hetero-sine');
const points = makePoints(spec);
const train = { ...DEFAULT_TRAIN, warmupMeanSteps: 0, warmupNllSteps: 0 };
const models = (k: number) =>
  Array.from({ length: k }, (_, i) =>
    modelSpec(i % 2 ? 'robust-nll' : 'nll', { id: `m${i + 1}`, T: 16, initSeed: i + 1 }),
  );

/** Waits for the device to finish what was enqueued: one tiny read. */
async function sync(): Promise<void> {
  const t = tf.zeros([1]);
  await t.data();
  t.dispose();
}

/** Steps per second of `step`, run for about `ms` after a compile-and-warm pass. */
async function rate(step: () => void, ms: number): Promise<number> {
  // A configuration too slow to loop (K = 64 on an emulated GPU) is timed from its second step alone.
  const t0 = performance.now();
  step();
  await sync();
  const t1 = performance.now();
  step();
  await sync();
  const second = performance.now() - t1;
  if (t1 - t0 > ms || second > ms / 5) return 1000 / second;
  // Warm-up: the first steps compile shaders (and the warm-up phases switch shapes of work).
  for (let i = 0; i < 5; i++) step();
  await sync();
  let n = 0;
  const t2 = performance.now();
  while (performance.now() - t2 < ms) {
    step();
    n++;
    if (n % 5 === 0) await sync();
  }
  await sync();
  return n / ((performance.now() - t2) / 1000);
}

async function measure(backend: BackendName, k: number, ms: number, leakSteps: number): Promise<BenchRun[]> {
  const out: BenchRun[] = [];
  const engine = new Engine(points, spec, models(k), train);
  const stepsPerSecond = await rate(() => engine.run(1), ms);
  const profile = await tf.profile(() => engine.run(1));
  // The leak check runs at K = 1 (a larger K builds the same graph) where steps are cheap enough: WASM for
  // the full count, WebGPU for at most 500 (SwiftShader runs a few engine steps per second).
  let numTensors100: number | null = null;
  let numTensorsLater: number | null = null;
  const later = backend === 'wasm' ? leakSteps : Math.min(leakSteps, 500);
  if (k === 1 && (backend === 'webgpu' || backend === 'wasm')) {
    engine.run(100);
    await engine.snapshot();
    numTensors100 = tf.memory().numTensors;
    engine.run(later);
    await engine.snapshot();
    numTensorsLater = tf.memory().numTensors;
  }
  out.push({
    impl: 'engine',
    backend,
    K: k,
    stepsPerSecond,
    kernelsPerStep: profile.kernels.length,
    numTensors100,
    numTensorsLater,
    laterSteps: numTensorsLater === null ? null : later + 100,
  });
  engine.dispose();
  if (k <= 8) {
    const separate = models(k).map((m) => new Engine(points, spec, [m], train));
    const naive = await rate(() => separate.forEach((e) => e.run(1)), ms);
    const p = await tf.profile(() => separate.forEach((e) => e.run(1)));
    out.push({
      impl: 'naive',
      backend,
      K: k,
      stepsPerSecond: naive,
      kernelsPerStep: p.kernels.length,
      numTensors100: null,
      numTensorsLater: null,
      laterSteps: null,
    });
    separate.forEach((e) => e.dispose());
  }
  return out;
}

async function runBench(opts: {
  backends: BackendName[];
  ks: number[];
  ms: number;
  leakSteps: number;
  tfjsMaxK: number;
  lessons: boolean;
}): Promise<{ runs: BenchRun[]; fused: FusedBenchRow[]; lessons: PathPairRow[]; adapter: string; notes: string[] }> {
  const runs: BenchRun[] = [];
  const fused: FusedBenchRow[] = [];
  const lessons: PathPairRow[] = [];
  const notes: string[] = [];
  let adapter = 'none';
  try {
    const a = await navigator.gpu?.requestAdapter();
    const info = (a as unknown as { info?: Record<string, string> } | null)?.info;
    if (info)
      adapter = JSON.stringify({
        vendor: info.vendor,
        architecture: info.architecture,
        device: info.device,
        description: info.description,
      });
  } catch {
    // No WebGPU adapter: the table says so.
  }
  // The hand-written trainer needs no backend: measured once per K.
  for (const k of opts.ks) {
    const js = new JsTrainer(points, models(k), train);
    js.run(2);
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < opts.ms) {
      js.run(1);
      n++;
    }
    runs.push({
      impl: 'js',
      backend: 'cpu',
      K: k,
      stepsPerSecond: n / ((performance.now() - t0) / 1000),
      kernelsPerStep: null,
      numTensors100: null,
      numTensorsLater: null,
      laterSteps: null,
    });
  }
  for (const backend of opts.backends) {
    try {
      await initBackend(backend);
    } catch (err) {
      notes.push(`${backend}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    for (const k of opts.ks) {
      console.log(`bench: ${backend}, K = ${k}`);
      if (k <= opts.tfjsMaxK) runs.push(...(await measure(backend, k, opts.ms, opts.leakSteps)));
      else if (!notes.some((n) => n.startsWith(`tfjs K = ${k}`)))
        notes.push(`tfjs K = ${k}: not measured (above tfjsMaxK = ${opts.tfjsMaxK})`);
    }
    // The fused kernel's rows (K = 1, 8, 64 on both shapes, the JS trainer beside them) on tfjs's own device.
    if (backend === 'webgpu') fused.push(...(await fusedBench(gpuDevice(), points, opts.ms, console.log)));
    // Each lesson's own model set, fused against the tfjs engine on the same device.
    if (backend === 'webgpu' && opts.lessons)
      lessons.push(...(await pathPairRows(gpuDevice(), opts.ms, console.log, ['lesson:'])));
  }
  return { runs, fused, lessons, adapter, notes };
}

function gpuDevice(): GPUDevice {
  const device = webgpuDevice();
  if (!device) throw new Error('the fused path needs the webgpu backend');
  return device;
}

/**
 * The fused kernel against the tfjs engine on the same device: same seeds, same minibatches, `steps` steps
 * through the warm-up into each loss; the largest parameter difference per loss. (Every loss, wrapper and
 * architecture is checked in Node: tests/unit/fused-equality.test.ts; this checks the browser's own device.)
 */
async function fusedCheck(steps = 20): Promise<{ loss: string; maxAbsDiff: number; maxAbs: number }[]> {
  await initBackend('webgpu');
  const losses = [
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
  ];
  const specs = losses.map((l, i) =>
    modelSpec(l, { id: `m${i + 1}`, T: 4, beta: 0.5, alpha: l === 'barron' ? 0 : 1, c: 1, initSeed: i + 1 }),
  );
  const settings = { ...train, warmupMeanSteps: 5, warmupNllSteps: 5 };
  const engine = new Engine(points, spec, specs, settings);
  engine.run(steps);
  const reference = (await engine.exportState()).models.map((m) => m.params);
  engine.dispose();
  const fused = new FusedTrainer(gpuDevice(), points, specs, settings, freshState(settings.architecture, specs));
  fused.run(steps);
  const ours = (await fused.readState()).models.map((m) => m.params);
  fused.dispose();
  return losses.map((loss, k) => {
    let maxAbsDiff = 0;
    let maxAbs = 0;
    reference[k].forEach((v, i) => {
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(v - ours[k][i]));
      maxAbs = Math.max(maxAbs, Math.abs(v));
    });
    return { loss, maxAbsDiff, maxAbs };
  });
}

(window as unknown as { runBench: typeof runBench; fusedCheck: typeof fusedCheck }).runBench = runBench;
(window as unknown as { fusedCheck: typeof fusedCheck }).fusedCheck = fusedCheck;
document.getElementById('log')!.textContent = 'ready';
