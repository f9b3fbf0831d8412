// A CPU shard on a Node worker thread: every message goes to the shard, every reply back (buffers moved).
import { parentPort } from 'node:worker_threads';
import { ShardHost, replyTransfer, type ShardRequest } from './shard';

const host = new ShardHost();
parentPort?.on('message', (msg: ShardRequest) => {
  const reply = host.handle(msg);
  if (reply) parentPort?.postMessage(reply, replyTransfer(reply));
});
