// npm run bench:fused [-- --ms N] [--paths] [--only TEXT[,TEXT…]] [--out FILE]: the fused kernel in Node through
// Dawn (a GPU's Vulkan driver, else SwiftShader), no build and no browser.
//   default: fused at K = 1, 8, 64 on 1 × 50 ReLU and 2 × 128 tanh against the hand-written JS trainer;
//   --paths: fused against the tfjs engine on tfjs-backend-webgpu on the same Dawn device, at K = 1, 8, 64 and
//            for every lesson's own model set (rows whose name contains one of --only's texts).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { defaultDataSpec, makePoints } from '../src/core/datasets';
import { fusedBench, fusedTable } from '../src/bench/fusedBench';
import { pathPairRows, pathPairTable } from '../src/bench/lessonBench';
import { nodeGpuDevice, preferSwiftShader } from '../src/fused/node';
import { useNodeBackend } from '../src/platform/node';

const { values } = parseArgs({
  options: {
    ms: { type: 'string', default: '3000' },
    paths: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const ms = Number(values.ms);
preferSwiftShader();
const device = await nodeGpuDevice();
const info = device ? (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo : null;
const adapter = info ? `${info.vendor} ${info.architecture} ${info.description}`.trim() : 'none';
const points = makePoints(defaultDataSpec('hetero-sine'));
const result: Record<string, unknown> = { adapter, cpus: cpus().length, ms };
if (values.paths) {
  if (!device) {
    console.error('--paths needs a WebGPU adapter: Dawn found none (set VK_ICD_FILENAMES to a Vulkan driver)');
    process.exit(1);
  }
  await useNodeBackend('webgpu');
  const rows = await pathPairRows(device, ms, console.log, values.only?.split(','));
  console.log(`\n${pathPairTable(rows)}`);
  result.paths = rows;
} else {
  const rows = await fusedBench(device, points, ms, console.log);
  console.log(`\n${fusedTable(rows)}`);
  result.fused = rows;
}
console.log(`adapter: ${adapter}; ${cpus().length} CPU cores; default data N = ${points.x.length}`);
if (values.out) writeFileSync(values.out, JSON.stringify(result, null, 2));
process.exit(0);
