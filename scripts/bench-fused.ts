// npm run bench:fused [-- --ms N]: the fused kernel's rows in Node through Dawn (a GPU's Vulkan driver, else
// SwiftShader), against the hand-written JS trainer; no build and no browser.
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { defaultDataSpec, makePoints } from '../src/core/datasets';
import { fusedBench, fusedTable } from '../src/bench/fusedBench';
import { nodeGpuDevice, preferSwiftShader } from '../src/fused/node';

const { values } = parseArgs({ options: { ms: { type: 'string', default: '3000' } } });
preferSwiftShader();
const device = await nodeGpuDevice();
const info = device ? (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo : null;
const points = makePoints(defaultDataSpec('hetero-sine'));
const rows = await fusedBench(device, points, Number(values.ms), console.log);
console.log(`\n${fusedTable(rows)}`);
console.log(`adapter: ${info ? `${info.vendor} ${info.architecture} ${info.description}` : 'none (JS rows only)'}; ${cpus().length} CPU cores; batch 256, N = ${points.x.length}`);
process.exit(0);
