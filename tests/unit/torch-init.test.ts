// The β-NLL investigation's two model options: torch.nn.Linear's default init, and x fed unstandardised.
import { describe, expect, it } from 'vitest';
import { inputScale } from '../../src/core/datasets';
import { initModel, paramLayout, type Architecture } from '../../src/core/model';

const arch: Architecture = {
  hidden: [128, 128],
  activation: 'tanh',
  shared: true,
  varianceFloor: 1e-8,
  init: 'pytorch',
};

describe('PyTorch default init', () => {
  it('draws every weight and bias from U(±1/√fan_in) of its layer, and starts σ² near 1', () => {
    const params = initModel(arch, 7);
    const { names, shapes } = paramLayout(arch, 1);
    const fanIn: Record<string, number> = { W0: 1, b0: 1, W1: 128, b1: 128, Wout: 128, bout: 128 };
    names.forEach((name, p) => {
      if (!(name in fanIn)) return;
      const limit = 1 / Math.sqrt(fanIn[name]);
      const v = Array.from(params[p]);
      if (name === 'bout') v[1] -= Math.log(Math.E - 1); // the variance output's offset (σ² = softplus(s) + floor ≈ 1)
      expect(Math.max(...v.map(Math.abs)), name).toBeLessThanOrEqual(limit + 1e-6);
      // Spread over the range, not stuck at 0: the first layer's biases move the tanh centres off x = 0.
      if (shapes[p].reduce((a, b) => a * b, 1) >= 100)
        expect(Math.max(...v.map(Math.abs)), name).toBeGreaterThan(0.9 * limit);
    });
    expect(Array.from(params[names.indexOf('b0')]).some((b) => b !== 0)).toBe(true);
  });

  it('is a function of (architecture, seed) alone', () => {
    expect(initModel(arch, 3)).toEqual(initModel(arch, 3));
    expect(initModel(arch, 3)[0]).not.toEqual(initModel(arch, 4)[0]);
  });
});

describe('raw input', () => {
  it('leaves x as given when rawInput is set, and standardises otherwise', () => {
    expect(inputScale([0, 6, 12], { rawInput: true })).toEqual({ mean: 0, std: 1 });
    expect(inputScale([0, 6, 12]).mean).toBe(6);
  });
});
