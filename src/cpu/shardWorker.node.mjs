// A Node worker thread runs no TypeScript entry, even when its parent runs under tsx (execArgv's --import does not
// reach the thread's own entry): this plain module registers tsx's loader in the thread, then loads the shard.
import { register } from 'tsx/esm/api';

register();
await import('./shardWorker.node.ts');
