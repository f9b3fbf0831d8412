// The first layer's spread initialisation (Architecture.initScale = ω): absent, the weights are today's.
import { describe, expect, it } from 'vitest';
import {
  INIT_INPUT_RANGE,
  initModel,
  paramLayout,
  type Architecture,
  ZERO_BIAS_ARCHITECTURE,
} from '../../src/core/model';
import { trainSettingsSchema } from '../../src/core/schema';
import { DEFAULT_TRAIN } from '../../src/core/config';

const ARCH: Architecture = { hidden: [64, 64], activation: 'tanh', shared: false, varianceFloor: 1e-8 };
const byName = (arch: Architecture, seed: number) => {
  const names = paramLayout(arch, 1).names;
  const values = initModel(arch, seed);
  return Object.fromEntries(names.map((n, i) => [n, values[i]]));
};
const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('initScale', () => {
  it('absent or undefined: He/Glorot weights and zero biases, exactly as before', () => {
    const a = byName(ARCH, 7);
    const b = byName({ ...ARCH, initScale: undefined }, 7);
    for (const k of Object.keys(a)) expect(Array.from(b[k])).toEqual(Array.from(a[k]));
    expect(maxAbs(a['mean.b0'])).toBe(0);
    expect(maxAbs(a['mean.W0'])).toBeLessThanOrEqual(Math.sqrt(6 / 65));
  });

  it('ω spreads the first layer of both towers: W in ±ω, biases in ±ω·√3, kinks spread over the inputs; later layers keep Glorot', () => {
    const omega = 10;
    const p = byName({ ...ARCH, initScale: omega }, 7);
    for (const t of ['mean.', 'var.']) {
      const w = p[`${t}W0`];
      const b = p[`${t}b0`];
      expect(maxAbs(w)).toBeLessThanOrEqual(omega);
      expect(maxAbs(w)).toBeGreaterThan(omega / 2);
      expect(maxAbs(b)).toBeLessThanOrEqual(omega * INIT_INPUT_RANGE);
      expect(maxAbs(b)).toBeGreaterThan(omega);
      // Kinks −b/W: many distinct ones, a good share inside the standardised data range ±√3.
      const kinks = Array.from(w, (wi, i) => -b[i] / wi);
      expect(kinks.filter((x) => Math.abs(x) <= INIT_INPUT_RANGE).length).toBeGreaterThan(w.length / 3);
      expect(maxAbs(p[`${t}W1`])).toBeLessThanOrEqual(Math.sqrt(6 / 128));
      expect(maxAbs(p[`${t}b1`])).toBe(0);
    }
    // Deterministic in (architecture, seed).
    expect(Array.from(byName({ ...ARCH, initScale: omega }, 7)['var.b0'])).toEqual(Array.from(p['var.b0']));
  });

  it('a linear model (no hidden layer) ignores ω', () => {
    const lin: Architecture = { ...ARCH, hidden: [], shared: true };
    expect(initModel({ ...lin, initScale: 10 }, 3).map((a) => Array.from(a))).toEqual(
      initModel(lin, 3).map((a) => Array.from(a)),
    );
  });

  it('the schema takes ω in [0.1, 100] and leaves it absent when absent', () => {
    const base = { ...DEFAULT_TRAIN, architecture: { ...ZERO_BIAS_ARCHITECTURE } };
    expect('initScale' in trainSettingsSchema.parse(base).architecture).toBe(false);
    expect(
      trainSettingsSchema.parse({ ...base, architecture: { ...base.architecture, initScale: 10 } }).architecture
        .initScale,
    ).toBe(10);
    for (const bad of [0, 0.05, 101, -3])
      expect(
        trainSettingsSchema.safeParse({ ...base, architecture: { ...base.architecture, initScale: bad } }).success,
      ).toBe(false);
  });
});
