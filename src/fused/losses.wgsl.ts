// WGSL of the losses: each base loss's value and derivatives in a function of its own, written to equal the
// gradient TensorFlow.js's autodiff takes through the engine's tensor code (src/core/losses/*.ts), plus the
// special functions they need. GPU log and exp are only accurate to an absolute 2^-21 near 1 (Vulkan's and
// Metal's bounds), so log1p and expm1 use series where the naive forms would cancel.
import { wgslF32 } from './contract';

export const MATH_WGSL = /* wgsl */ `
fn log1p(x: f32) -> f32 {
  if (abs(x) < 0.25) {
    // 2 atanh(s), s = x / (2 + x), |s| < 1/7: the odd series to s^11 is exact in f32.
    let s = x / (2.0 + x);
    let s2 = s * s;
    return 2.0 * s * (1.0 + s2 * (1.0 / 3.0 + s2 * (0.2 + s2 * (1.0 / 7.0 + s2 * (1.0 / 9.0 + s2 / 11.0)))));
  }
  return log(1.0 + x);
}

fn expm1(x: f32) -> f32 {
  if (abs(x) < 0.25) {
    return x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0 + x / 5040.0))))));
  }
  return exp(x) - 1.0;
}

// expm1 on four values: the same series and the same switch, component by component.
fn expm1v(x: vec4<f32>) -> vec4<f32> {
  let series = x * (1.0 + x * (0.5 + x * (1.0 / 6.0 + x * (1.0 / 24.0 + x * (1.0 / 120.0 + x * (1.0 / 720.0 + x / 5040.0))))));
  return select(exp(x) - 1.0, series, abs(x) < vec4<f32>(0.25));
}

fn sigmoid(s: f32) -> f32 { return 1.0 / (1.0 + exp(-s)); }

// tfjs's softplus: eˢ below log(ε) + 2, s above its negative, log(1 + eˢ) between; so a floor of 1e-8 stays visible.
const SOFTPLUS_EDGE: f32 = ${wgslF32(Math.log(1.1920928955078125e-7) + 2)};
fn softplus(s: f32) -> f32 {
  if (s < SOFTPLUS_EDGE) { return exp(s); }
  if (s > -SOFTPLUS_EDGE) { return s; }
  if (s > 0.0) { return s + log1p(exp(-s)); }
  return log1p(exp(s));
}

fn isFinite(x: f32) -> bool { return abs(x) <= 3.4028234e38; }

// W₀ as lambertWTensor (src/core/losses/superloss.ts): the same three starts and four guarded Halley steps.
const BRANCH: f32 = ${wgslF32(-1 / Math.E)};
fn lambertW(z: f32) -> f32 {
  if (z <= BRANCH) { return -1.0; }
  let zs = max(z, BRANCH);
  var w: f32;
  if (zs < -0.25) {
    let p = sqrt(max(2.0 * (${wgslF32(Math.E)} * zs + 1.0), 0.0));
    w = -1.0 + p - p * p / 3.0 + ${wgslF32(11 / 72)} * p * p * p;
  } else if (zs < 3.0) {
    let lz = log1p(max(zs, -0.25));
    w = lz * (1.0 - log1p(lz) / (2.0 + lz));
  } else {
    let l1 = log(max(zs, 3.0));
    let l2 = log(l1);
    w = l1 - l2 + l2 / l1;
  }
  for (var i = 0; i < 4; i = i + 1) {
    let ew = exp(w);
    let f = w * ew - zs;
    let wp1 = max(w + 1.0, 1e-7);
    let denom = ew * wp1 - (w + 2.0) * f / (2.0 * wp1);
    if (abs(denom) > 1e-30) { w = w - f / denom; }
    w = max(w, -1.0);
  }
  return w;
}

/** SuperLoss's σ* = exp(−W(½ max(−2/e, (ℓ − τ)/λ))). */
fn superlossSigma(l: f32, tau: f32, lambda: f32) -> f32 {
  return exp(-lambertW(0.5 * max((l - tau) / lambda, ${wgslF32(-2 / Math.E)})));
}
`;

export const LOSSES_WGSL = /* wgsl */ `
// A per-sample loss and its derivatives in μ, σ², Barron's α and c (the last two for the adaptive loss only).
struct LossOut { l: f32, dmu: f32, dv: f32, da: f32, dc: f32 };

fn lossMse(mu: f32, y: f32) -> LossOut {
  let r = y - mu;
  return LossOut(r * r, 2.0 * (mu - y), 0.0, 0.0, 0.0);
}

fn lossNll(mu: f32, v: f32, y: f32) -> LossOut {
  let r = y - mu;
  let r2 = r * r;
  return LossOut(0.5 * log(v) + r2 / (2.0 * v), (mu - y) / v, 0.5 / v - r2 / (2.0 * v * v), 0.0, 0.0);
}

// The weight σ^{2β} is a constant (stop-gradient): it scales the NLL's derivatives and adds none of its own.
fn lossBetaNll(mu: f32, v: f32, y: f32, beta: f32) -> LossOut {
  let n = lossNll(mu, v, y);
  let w = exp(beta * log(v));
  return LossOut(w * n.l, w * n.dmu, w * n.dv, 0.0, 0.0);
}

// σ² is the scale²: C(ν) + ½ log σ² + (ν+1)/2 · log1p(q), q = (y − μ)²/(νσ²).
fn lossStudentT(mu: f32, v: f32, y: f32, nu: f32, constant: f32) -> LossOut {
  let r = y - mu;
  let q = r * r / (nu * v);
  let k = (nu + 1.0) / (1.0 + q);
  return LossOut(constant + 0.5 * log(v) + 0.5 * (nu + 1.0) * log1p(q), k * (mu - y) / (nu * v), 0.5 / v - 0.5 * k * q / v, 0.0, 0.0);
}

// μ by squared error alone; σ² by the NLL with μ held fixed (the trunk detachment lives in the backward pass).
fn lossFaithful(mu: f32, v: f32, y: f32) -> LossOut {
  let n = lossNll(mu, v, y);
  let r = y - mu;
  return LossOut(r * r + n.l, 2.0 * (mu - y), n.dv, 0.0, 0.0);
}

// (y − μ)² + (|y − ⌊μ⌋| − σ)²: σ chases the absolute residual; μ gets the squared error's gradient alone.
fn lossMomentMatching(mu: f32, v: f32, y: f32) -> LossOut {
  let r = y - mu;
  let a = abs(r);
  let s = sqrt(v);
  return LossOut(r * r + (a - s) * (a - s), 2.0 * (mu - y), (s - a) / s, 0.0, 0.0);
}

// Barron's ρ(x, α, c), x = μ − y, with the engine's special cases (α = 2, 0 exactly; Welsch by flag) and clamps.
fn lossBarron(mu: f32, y: f32, alpha: f32, c: f32, welsch: bool) -> LossOut {
  let x = mu - y;
  let z = (x / c) * (x / c);
  let lin = x / (c * c);
  if (welsch) { return LossOut(-expm1(-0.5 * z), lin * exp(-0.5 * z), 0.0, 0.0, 0.0); }
  if (alpha == 2.0) { return LossOut(0.5 * z, lin, 0.0, 0.0, 0.0); }
  if (alpha == 0.0) { return LossOut(log1p(0.5 * z), lin / (0.5 * z + 1.0), 0.0, 0.0, 0.0); }
  let b = max(abs(alpha - 2.0), 1e-5);
  let a = select(-1.0, 1.0, alpha >= 0.0) * max(abs(alpha), 1e-5);
  let L = log1p(z / b);
  return LossOut((b / a) * expm1(0.5 * a * L), lin * exp((0.5 * a - 1.0) * L), 0.0, 0.0, 0.0);
}

// log Z(α) as the core computes it: S(α) = −(b/4) log b (b = 2 − α) plus the same cubic Hermite interpolant
// of the table of log Z − S; and its derivative in α.
fn logPartition(alpha: f32) -> vec2<f32> {
  let clipped = clamp(alpha, 0.0, 2.0);
  let b = 2.0 - clipped;
  let logB = log(max(b, 1e-30));
  let singular = vec2<f32>(-0.25 * b * logB, 0.25 * (logB + 1.0));
  let u = clipped * LOGZ_STEPS;
  let i = min(u32(floor(u)), LOGZ_COUNT - 2u);
  let f = u - f32(i);
  let v0 = data[LOGZ_VALUE + i];
  let v1 = data[LOGZ_VALUE + i + 1u];
  let s0 = data[LOGZ_SLOPE + i];
  let s1 = data[LOGZ_SLOPE + i + 1u];
  let f2 = f * f;
  let f3 = f2 * f;
  let value = (2.0 * f3 - 3.0 * f2 + 1.0) * v0 + (f3 - 2.0 * f2 + f) * s0 + (-2.0 * f3 + 3.0 * f2) * v1 + (f3 - f2) * s1;
  // H₀'(t) = −6t(1 − |t|), H₁'(t) = (1 − |t|)(1 − 3|t|) at t = f (node i) and t = f − 1 (node i + 1).
  let d = v0 * (-6.0 * f * (1.0 - f)) + s0 * (1.0 - f) * (1.0 - 3.0 * f) + v1 * (6.0 * (1.0 - f) * f) + s1 * f * (3.0 * f - 2.0);
  return vec2<f32>(value, d * LOGZ_STEPS) + singular;
}

// Barron's adaptive NLL: ρ(x, α, c) + log c + log Z(α) with α in (0, 2), the general branch (b = 2 − α, a = α).
fn lossBarronAdaptive(mu: f32, y: f32, alpha: f32, c: f32) -> LossOut {
  let x = mu - y;
  let z = (x / c) * (x / c);
  let b = max(abs(alpha - 2.0), 1e-5);
  let a = max(abs(alpha), 1e-5);
  let L = log1p(z / b);
  let E = expm1(0.5 * a * L);
  let e = E + 1.0;
  let rho = (b / a) * E;
  let psi = (x / (c * c)) * exp((0.5 * a - 1.0) * L);
  // ∂ρ/∂α through b/a and through L (∂b/∂α = −1); ∂ρ/∂c through z = (x/c)².
  let dRhoDAlpha = -(a + b) / (a * a) * E + (b / a) * e * 0.5 * (L + a * z / (b * (b + z)));
  let dRhoDc = -b * e * z / (c * (b + z));
  let logZ = logPartition(alpha);
  return LossOut(rho + log(c) + logZ.x, psi, 0.0, dRhoDAlpha + logZ.y, dRhoDc + 1.0 / c);
}

fn baseLoss(base: u32, mu: f32, v: f32, y: f32, hp: Hyper, adaptive: vec2<f32>) -> LossOut {
  switch (base) {
    case BASE_NLL: { return lossNll(mu, v, y); }
    case BASE_MSE: { return lossMse(mu, y); }
    case BASE_BETA_NLL: { return lossBetaNll(mu, v, y, hp.beta); }
    case BASE_STUDENT_T: { return lossStudentT(mu, v, y, hp.nu, hp.tConst); }
    case BASE_FAITHFUL: { return lossFaithful(mu, v, y); }
    case BASE_MOMENT_MATCHING: { return lossMomentMatching(mu, v, y); }
    case BASE_BARRON: { return lossBarron(mu, y, hp.alpha, hp.c, hp.welsch != 0u); }
    default: { return lossBarronAdaptive(mu, y, adaptive.x, adaptive.y); }
  }
}
`;
