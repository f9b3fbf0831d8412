// A model's own ω (ModelSpec.initScale): a sweep varies ω per cell, so one stack holds models of several ω.
import { describe, expect, it } from 'vitest';
import { modelSpec } from '../../src/core/config';
import type { Architecture } from '../../src/core/model';
import { modelSpecSchema } from '../../src/core/schema';
import { freshState } from '../../src/core/state';

const ARCH: Architecture = { hidden: [16, 16], activation: 'tanh', shared: true, varianceFloor: 1e-8 };
const arr = (a: Float32Array) => Array.from(a);

describe('per-model ω', () => {
  it('a model with its own ω starts exactly as in a run whose architecture has that ω; the others are untouched', () => {
    const specs = [
      modelSpec('nll', { id: 'a', initSeed: 3 }),
      modelSpec('nll', { id: 'b', initSeed: 4, initScale: 10 }),
      modelSpec('mse', { id: 'c', initSeed: 5 }),
    ];
    for (const archOmega of [undefined, 3]) {
      const arch = archOmega === undefined ? ARCH : { ...ARCH, initScale: archOmega };
      const mixed = freshState(arch, specs);
      const withTen = freshState({ ...ARCH, initScale: 10 }, [specs[1]]);
      const plain = freshState(arch, [specs[0], specs[2]]);
      expect(arr(mixed.models[1].params)).toEqual(arr(withTen.models[0].params));
      expect(arr(mixed.models[0].params)).toEqual(arr(plain.models[0].params));
      expect(arr(mixed.models[2].params)).toEqual(arr(plain.models[1].params));
      // And ω matters: the same seed without its own ω starts elsewhere.
      expect(arr(mixed.models[1].params)).not.toEqual(
        arr(freshState(arch, [{ ...specs[1], initScale: undefined }]).models[0].params),
      );
    }
  });

  it('the schema takes a model’s ω with the architecture’s bounds, [0.1, 100], and leaves it absent when absent', () => {
    const base = { ...modelSpec('nll', { id: 'm1' }) };
    expect('initScale' in modelSpecSchema.parse(base)).toBe(false);
    expect(modelSpecSchema.parse({ ...base, initScale: 30 }).initScale).toBe(30);
    for (const bad of [0, 0.05, 101, -3, NaN])
      expect(modelSpecSchema.safeParse({ ...base, initScale: bad }).success).toBe(false);
  });
});

describe('per-model ω in links', () => {
  it('a link carries a model’s own ω and gives it back', async () => {
    const { toHash, parseHash } = await import('../../src/app/urlState');
    const { DEFAULT_TRAIN } = await import('../../src/core/config');
    const { defaultDataSpec } = await import('../../src/core/datasets');
    const config = {
      data: defaultDataSpec('beta-sine'),
      models: [modelSpec('nll', { id: 'm1', initScale: 30 }), modelSpec('nll', { id: 'm2' })],
      train: DEFAULT_TRAIN,
    };
    const back = parseHash(toHash({ config }));
    expect(back.config.models[0].initScale).toBe(30);
    expect(back.config.models[1].initScale).toBeUndefined();
  });
});
