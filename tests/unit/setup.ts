import { beforeAll } from 'vitest';
import { useNodeBackend } from '../../src/platform/node';

// Each test file runs in its own worker with its own TensorFlow.js; engine tests switch to WASM themselves.
beforeAll(async () => {
  await useNodeBackend('cpu');
});
