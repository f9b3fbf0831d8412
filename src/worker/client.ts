// The page's handle on the training worker.
import * as Comlink from 'comlink';
import type { TrainerApi, TrainerListener } from './protocol';

export type TrainerClient = Comlink.Remote<TrainerApi>;

export function createTrainer(): { trainer: TrainerClient; terminate: () => void } {
  const worker = new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: 'trainer' });
  return { trainer: Comlink.wrap<TrainerApi>(worker), terminate: () => worker.terminate() };
}

/** Listener callbacks cross the worker boundary as Comlink proxies. */
export function listen(listener: TrainerListener): TrainerListener {
  return Comlink.proxy(listener);
}
