// npm run bench:cpu [-- --ms N] [--out FILE]: the CPU trainer against the JS trainer, the tfjs engine on WASM and the
// WGSL kernel (Dawn; SwiftShader where there is no GPU), after a peak probe of this machine (src/bench/cpuBench.ts).
// Writes results/bench-cpu.json with the command, commit, date, machine and load.
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataSpec, makePoints } from '../src/core/datasets';
import {
  benchRow,
  CPU_BENCH_SHAPES,
  matrixFlops,
  PEAK_FLOPS_PER_ITER,
  type CpuBenchImpl,
  type CpuBenchRow,
  type PeakProbe,
} from '../src/bench/cpuBench';
import { cpuModule, cpuWorkers, nodeShard } from '../src/cpu/node';
import { probe } from '../src/cpu/shard';
import { nodeGpuDevice, preferSwiftShader } from '../src/fused/node';
import { useNodeBackend } from '../src/platform/node';

const { values } = parseArgs({
  options: { ms: { type: 'string', default: '3000' }, out: { type: 'string', default: 'results/bench-cpu.json' } },
});
const ms = Number(values.ms);
const loadBefore = loadavg();
await useNodeBackend('wasm');
preferSwiftShader();
const device = await nodeGpuDevice().catch(() => null);
const module = cpuModule();
const workers = cpuWorkers();
const points = makePoints(defaultDataSpec('hetero-sine'));

// The peak: the probe on this thread, then on every shard's worker at once.
const ITERS = 20_000_000;
const oneMs = probe(module, ITERS);
const probeAll = async (): Promise<number> => {
  const ports = Array.from({ length: workers }, () => nodeShard());
  const times = await Promise.all(
    ports.map(
      (port, i) =>
        new Promise<number>((resolve, reject) => {
          port.listen(
            (r) => (r.ok && r.probeMs !== undefined ? resolve(r.probeMs) : reject(new Error('probe failed'))),
            (m) => reject(new Error(m)),
          );
          port.post({ kind: 'probe', id: i + 1, module, iters: ITERS });
        }),
    ),
  );
  ports.forEach((p) => p.terminate());
  return times.reduce((a, t) => a + (ITERS * PEAK_FLOPS_PER_ITER) / (t / 1000), 0);
};
const peak: PeakProbe = {
  oneCore: (ITERS * PEAK_FLOPS_PER_ITER) / (oneMs / 1000),
  allCores: await probeAll(),
  workers,
};
console.log(
  `peak probe: ${(peak.oneCore / 1e9).toFixed(1)} GFLOP/s on one core, ${(peak.allCores / 1e9).toFixed(1)} GFLOP/s on ${workers} at once`,
);

const rows: CpuBenchRow[] = [];
const impls: CpuBenchImpl[] = ['cpu-trainer', 'js', 'tfjs-wasm', 'wgsl'];
for (const shape of Object.keys(CPU_BENCH_SHAPES)) {
  const { arch, batch } = CPU_BENCH_SHAPES[shape];
  const flops = matrixFlops(arch, batch);
  for (const K of [1, 8, 64]) {
    for (const impl of impls) {
      if (impl === 'wgsl' && !device) continue;
      const rate = await benchRow({ points, module, spawn: nodeShard, workers, device }, impl, shape, K, ms);
      const row = {
        impl,
        shape,
        K,
        modelStepsPerSecond: rate,
        flopsPerModelStep: flops,
        peakShare: (rate * flops) / peak.allCores,
      };
      rows.push(row);
      console.log(
        `${shape} K=${K} ${impl}: ${rate.toFixed(rate >= 100 ? 0 : 2)} model-steps/s (${(100 * row.peakShare).toFixed(1)} % of the all-core peak)`,
      );
    }
  }
}
const ratio = (shape: string, K: number, impl: CpuBenchImpl) => {
  const a = rows.find((r) => r.impl === 'cpu-trainer' && r.shape === shape && r.K === K);
  const b = rows.find((r) => r.impl === impl && r.shape === shape && r.K === K);
  return a && b ? a.modelStepsPerSecond / b.modelStepsPerSecond : NaN;
};
const targets = {
  '1 × 50 ReLU, K = 64: CPU / JS ≥ 3': ratio('1 × 50 ReLU', 64, 'js'),
  '1 × 50 ReLU, K = 64: CPU / tfjs-wasm ≥ 30': ratio('1 × 50 ReLU', 64, 'tfjs-wasm'),
  '1 × 50 ReLU, K = 64: share of the all-core peak ≥ 0.25':
    rows.find((r) => r.impl === 'cpu-trainer' && r.shape === '1 × 50 ReLU' && r.K === 64)?.peakShare ?? NaN,
  '2 × 128 tanh, K = 8: CPU / JS ≥ 3': ratio('2 × 128 tanh', 8, 'js'),
};
for (const [t, v] of Object.entries(targets)) console.log(`${t}: ${v.toFixed(2)}`);
const info = device ? (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo : null;
const commit = (() => {
  try {
    return execSync('git rev-parse --short HEAD').toString().trim();
  } catch {
    return 'unknown';
  }
})();
const result = {
  command: `npm run bench:cpu -- --ms ${ms}`,
  commit,
  date: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    gpuAdapter: info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : 'none',
  },
  load: { before: loadBefore, after: loadavg() },
  peak,
  rows,
  targets,
};
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `wrote ${values.out}; load ${loadBefore.map((l) => l.toFixed(1)).join(' ')} → ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
process.exit(0);
