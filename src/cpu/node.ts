// The CPU trainer in Node: its module read from disk (built by scripts/build-cpu.ts) and its shards on worker
// threads, one per core (os.availableParallelism()).
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ShardPort, SpawnShard } from './trainer';

let compiled: WebAssembly.Module | null = null;

/** The compiled module (once per process). */
export function cpuModule(): WebAssembly.Module {
  if (compiled) return compiled;
  const file = fileURLToPath(new URL('./trainer.wasm', import.meta.url));
  if (!existsSync(file)) throw new Error(`the CPU trainer's module is missing (${file}): run \`npm run build:cpu\``);
  compiled = new WebAssembly.Module(readFileSync(file));
  return compiled;
}

/** Shards a run should use here: one per core. */
export function cpuWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** A shard on a worker thread; the worker loads its TypeScript entry through tsx (shardWorker.node.mjs). */
export const nodeShard: SpawnShard = (): ShardPort => {
  const worker = new Worker(new URL('./shardWorker.node.mjs', import.meta.url));
  let ended = false;
  return {
    post: (msg, transfer) => worker.postMessage(msg, transfer as never),
    listen: (onReply, onError) => {
      worker.on('message', onReply);
      worker.on('error', (err) => onError(err.message));
      worker.on('exit', (code) => {
        if (!ended) onError(`the worker thread exited (code ${code})`);
      });
    },
    terminate: () => {
      ended = true;
      void worker.terminate();
    },
  };
};
