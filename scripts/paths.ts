// The training paths a headless command can take (--backend): 'fused-cpu', the default, is the CPU trainer
// (WebAssembly SIMD on one worker thread per core) with tfjs on WASM for the snapshots; 'wasm', 'cpu' and
// 'webgpu' are the tfjs engine on that backend (webgpu: tfjs-backend-webgpu on Dawn); 'fused' is the WGSL kernel
// through Dawn (npm `webgpu`), for a machine with a GPU's Vulkan driver. A model a fused path does not cover
// trains on the engine.
import { enginePath, type PathFactory } from '../src/core/engine';
import { freshState } from '../src/core/state';
import { cpuModule, cpuWorkers, nodeShard } from '../src/cpu/node';
import { nodeGpuDevice } from '../src/fused/node';
import { useNodeBackend } from '../src/platform/node';
import { CpuPath } from '../src/worker/cpuPath';
import { FusedPath } from '../src/worker/fusedPath';

export const PATH_BACKENDS = ['fused-cpu', 'wasm', 'cpu', 'webgpu', 'fused'] as const;
export type PathBackend = (typeof PATH_BACKENDS)[number];

export function isPathBackend(v: unknown): v is PathBackend {
  return typeof v === 'string' && (PATH_BACKENDS as readonly string[]).includes(v);
}

/** Starts tfjs for `backend` and returns the factory of every run's path, and its name for the reports. */
export async function nodePaths(backend: PathBackend): Promise<{ makePath: PathFactory; label: string }> {
  if (backend === 'fused-cpu') {
    await useNodeBackend('wasm');
    const module = cpuModule();
    const workers = cpuWorkers();
    const makePath: PathFactory = (points, truth, specs, train, state) =>
      CpuPath.covers(specs, train, points.x.length)
        ? new CpuPath(points, truth, specs, train, state ?? freshState(train.architecture, specs), {
            module,
            spawn: nodeShard,
            workers,
          })
        : enginePath(points, truth, specs, train, state);
    return {
      makePath,
      label: `CPU trainer (WebAssembly SIMD, ${workers} worker thread${workers === 1 ? '' : 's'}; tfjs on WASM evaluates)`,
    };
  }
  if (backend === 'fused') {
    await useNodeBackend('webgpu');
    const device = await nodeGpuDevice();
    if (!device) throw new Error('--backend fused: Dawn found no adapter (set VK_ICD_FILENAMES to a Vulkan driver)');
    const makePath: PathFactory = (points, truth, specs, train, state) =>
      FusedPath.covers(specs, train, points.x.length)
        ? new FusedPath(device, points, truth, specs, train, state ?? freshState(train.architecture, specs))
        : enginePath(points, truth, specs, train, state);
    return { makePath, label: 'fused WGSL kernel (Dawn)' };
  }
  const name = await useNodeBackend(backend);
  return { makePath: enginePath, label: `tfjs engine on ${name}` };
}
