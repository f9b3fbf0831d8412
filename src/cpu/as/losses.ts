// The base losses of the CPU trainer: each one's value and derivatives in μ, σ², Barron's α and c, written
// to equal the gradient TensorFlow.js's autodiff takes through the engine's tensor code (src/core/losses/*.ts),
// stop-gradients included; the same formulas as the WGSL kernel's (src/fused/losses.wgsl.ts). A loss writes
// its five outputs to the globals below (a multi-value return without an allocation).
import { BASE_BARRON, BASE_BETA_NLL, BASE_FAITHFUL, BASE_MOMENT_MATCHING, BASE_MSE, BASE_NLL, BASE_STUDENT_T } from './generated';

export let outL: f32 = 0;
export let outDmu: f32 = 0;
export let outDv: f32 = 0;
export let outDa: f32 = 0;
export let outDc: f32 = 0;

// @ts-ignore: decorator
@inline function put(l: f32, dmu: f32, dv: f32, da: f32, dc: f32): void {
  outL = l;
  outDmu = dmu;
  outDv = dv;
  outDa = da;
  outDc = dc;
}

export function lossMse(mu: f32, y: f32): void {
  const r = y - mu;
  put(r * r, 2.0 * (mu - y), 0, 0, 0);
}

export function lossNll(mu: f32, v: f32, y: f32): void {
  const r = y - mu;
  const r2 = r * r;
  put(0.5 * Mathf.log(v) + r2 / (2.0 * v), (mu - y) / v, 0.5 / v - r2 / (2.0 * v * v), 0, 0);
}

/** The weight σ^{2β} is a constant (stop-gradient): it scales the NLL's derivatives and adds none of its own. */
function lossBetaNll(mu: f32, v: f32, y: f32, beta: f32): void {
  lossNll(mu, v, y);
  const w = Mathf.exp(beta * Mathf.log(v));
  put(w * outL, w * outDmu, w * outDv, 0, 0);
}

/** σ² is the scale²: C(ν) + ½ log σ² + (ν+1)/2 · log1p(q), q = (y − μ)²/(νσ²). */
function lossStudentT(mu: f32, v: f32, y: f32, nu: f32, constant: f32): void {
  const r = y - mu;
  const q = (r * r) / (nu * v);
  const k = (nu + 1.0) / (1.0 + q);
  put(constant + 0.5 * Mathf.log(v) + 0.5 * (nu + 1.0) * Mathf.log1p(q), (k * (mu - y)) / (nu * v), 0.5 / v - (0.5 * k * q) / v, 0, 0);
}

/** μ by squared error alone; σ² by the NLL with μ held fixed (the trunk detachment lives in the backward pass). */
function lossFaithful(mu: f32, v: f32, y: f32): void {
  lossNll(mu, v, y);
  const r = y - mu;
  put(r * r + outL, 2.0 * (mu - y), outDv, 0, 0);
}

/** (y − μ)² + (|y − ⌊μ⌋| − σ)²: σ chases the absolute residual; μ gets the squared error's gradient alone. */
function lossMomentMatching(mu: f32, v: f32, y: f32): void {
  const r = y - mu;
  const a = Mathf.abs(r);
  const s = Mathf.sqrt(v);
  put(r * r + (a - s) * (a - s), 2.0 * (mu - y), (s - a) / s, 0, 0);
}

/** Barron's ρ(x, α, c), x = μ − y, with the engine's special cases (α = 2, 0 exactly; Welsch by flag) and clamps. */
function lossBarron(mu: f32, y: f32, alpha: f32, c: f32, welsch: bool): void {
  const x = mu - y;
  const z = (x / c) * (x / c);
  const lin = x / (c * c);
  if (welsch) {
    put(-Mathf.expm1(-0.5 * z), lin * Mathf.exp(-0.5 * z), 0, 0, 0);
    return;
  }
  if (alpha == 2.0) {
    put(0.5 * z, lin, 0, 0, 0);
    return;
  }
  if (alpha == 0.0) {
    put(Mathf.log1p(0.5 * z), lin / (0.5 * z + 1.0), 0, 0, 0);
    return;
  }
  const b = Mathf.max(Mathf.abs(alpha - 2.0), 1e-5);
  const a: f32 = (alpha >= 0 ? 1.0 : -1.0) * Mathf.max(Mathf.abs(alpha), 1e-5);
  const L = Mathf.log1p(z / b);
  put((b / a) * Mathf.expm1(0.5 * a * L), lin * Mathf.exp((0.5 * a - 1.0) * L), 0, 0, 0);
}

/** log Z(α) and d log Z/dα as the core computes them: S(α) = −(b/4) log b (b = 2 − α) plus the cubic Hermite
 * interpolant of the core's table of log Z − S (values at `table`, slopes `count` floats later). */
let logZValue: f32 = 0;
let logZSlope: f32 = 0;
function logPartition(alpha: f32, table: usize, count: u32, stepsPerUnit: f32): void {
  const clipped = Mathf.min(Mathf.max(alpha, 0.0), 2.0);
  const b: f32 = 2.0 - clipped;
  const logB = Mathf.log(Mathf.max(b, <f32>1e-30));
  const u = clipped * stepsPerUnit;
  const i = <u32>Mathf.min(Mathf.floor(u), <f32>(count - 2));
  const f = u - <f32>i;
  const v0 = load<f32>(table + (<usize>i << 2));
  const v1 = load<f32>(table + (<usize>(i + 1) << 2));
  const s0 = load<f32>(table + (<usize>(count + i) << 2));
  const s1 = load<f32>(table + (<usize>(count + i + 1) << 2));
  const f2 = f * f;
  const f3 = f2 * f;
  logZValue = (2.0 * f3 - 3.0 * f2 + 1.0) * v0 + (f3 - 2.0 * f2 + f) * s0 + (-2.0 * f3 + 3.0 * f2) * v1 + (f3 - f2) * s1 - 0.25 * b * logB;
  // H₀'(t) = −6t(1 − |t|), H₁'(t) = (1 − |t|)(1 − 3|t|) at t = f (node i) and t = f − 1 (node i + 1).
  const d = v0 * (-6.0 * f * (1.0 - f)) + s0 * (1.0 - f) * (1.0 - 3.0 * f) + v1 * (6.0 * (1.0 - f) * f) + s1 * f * (3.0 * f - 2.0);
  logZSlope = d * stepsPerUnit + 0.25 * (logB + 1.0);
}

/** Barron's adaptive NLL: ρ(x, α, c) + log c + log Z(α) with α in (0, 2), the general branch (b = 2 − α, a = α). */
function lossBarronAdaptive(mu: f32, y: f32, alpha: f32, c: f32, table: usize, count: u32, stepsPerUnit: f32): void {
  const x = mu - y;
  const z = (x / c) * (x / c);
  const b = Mathf.max(Mathf.abs(alpha - 2.0), 1e-5);
  const a = Mathf.max(Mathf.abs(alpha), 1e-5);
  const L = Mathf.log1p(z / b);
  const E = Mathf.expm1(0.5 * a * L);
  const e = E + 1.0;
  const rho = (b / a) * E;
  const psi = (x / (c * c)) * Mathf.exp((0.5 * a - 1.0) * L);
  // ∂ρ/∂α through b/a and through L (∂b/∂α = −1); ∂ρ/∂c through z = (x/c)².
  const dRhoDAlpha = (-(a + b) / (a * a)) * E + (b / a) * e * 0.5 * (L + (a * z) / (b * (b + z)));
  const dRhoDc = (-b * e * z) / (c * (b + z));
  logPartition(alpha, table, count, stepsPerUnit);
  put(rho + Mathf.log(c) + logZValue, psi, 0, dRhoDAlpha + logZSlope, dRhoDc + 1.0 / c);
}

/** Hyperparameters of the current model for baseLoss (set once per model and step). Globals, not an object:
 * the module allocates nothing, so the memory past __heap_base is the host's. */
export let hBeta: f32 = 0;
export let hNu: f32 = 0;
export let hTConst: f32 = 0;
export let hAlpha: f32 = 0;
export let hC: f32 = 0;
export let hWelsch: bool = false;
export let hAdaptiveAlpha: f32 = 0;
export let hAdaptiveC: f32 = 0;
export let hTable: usize = 0;
export let hCount: u32 = 0;
export let hStepsPerUnit: f32 = 0;

export function baseLoss(base: u32, mu: f32, v: f32, y: f32): void {
  if (base == BASE_NLL) lossNll(mu, v, y);
  else if (base == BASE_MSE) lossMse(mu, y);
  else if (base == BASE_BETA_NLL) lossBetaNll(mu, v, y, hBeta);
  else if (base == BASE_STUDENT_T) lossStudentT(mu, v, y, hNu, hTConst);
  else if (base == BASE_FAITHFUL) lossFaithful(mu, v, y);
  else if (base == BASE_MOMENT_MATCHING) lossMomentMatching(mu, v, y);
  else if (base == BASE_BARRON) lossBarron(mu, y, hAlpha, hC, hWelsch);
  else lossBarronAdaptive(mu, y, hAdaptiveAlpha, hAdaptiveC, hTable, hCount, hStepsPerUnit);
}
