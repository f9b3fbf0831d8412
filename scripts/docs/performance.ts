// docs/performance.md: the current figures of each training path, from the committed bench and soak files alone
// (results/bench-cpu.json, bench.json, soak.json, soak-cpu.json). One figure set per path; history is in git.
import { markdownTable } from '../report';
import {
  fromMeta,
  generatedNote,
  provenanceLine,
  type BenchCpu,
  type BenchPage,
  type Provenance,
  type Results,
  type Soak,
} from './results';

const rate = (v: number | undefined) =>
  v === undefined || !Number.isFinite(v) ? '–' : v >= 100 ? v.toFixed(0) : v.toPrecision(3);
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;

const CPU_IMPLS: Record<string, string> = {
  'cpu-trainer': 'CPU trainer (AssemblyScript, SIMD, worker threads)',
  js: 'hand-written Float32Array trainer (one thread)',
  'tfjs-wasm': 'tfjs engine on WASM',
  wgsl: 'fused WGSL kernel (Dawn in Node)',
};

function benchCpu(b: BenchCpu): string[] {
  const shapes = [...new Set(b.rows.map((r) => r.shape))];
  const ks = [...new Set(b.rows.map((r) => r.K))];
  const impls = [...new Set(b.rows.map((r) => r.impl))];
  const at = (impl: string, shape: string, K: number) =>
    b.rows.find((r) => r.impl === impl && r.shape === shape && r.K === K);
  return [
    '## The CPU trainer against the other paths, in Node',
    provenanceLine({
      file: 'results/bench-cpu.json',
      command: b.command,
      commit: b.commit,
      date: b.date,
      machine: `${b.machine.cores} × ${b.machine.cpu}; GPU adapter ${b.machine.gpuAdapter}`,
      load: { start: b.load.before[0], end: b.load.after[0] },
    }),
    `Model-steps per second (steps of all K models together × K), and the CPU trainer's share of this machine's peak (a probe of ${(b.peak.allCores / 1e9).toFixed(1)} GFLOP/s on ${b.peak.workers} workers, ${(b.peak.oneCore / 1e9).toFixed(1)} on one core).`,
    markdownTable({
      caption: '',
      header: ['network', 'K', ...impls.map((i) => CPU_IMPLS[i] ?? i), 'CPU trainer, share of peak'],
      rows: shapes.flatMap((s) =>
        ks.map((K) => [
          s,
          K,
          ...impls.map((i) => rate(at(i, s, K)?.modelStepsPerSecond)),
          pct(at('cpu-trainer', s, K)?.peakShare ?? NaN),
        ]),
      ),
    }),
    markdownTable({
      caption: 'Its targets:',
      header: ['target', 'measured', 'met'],
      rows: Object.entries(b.targets).map(([t, v]) => {
        const bound = Number(/≥ ([\d.]+)$/.exec(t)?.[1]);
        return [t, v.toFixed(2), Number.isFinite(bound) ? (v >= bound ? 'yes' : '**no**') : '–'];
      }),
    }),
  ];
}

/** The bench page records its adapter as JSON text ({"vendor":…,"architecture":…}); its name in words. */
function adapterName(text: string): string {
  try {
    const a = JSON.parse(text) as Record<string, string>;
    return [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' ');
  } catch {
    return text;
  }
}

function benchPage(b: BenchPage): string[] {
  const browser = `WebGPU adapter ${adapterName(b.machine.adapter)}; ${/HeadlessChrome\/[\d.]+/.exec(b.machine.userAgent)?.[0] ?? b.machine.userAgent}`;
  const p: Provenance = b.meta
    ? { ...fromMeta('results/bench.json', b.meta), machine: `${fromMeta('', b.meta).machine}; ${browser}` }
    : { file: 'results/bench.json', date: b.date, machine: `${b.machine.cores} cores; ${browser}` };
  const paths = [...new Set(b.runs.map((r) => `${r.impl}\u0000${r.backend}`))];
  const ks = [...new Set(b.runs.map((r) => r.K))].sort((x, y) => x - y);
  const pg = b.page;
  return [
    '## Every path in the browser',
    provenanceLine(p) + (b.quick ? ' Quick run.' : ''),
    'K models of the Robust-NLL Fig. 1 setting (1 → 50 ReLU → μ, σ², batch 256, Adam). naive: K separate tfjs engines; engine: one batched tfjs graph; js: a hand-written Float32Array trainer on the main thread. Steps per second of all K models together.',
    markdownTable({
      caption: '',
      header: ['path', 'backend', ...ks.map((K) => `K = ${K} steps/s`), 'kernels per step'],
      rows: paths.map((key) => {
        const [impl, backend] = key.split('\u0000');
        const runs = b.runs.filter((r) => r.impl === impl && r.backend === backend);
        const kernels = [...new Set(runs.map((r) => r.kernelsPerStep).filter((v) => v !== null))];
        return [
          impl,
          backend,
          ...ks.map((K) => rate(runs.find((r) => r.K === K)?.stepsPerSecond)),
          kernels.length ? kernels.join(' / ') : '–',
        ];
      }),
    }),
    ...(b.notes.length ? [`Notes of the run: ${b.notes.join('; ')}.`] : []),
    ...(b.fused?.length
      ? [
          markdownTable({
            caption:
              'The fused WGSL kernel on the same WebGPU adapter, beside the hand-written trainer (batch 256, NLL and Robust-NLL in turn), in model-steps per second (steps of all K models × K):',
            header: ['network', 'K', 'path', 'model-steps/s', 'steps per dispatch'],
            rows: b.fused.map((r) => [r.arch, r.K, r.impl, rate(r.modelStepsPerSecond), r.stepsPerDispatch ?? '–']),
          }),
        ]
      : []),
    ...(b.lessons?.length
      ? [
          markdownTable({
            caption:
              "Each lesson's own models on the same adapter: the fused kernel against the tfjs engine, steps per second of the whole run:",
            header: ['lesson', 'K', 'fused steps/s', 'fused steps per read', 'tfjs steps/s', 'fused / tfjs'],
            rows: b.lessons.map((l) => [
              l.name.replace(/^lesson: /, ''),
              l.K,
              rate(l.fused.stepsPerSecond),
              rate(l.fused.stepsPerRead),
              rate(l.tfjs.stepsPerSecond),
              `${rate(l.fused.stepsPerSecond / l.tfjs.stepsPerSecond)}×`,
            ]),
          }),
        ]
      : []),
    markdownTable({
      caption: 'The explorer itself, default lesson, full page, on the path it picked here:',
      header: [
        'path',
        'first training step',
        'steps/s',
        'reads/s',
        'median redraw',
        'tasks over 50 ms (10 s)',
        'longest task',
        'JavaScript (gzip)',
      ],
      rows: [
        [
          pg.path ?? 'not recorded',
          `${(pg.firstStepMs / 1000).toFixed(1)} s`,
          rate(pg.uiStepsPerSecond),
          rate(pg.readsPerSecond),
          `${pg.medianRedrawMs.toFixed(0)} ms`,
          pg.longTasks,
          `${pg.longestTaskMs} ms`,
          `${Math.round(pg.jsGzipBytes / 1024)} KiB`,
        ],
      ],
    }),
  ];
}

function soakProvenance(file: string, s: Soak): Provenance {
  return s.meta
    ? fromMeta(file, s.meta)
    : {
        file,
        date: s.date,
        machine: `${s.cores} cores; ${s.adapter}`,
        load:
          s.loadAverageAtStart === undefined ? undefined : { start: s.loadAverageAtStart, end: s.soak?.loadAverage },
      };
}

function soaks(list: { file: string; s: Soak }[]): string[] {
  const col = (f: (s: Soak) => string | number) => list.map(({ s }) => f(s));
  const r = (s: Soak, f: (x: NonNullable<Soak['soak']>['readings'][number]) => number | null) =>
    s.soak?.readings.map((x) => (f(x) === null ? '–' : Number(f(x)!.toFixed(1)))).join(' / ') ?? '–';
  const lost = (s: Soak) =>
    s.losses.length
      ? `${s.losses.length} (to ${[...new Set(s.losses.map((l) => l.backend))].join(', ')}); worst RMSE change ${Math.max(...s.losses.map((l) => l.worstRmseChange))}; training went on within ${Math.max(...s.losses.map((l) => l.continuedInS)).toFixed(0)} s`
      : 'none run';
  return [
    '## The soak: a long run in the browser, and lost devices',
    'A long run with frames and random live slider moves: tfjs tensors, live GPU buffers and JS heaps after a GC at three readings (baseline, a tenth of the run, the end; the soak fails if a tensor or GPU buffer is added, or a heap grows by over 10 % and 2 MB from the second reading to the last); then the GPU device lost at random moments, each on a fresh page.',
    ...list.map(({ file, s }) => provenanceLine(soakProvenance(file, s))),
    markdownTable({
      caption: '',
      header: ['', ...list.map(({ file }) => `\`${file}\``)],
      rows: [
        ['path', ...col((s) => s.soak?.pathLabel ?? s.soak?.path ?? s.path ?? 'not recorded')],
        ['steps, seconds', ...col((s) => (s.soak ? `${s.soak.steps}, ${s.soak.seconds.toFixed(0)} s` : '–'))],
        ['steps/s', ...col((s) => rate(s.soak?.stepsPerSecond))],
        ['slider moves', ...col((s) => s.soak?.moves ?? '–')],
        ['at steps', ...col((s) => r(s, (x) => x.step))],
        ['tfjs tensors', ...col((s) => r(s, (x) => x.numTensors))],
        ['live GPU buffers', ...col((s) => r(s, (x) => x.gpuBuffers))],
        ['page heap (MB)', ...col((s) => r(s, (x) => x.pageHeapMB))],
        ['worker heap (MB)', ...col((s) => r(s, (x) => x.workerHeapMB))],
        ['flat', ...col((s) => (s.soak ? (s.soak.flat ? 'yes' : '**no**') : '–'))],
        [
          'main-thread tasks over 50 / 100 ms, longest, share of time',
          ...col((s) =>
            s.soak
              ? `${s.soak.longTasks.over50} / ${s.soak.longTasks.over100}, ${s.soak.longTasks.longestMs} ms, ${pct(s.soak.longTasks.share)}`
              : '–',
          ),
        ],
        ['lost devices', ...col(lost)],
        ['failed checks', ...col((s) => (s.failed.length ? s.failed.join('; ') : 'none'))],
      ],
    }),
  ];
}

export function performancePage(results: Results): string {
  const soakFiles = [
    ...(results.soak ? [{ file: 'results/soak.json', s: results.soak }] : []),
    ...(results.soakCpu ? [{ file: 'results/soak-cpu.json', s: results.soakCpu }] : []),
  ];
  const out = [
    generatedNote('results/bench-cpu.json, results/bench.json, results/soak.json and results/soak-cpu.json'),
    '# Performance',
    'The current figures of each training path, each on the machine it ran on, with the date and the load average: a figure from a small machine shared with other jobs means little without them. Where a file does not record something, it says "not recorded". Rerun a bench (`npm run bench:cpu`, `npm run bench`, `npm run soak [-- --path cpu]`), commit its JSON under results/, then `npm run docs`; earlier figures are in git history. Which path trains where is in [architecture.md](architecture.md).',
    ...(results.benchCpu ? benchCpu(results.benchCpu) : []),
    ...(results.bench ? benchPage(results.bench) : []),
    ...(soakFiles.length ? soaks(soakFiles) : []),
  ];
  return `${out.join('\n\n')}\n`;
}
