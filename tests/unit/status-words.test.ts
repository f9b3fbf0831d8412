// The status line's words: a sign of work from the first second, the path named generically, the speed once trained.
import { describe, expect, it } from 'vitest';
import { pathLabel, statusWords } from '../../src/core/statusMessages';

const s = (phase: string, backend: string | null, path = 'fused') => ({ phase, backend, path, message: null });

describe('status words', () => {
  it('says what the trainer does before the first step, counting the seconds', () => {
    expect(statusWords(s('starting', null), false, 0, 0.4)).toBe('starting the trainer…');
    expect(statusWords(s('training', 'webgpu'), false, 0, 3.2)).toBe('preparing the GPU (compiling kernels)… 3 s');
    // Long enough that the GPU is probably emulated: say so, and that it ends.
    expect(statusWords(s('training', 'webgpu'), false, 0, 12)).toMatch(/emulated GPU can take a minute/);
    expect(statusWords(s('compiling', 'wasm', 'tfjs'), false, 0, 2)).toBe(
      'preparing TensorFlow.js on wasm (no GPU in use) for the first steps… 2 s',
    );
  });

  it('names the path that trains and its speed once a step is done', () => {
    expect(statusWords(s('training', 'webgpu'), true, 365.2, 30)).toBe(
      'training on the fused WebGPU kernel at ~365 steps/s',
    );
    expect(statusWords(s('training', 'wasm', 'tfjs'), true, 4.26, 30)).toBe(
      'training on TensorFlow.js on wasm (no GPU in use) at ~4.3 steps/s',
    );
    expect(statusWords(s('paused', 'webgpu'), true, 0, 30)).toBe('paused; trains on the fused WebGPU kernel');
    expect(statusWords({ ...s('error', 'webgpu'), message: 'training stopped: x' }, true, 0, 30)).toBe(
      'training stopped: x',
    );
  });

  it('shows a path kind it has no label for by its own name', () => {
    expect(pathLabel('wasm-simd', 'wasm')).toBe('wasm-simd');
  });
});
