// Every loss against the papers' equations: values against plain-Math references, tf.grad against the
// analytic gradients, and the limits the papers state.
import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../../src/core/tf';
import {
  betaNll,
  boltzmannLoss,
  boltzmannWeights,
  faithful,
  gaussianNll,
  gradientWeights,
  momentMatching,
  relativeWeights,
  squaredError,
  stopGradient,
  studentTConstant,
  studentTNll,
} from '../../src/core/losses';
import { logGamma } from '../../src/core/special';

const MU = [0.3, -1.2, 2.0, 0.0, 5.0];
const VAR = [0.5, 2.0, 0.1, 1.0, 3.0];
const Y = [0.1, 0.4, 2.5, -0.7, -4.0];

const t = (a: number[]) => tf.tensor1d(a);
const read = (x: Tensor) => Array.from(x.dataSync());

function close(actual: number[], expected: number[], tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]))));
}

/** ∂/∂μ and ∂/∂σ² of sum(loss(μ, σ², y)) by tf.grads. */
function grads(loss: (mu: Tensor, v: Tensor) => Tensor, mu = MU, v = VAR): [number[], number[]] {
  const g = tf.grads((m: Tensor, s: Tensor) => tf.sum(loss(m, s)))([t(mu), t(v)]);
  return [read(g[0]), read(g[1])];
}

const nllRef = (m: number, v: number, y: number) => 0.5 * Math.log(v) + (y - m) ** 2 / (2 * v);

describe('Gaussian NLL (Robust-NLL eq. 1, 4, 5)', () => {
  it('equals ½ log σ² + (y − μ)²/(2σ²) per sample', () => {
    close(
      read(gaussianNll(t(MU), t(VAR), t(Y))),
      MU.map((m, i) => nllRef(m, VAR[i], Y[i])),
    );
  });
  it('has the gradients of eq. 4 (μ) and eq. 5 (σ²)', () => {
    const [gMu, gVar] = grads((m, v) => gaussianNll(m, v, t(Y)));
    close(
      gMu,
      MU.map((m, i) => (m - Y[i]) / VAR[i]),
    );
    close(
      gVar,
      MU.map((m, i) => (VAR[i] - (m - Y[i]) ** 2) / (2 * VAR[i] ** 2)),
    );
  });
  it('propagates NaN rather than hiding it', () => {
    expect(Number.isNaN(read(gaussianNll(t([NaN]), t([1]), t([0])))[0])).toBe(true);
  });
});

describe('squared error', () => {
  it('is (y − μ)² with gradient 2(μ − y)', () => {
    close(
      read(squaredError(t(MU), t(Y))),
      MU.map((m, i) => (Y[i] - m) ** 2),
    );
    const gMu = read(tf.grad((m: Tensor) => tf.sum(squaredError(m, t(Y))))(t(MU)));
    close(
      gMu,
      MU.map((m, i) => 2 * (m - Y[i])),
    );
  });
});

describe('stop-gradient', () => {
  it('is the identity forward and blocks the gradient backward', () => {
    const x = t([1, -2, 3]);
    close(read(stopGradient(x)), [1, -2, 3]);
    // d/dx [x · sg(x)] = sg(x) = x, not 2x.
    const g = tf.grad((v: Tensor) => tf.sum(tf.mul(v, stopGradient(v))))(x);
    close(read(g), [1, -2, 3]);
  });
});

describe('β-NLL (Seitzer et al. eq. 7–9)', () => {
  it('is σ^{2β} · NLL in value', () => {
    close(
      read(betaNll(t(MU), t(VAR), t(Y), 0.5)),
      MU.map((m, i) => Math.sqrt(VAR[i]) * nllRef(m, VAR[i], Y[i])),
    );
  });
  it('β = 0 is plain NLL, in value and gradient', () => {
    close(read(betaNll(t(MU), t(VAR), t(Y), 0)), read(gaussianNll(t(MU), t(VAR), t(Y))));
    const a = grads((m, v) => betaNll(m, v, t(Y), 0));
    const b = grads((m, v) => gaussianNll(m, v, t(Y)));
    close(a[0], b[0]);
    close(a[1], b[1]);
  });
  it('has the gradients of eq. 8–9: σ^{2β} times the NLL gradients; β = 1 gives μ the squared-error gradient', () => {
    for (const beta of [0.25, 0.5, 1]) {
      const [gMu, gVar] = grads((m, v) => betaNll(m, v, t(Y), beta));
      close(
        gMu,
        MU.map((m, i) => VAR[i] ** beta * ((m - Y[i]) / VAR[i])),
      );
      close(
        gVar,
        MU.map((m, i) => VAR[i] ** beta * ((VAR[i] - (m - Y[i]) ** 2) / (2 * VAR[i] ** 2))),
      );
      if (beta === 1)
        close(
          gMu,
          MU.map((m, i) => m - Y[i]),
        );
    }
  });
});

/** Eq. 7 in plain Math: αⱼ = wⱼ + (1/T) Σᵢ wᵢ(wⱼ − δᵢⱼ)ℓᵢ. */
function alphaRef(losses: number[], T: number): { w: number[]; alpha: number[] } {
  const m = Math.min(...losses);
  const e = losses.map((l) => Math.exp(-(l - m) / T));
  const z = e.reduce((a, b) => a + b, 0);
  const w = e.map((v) => v / z);
  const alpha = w.map(
    (wj, j) => wj + (1 / T) * losses.reduce((acc, li, i) => acc + w[i] * (wj - (i === j ? 1 : 0)) * li, 0),
  );
  return { w, alpha };
}

describe('Boltzmann weighting (Robust-NLL eq. 2–3, 6–9)', () => {
  const nll = MU.map((m, i) => nllRef(m, VAR[i], Y[i]));

  it('weights are softmax(−ℓ/T) and the loss is Σ wᵢℓᵢ', () => {
    const T = 2;
    const { w } = alphaRef(nll, T);
    close(read(boltzmannWeights(t(nll), 1 / T)), w);
    close(read(boltzmannLoss(t(nll), 1 / T)), [w.reduce((a, wi, i) => a + wi * nll[i], 0)]);
    close(
      read(relativeWeights(t(nll), 1 / T)),
      w.map((v) => v * nll.length),
    );
  });

  it('gradient weights match eq. 7 and the closed form wⱼ(1 + (Σwℓ − ℓⱼ)/T)', () => {
    for (const T of [0.5, 1, 4, 16]) close(read(gradientWeights(t(nll), 1 / T)), alphaRef(nll, T).alpha, 1e-5);
  });

  it('tf.grad of Robust-NLL equals eq. 8 (μ) and eq. 9 (σ²): the NLL gradients scaled by αⱼ', () => {
    for (const T of [1, 16]) {
      const { alpha } = alphaRef(nll, T);
      const [gMu, gVar] = grads((m, v) => boltzmannLoss(gaussianNll(m, v, t(Y)), 1 / T));
      close(
        gMu,
        MU.map((m, i) => (alpha[i] * (m - Y[i])) / VAR[i]),
        1e-4,
      );
      close(
        gVar,
        MU.map((m, i) => (alpha[i] * (VAR[i] - (m - Y[i]) ** 2)) / (2 * VAR[i] ** 2)),
        1e-4,
      );
    }
  });

  it('with constant weights (Tilted ERM / IRLS) the gradient is scaled by wⱼ, not αⱼ', () => {
    const T = 1;
    const { w, alpha } = alphaRef(nll, T);
    const [gMu] = grads((m, v) => boltzmannLoss(gaussianNll(m, v, t(Y)), 1 / T, 'constant'));
    close(
      gMu,
      MU.map((m, i) => (w[i] * (m - Y[i])) / VAR[i]),
      1e-5,
    );
    // The two variants differ here, so the test above could fail.
    expect(Math.max(...w.map((wi, i) => Math.abs(wi - alpha[i])))).toBeGreaterThan(0.01);
  });

  it('clipped (this project’s variant): eq. 6 with αⱼ clipped at 0, the value still Σ wᵢℓᵢ', () => {
    // At T = 0.5 some αⱼ are negative (ℓⱼ more than T above the weighted mean), so clipping changes the gradient.
    for (const T of [0.5, 16]) {
      const { w, alpha } = alphaRef(nll, T);
      const clipped = alpha.map((a) => Math.max(a, 0));
      const [gMu, gVar] = grads((m, v) => boltzmannLoss(gaussianNll(m, v, t(Y)), 1 / T, 'clipped'));
      close(
        gMu,
        MU.map((m, i) => (clipped[i] * (m - Y[i])) / VAR[i]),
        1e-4,
      );
      close(
        gVar,
        MU.map((m, i) => (clipped[i] * (VAR[i] - (m - Y[i]) ** 2)) / (2 * VAR[i] ** 2)),
        1e-4,
      );
      close(read(boltzmannLoss(t(nll), 1 / T, 'clipped')), [w.reduce((a, wi, i) => a + wi * nll[i], 0)]);
    }
    expect(Math.min(...alphaRef(nll, 0.5).alpha)).toBeLessThan(-0.01);
  });

  it('T → ∞ gives the plain NLL gradient divided by N', () => {
    for (const invT of [0, 1e-6]) {
      const [gMu, gVar] = grads((m, v) => boltzmannLoss(gaussianNll(m, v, t(Y)), invT));
      const [nMu, nVar] = grads((m, v) => gaussianNll(m, v, t(Y)));
      close(
        gMu,
        nMu.map((g) => g / MU.length),
        1e-4,
      );
      close(
        gVar,
        nVar.map((g) => g / MU.length),
        1e-4,
      );
    }
  });

  it('T → 0 is the hardmax: only the smallest loss keeps weight and gradient', () => {
    const j = nll.indexOf(Math.min(...nll));
    const onehot = nll.map((_, i) => (i === j ? 1 : 0));
    close(read(boltzmannWeights(t(nll), 1e3)), onehot, 1e-6);
    close(read(gradientWeights(t(nll), 1e3)), onehot, 1e-6);
  });

  it('stays finite for T in [1e-3, 1e6] and losses up to 1e12', () => {
    const losses = t([1e12, -3, 0, 1e6, 5e11]);
    for (const T of [1e-3, 1, 1e6]) {
      for (const out of [
        boltzmannWeights(losses, 1 / T),
        gradientWeights(losses, 1 / T),
        boltzmannLoss(losses, 1 / T),
      ]) {
        expect(read(out).every(Number.isFinite)).toBe(true);
      }
      expect(read(tf.sum(boltzmannWeights(losses, 1 / T)))[0]).toBeCloseTo(1, 5);
    }
  });

  it('reduces over the last axis only: K stacked models are weighted independently', () => {
    const stacked = tf.tensor2d([nll, nll.map((v) => v * 3)]);
    const w = boltzmannWeights(stacked, tf.tensor2d([[1], [0.25]]));
    close(read(w).slice(0, 5), alphaRef(nll, 1).w);
    close(
      read(w).slice(5),
      alphaRef(
        nll.map((v) => v * 3),
        4,
      ).w,
    );
  });
});

describe('Student-t NLL', () => {
  const ref = (m: number, v: number, y: number, nu: number) =>
    -logGamma((nu + 1) / 2) +
    logGamma(nu / 2) +
    0.5 * Math.log(nu * Math.PI * v) +
    ((nu + 1) / 2) * Math.log(1 + (y - m) ** 2 / (nu * v));
  it('equals −log t_ν(y; μ, σ²) and has gradient (ν+1)(μ − y)/(νσ² + r²) in μ', () => {
    const nu = 3;
    close(
      read(studentTNll(t(MU), t(VAR), t(Y), nu, studentTConstant(nu))),
      MU.map((m, i) => ref(m, VAR[i], Y[i], nu)),
    );
    const [gMu] = grads((m, v) => studentTNll(m, v, t(Y), nu, studentTConstant(nu)));
    close(
      gMu,
      MU.map((m, i) => ((nu + 1) * (m - Y[i])) / (nu * VAR[i] + (m - Y[i]) ** 2)),
    );
  });
  it('tends to the Gaussian NLL + ½ log 2π as ν → ∞', () => {
    const nu = 1e6;
    const gauss = MU.map((m, i) => nllRef(m, VAR[i], Y[i]) + 0.5 * Math.log(2 * Math.PI));
    close(read(studentTNll(t(MU), t(VAR), t(Y), nu, studentTConstant(nu))), gauss, 1e-4);
  });
  it('matches known constants: ν = 1 is the Cauchy, C(1) = log π', () => {
    expect(studentTConstant(1)).toBeCloseTo(Math.log(Math.PI), 12);
  });
});

describe('Faithful heteroscedastic regression', () => {
  it('gives μ exactly the squared-error gradient and σ² the NLL gradient of eq. 5', () => {
    const [gMu, gVar] = grads((m, v) => faithful(m, v, t(Y)));
    close(
      gMu,
      MU.map((m, i) => 2 * (m - Y[i])),
    );
    close(
      gVar,
      MU.map((m, i) => (VAR[i] - (m - Y[i]) ** 2) / (2 * VAR[i] ** 2)),
    );
    close(
      read(faithful(t(MU), t(VAR), t(Y))),
      MU.map((m, i) => (Y[i] - m) ** 2 + nllRef(m, VAR[i], Y[i])),
    );
  });
});

describe('moment matching (β-NLL App. A)', () => {
  it('is (y − μ)² + (|y − μ| − σ)², with the squared-error gradient on μ', () => {
    close(
      read(momentMatching(t(MU), t(VAR), t(Y))),
      MU.map((m, i) => (Y[i] - m) ** 2 + (Math.abs(Y[i] - m) - Math.sqrt(VAR[i])) ** 2),
    );
    const [gMu, gVar] = grads((m, v) => momentMatching(m, v, t(Y)));
    close(
      gMu,
      MU.map((m, i) => 2 * (m - Y[i])),
    );
    // ∂/∂σ² (|r| − σ)² = −(|r| − σ)/σ
    close(
      gVar,
      MU.map((m, i) => -(Math.abs(Y[i] - m) - Math.sqrt(VAR[i])) / Math.sqrt(VAR[i])),
    );
  });
});
