// A CPU shard in a Web Worker: every message goes to the shard, every reply back (buffers moved).
import { ShardHost, replyTransfer, type ShardRequest } from './shard';

const host = new ShardHost();
const scope = self as unknown as {
  onmessage: ((e: MessageEvent<ShardRequest>) => void) | null;
  postMessage: (msg: unknown, transfer: Transferable[]) => void;
};
scope.onmessage = (e) => {
  const reply = host.handle(e.data);
  if (reply) scope.postMessage(reply, replyTransfer(reply));
};
