// The CPU trainer in the browser: its module fetched and compiled once, and shards on nested Web Workers
// (navigator.hardwareConcurrency of them at most). Workers need no cross-origin isolation: nothing is shared,
// every shard owns its memory and answers by message.
import wasmUrl from './trainer.wasm?url';
import type { ShardPort, SpawnShard } from './trainer';
import type { ShardReply } from './shard';

let compiled: Promise<WebAssembly.Module> | null = null;

/** The compiled module; streaming where the server sends application/wasm, from the bytes otherwise. */
export function browserCpuModule(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const response = await fetch(wasmUrl);
    if (!response.ok) throw new Error(`the CPU trainer's module did not load (HTTP ${response.status})`);
    if (
      typeof WebAssembly.compileStreaming === 'function' &&
      response.headers.get('content-type')?.includes('application/wasm')
    )
      return WebAssembly.compileStreaming(response);
    return WebAssembly.compile(await response.arrayBuffer());
  })();
  compiled.catch(() => (compiled = null));
  return compiled;
}

/** Shards for a run here: one per logical core the browser reports but one (2 when it does not say), at least 1 and at
 * most 8. The core left over keeps the page (drawing, sliders) and the snapshots' evaluation responsive: with a shard
 * on every core of this project's 2-core machine, main-thread tasks reached 600 ms while the default lesson trained. */
export function browserWorkers(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0;
  return Math.max(1, Math.min(8, (Number.isInteger(n) && n > 0 ? n : 2) - 1));
}

export const browserShard: SpawnShard = (): ShardPort => {
  const worker = new Worker(new URL('./shard.worker.ts', import.meta.url), { type: 'module' });
  return {
    post: (msg, transfer) => worker.postMessage(msg, transfer ?? []),
    listen: (onReply, onError) => {
      worker.onmessage = (e: MessageEvent<ShardReply>) => onReply(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        onError(e.message || 'the worker failed to load');
      };
    },
    terminate: () => worker.terminate(),
  };
};
