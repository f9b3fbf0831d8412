// Special functions of the CPU trainer. Scalars use AssemblyScript's Mathf (ports of musl's float32
// functions, accurate to an ulp, so log1p and expm1 need no series here, unlike the WGSL kernel's GPU math).
// Vectors of four rows use exp by range reduction and Cephes's polynomials (facts carried over: the
// coefficients of expf and tanhf), within two ulps of the scalar functions, for the activations.
import { EULER_E, ELEVEN_72, LAMBERT_BRANCH, SOFTPLUS_EDGE, SUPERLOSS_FLOOR } from './generated';

// ---------------------------------------------------------------- scalars

// @ts-ignore: decorator
@inline export function sigmoid(s: f32): f32 {
  return 1.0 / (1.0 + Mathf.exp(-s));
}

/** tfjs's softplus: eˢ below log(ε) + 2, s above its negative, log(1 + eˢ) between. */
export function softplus(s: f32): f32 {
  if (s < SOFTPLUS_EDGE) return Mathf.exp(s);
  if (s > -SOFTPLUS_EDGE) return s;
  if (s > 0) return s + Mathf.log1p(Mathf.exp(-s));
  return Mathf.log1p(Mathf.exp(s));
}

// @ts-ignore: decorator
@inline export function isFinite32(x: f32): bool {
  return Mathf.abs(x) <= 3.4028234e38;
}

/** W₀ as the core's lambertWTensor (src/core/losses/superloss.ts): the same three starts and four guarded Halley steps. */
export function lambertW(z: f32): f32 {
  if (z <= LAMBERT_BRANCH) return -1.0;
  const zs = Mathf.max(z, LAMBERT_BRANCH);
  let w: f32;
  if (zs < -0.25) {
    const p = Mathf.sqrt(Mathf.max(2.0 * (EULER_E * zs + 1.0), 0.0));
    w = -1.0 + p - (p * p) / 3.0 + ELEVEN_72 * p * p * p;
  } else if (zs < 3.0) {
    const lz = Mathf.log1p(Mathf.max(zs, -0.25));
    w = lz * (1.0 - Mathf.log1p(lz) / (2.0 + lz));
  } else {
    const l1 = Mathf.log(Mathf.max(zs, 3.0));
    const l2 = Mathf.log(l1);
    w = l1 - l2 + l2 / l1;
  }
  for (let i = 0; i < 4; i++) {
    const ew = Mathf.exp(w);
    const f = w * ew - zs;
    const wp1 = Mathf.max(w + 1.0, 1e-7);
    const denom = ew * wp1 - ((w + 2.0) * f) / (2.0 * wp1);
    if (Mathf.abs(denom) > 1e-30) w = w - f / denom;
    w = Mathf.max(w, -1.0);
  }
  return w;
}

/** SuperLoss's σ* = exp(−W(½ max(−2/e, (ℓ − τ)/λ))). */
export function superlossSigma(l: f32, tau: f32, lambda: f32): f32 {
  return Mathf.exp(-lambertW(0.5 * Mathf.max((l - tau) / lambda, SUPERLOSS_FLOOR)));
}

// ---------------------------------------------------------------- vectors of four

// @ts-ignore: decorator
@inline export function splat(x: f32): v128 {
  return f32x4.splat(x);
}

/** eˣ on four lanes: x = n ln 2 + r, |r| ≤ ln 2 / 2, e^r by Cephes's degree-6 polynomial, 2ⁿ in the exponent bits. */
export function expv(x: v128): v128 {
  const c = f32x4.min(f32x4.max(x, splat(-87.33654)), splat(88.72283));
  const fx = f32x4.nearest(f32x4.mul(c, splat(1.44269504088896341)));
  let r = f32x4.sub(c, f32x4.mul(fx, splat(0.693359375)));
  r = f32x4.add(r, f32x4.mul(fx, splat(2.12194440e-4)));
  let p = splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), splat(1.0));
  const n = i32x4.trunc_sat_f32x4_s(fx);
  // 2ⁿ for n in [−126, 128): the biased exponent n + 127 shifted into place; n = 128 (x near the top) as 2 · 2¹²⁷.
  const top = i32x4.gt_s(n, i32x4.splat(127));
  const e = i32x4.shl(i32x4.add(v128.bitselect(i32x4.splat(127), n, top), i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, e), v128.bitselect(splat(2.0), splat(1.0), top));
}

/** eˣ − 1 on four lanes: the series to x⁷ below |x| = 0.25 (no cancellation), e^x − 1 above. */
export function expm1v(x: v128): v128 {
  let s = f32x4.add(splat(1.0 / 720.0), f32x4.div(x, splat(5040.0)));
  s = f32x4.add(splat(1.0 / 120.0), f32x4.mul(x, s));
  s = f32x4.add(splat(1.0 / 24.0), f32x4.mul(x, s));
  s = f32x4.add(splat(1.0 / 6.0), f32x4.mul(x, s));
  s = f32x4.add(splat(0.5), f32x4.mul(x, s));
  s = f32x4.mul(x, f32x4.add(splat(1.0), f32x4.mul(x, s)));
  const big = f32x4.sub(expv(x), splat(1.0));
  return v128.bitselect(s, big, f32x4.lt(f32x4.abs(x), splat(0.25)));
}

/** tanh on four lanes: Cephes's odd polynomial below |z| = 0.625, 1 − 2/(e^{2|z|} + 1) with z's sign above. */
export function tanhv(z: v128): v128 {
  const a = f32x4.abs(z);
  const e = expv(f32x4.mul(a, splat(2.0)));
  const big = f32x4.sub(splat(1.0), f32x4.div(splat(2.0), f32x4.add(e, splat(1.0))));
  const signed = v128.or(big, v128.and(z, i32x4.splat(0x80000000)));
  const z2 = f32x4.mul(z, z);
  let p = splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z2), splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z2), splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z2), splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z2), splat(-3.33332819422e-1));
  const small = f32x4.add(z, f32x4.mul(f32x4.mul(z, z2), p));
  return v128.bitselect(small, signed, f32x4.lt(a, splat(0.625)));
}

/** 1/(1 + e^{−z}) on four lanes. */
export function sigmoidv(z: v128): v128 {
  return f32x4.div(splat(1.0), f32x4.add(splat(1.0), expv(f32x4.neg(z))));
}

/** Horizontal sum of four lanes. */
// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}
