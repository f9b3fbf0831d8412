// The matrix work of one model's step on vectors of four minibatch rows. Activations and δ are stored
// unit-major: unit u's rows 4q … 4q + 3 are the vector at (u · Q + q) · 16 bytes, Q row quads per unit (Q is
// even, padded rows carry x = 0 and zero output gradients, so they add nothing to any sum). The three products
// of a layer are register tiles of 4 units × 2 quads (8 accumulators, 6 loads per 8 multiply-adds), which
// fit the 16 vector registers of x86's SSE/AVX without spills.
import { ACT_ELU, ACT_RELU, ACT_SIGMOID, ACT_TANH } from './generated';
import { expm1v, hsum, sigmoidv, splat, tanhv } from './math';

// @ts-ignore: decorator
@inline function vat(base: usize, unit: i32, q: i32, quads: i32): usize {
  return base + ((<usize>(unit * quads + q)) << 4);
}

// @ts-ignore: decorator
@inline function fat(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}

/** The activation of four pre-activations. */
export function activate(z: v128, act: u32): v128 {
  if (act == ACT_RELU) return f32x4.max(z, splat(0));
  if (act == ACT_TANH) return tanhv(z);
  if (act == ACT_ELU) return v128.bitselect(z, expm1v(z), f32x4.ge(z, splat(0)));
  return sigmoidv(z);
}

/** Its slope, read off the output h (as tfjs's gradients of relu, tanh, elu and sigmoid do). */
// @ts-ignore: decorator
@inline export function slope(h: v128, act: u32): v128 {
  if (act == ACT_RELU) return v128.and(f32x4.gt(h, splat(0)), splat(1));
  if (act == ACT_TANH) return f32x4.sub(splat(1), f32x4.mul(h, h));
  if (act == ACT_ELU) return v128.bitselect(splat(1), f32x4.add(h, splat(1)), f32x4.ge(h, splat(0)));
  return f32x4.mul(h, f32x4.sub(splat(1), h));
}

/** Layer 0 (one input): out[u][q] = act(w[u] · x[q] + b[u]). ReLU, the common case, has a loop of its own (no call
 * per vector: `activate` is not inlined, and its call cost as much as the layer's arithmetic). */
export function firstLayer(x: usize, w: usize, b: usize, width: i32, out: usize, quads: i32, act: u32): void {
  for (let u = 0; u < width; u++) {
    const wu = v128.load32_splat(fat(w, u));
    const bu = v128.load32_splat(fat(b, u));
    const row = vat(out, u, 0, quads);
    if (act == ACT_RELU) {
      for (let q = 0; q < quads; q++) {
        const at = <usize>q << 4;
        v128.store(row + at, f32x4.max(f32x4.add(f32x4.mul(wu, v128.load(x + at)), bu), splat(0)));
      }
    } else {
      for (let q = 0; q < quads; q++) {
        const at = <usize>q << 4;
        v128.store(row + at, activate(f32x4.add(f32x4.mul(wu, v128.load(x + at)), bu), act));
      }
    }
  }
}

/** A deeper layer: out[o][q] = act(Σ_k W[k][o] · in[k][q] + b[o]), W row-major [nIn][nOut]. */
export function denseLayer(input: usize, nIn: i32, w: usize, b: usize, nOut: i32, out: usize, quads: i32, act: u32): void {
  const last = nOut - 1;
  for (let o0 = 0; o0 < nOut; o0 += 4) {
    const o1 = min(o0 + 1, last);
    const o2 = min(o0 + 2, last);
    const o3 = min(o0 + 3, last);
    for (let q = 0; q < quads; q += 2) {
      let a00 = splat(0), a01 = splat(0), a10 = splat(0), a11 = splat(0);
      let a20 = splat(0), a21 = splat(0), a30 = splat(0), a31 = splat(0);
      for (let k = 0; k < nIn; k++) {
        const p = vat(input, k, q, quads);
        const v0 = v128.load(p);
        const v1 = v128.load(p, 16);
        const row = w + (<usize>(k * nOut) << 2);
        const w0 = v128.load32_splat(row + (<usize>o0 << 2));
        const w1 = v128.load32_splat(row + (<usize>o1 << 2));
        const w2 = v128.load32_splat(row + (<usize>o2 << 2));
        const w3 = v128.load32_splat(row + (<usize>o3 << 2));
        a00 = f32x4.add(a00, f32x4.mul(w0, v0));
        a01 = f32x4.add(a01, f32x4.mul(w0, v1));
        a10 = f32x4.add(a10, f32x4.mul(w1, v0));
        a11 = f32x4.add(a11, f32x4.mul(w1, v1));
        a20 = f32x4.add(a20, f32x4.mul(w2, v0));
        a21 = f32x4.add(a21, f32x4.mul(w2, v1));
        a30 = f32x4.add(a30, f32x4.mul(w3, v0));
        a31 = f32x4.add(a31, f32x4.mul(w3, v1));
      }
      storeUnit(out, o0, q, quads, a00, a01, b, act);
      if (o0 + 1 <= last) storeUnit(out, o0 + 1, q, quads, a10, a11, b, act);
      if (o0 + 2 <= last) storeUnit(out, o0 + 2, q, quads, a20, a21, b, act);
      if (o0 + 3 <= last) storeUnit(out, o0 + 3, q, quads, a30, a31, b, act);
    }
  }
}

// @ts-ignore: decorator
@inline function storeUnit(out: usize, o: i32, q: i32, quads: i32, z0: v128, z1: v128, b: usize, act: u32): void {
  const bo = v128.load32_splat(fat(b, o));
  const p = vat(out, o, q, quads);
  v128.store(p, activate(f32x4.add(z0, bo), act));
  v128.store(p, activate(f32x4.add(z1, bo), act), 16);
}

/** gW[k][o] = Σ_rows in[k] · δ[o] (W row-major [nIn][nOut]), written to the gradient at gw. */
export function weightGradient(input: usize, nIn: i32, delta: usize, nOut: i32, gw: usize, quads: i32): void {
  const lastK = nIn - 1;
  const lastO = nOut - 1;
  for (let k0 = 0; k0 < nIn; k0 += 4) {
    const k1 = min(k0 + 1, lastK);
    const k2 = min(k0 + 2, lastK);
    const k3 = min(k0 + 3, lastK);
    for (let o0 = 0; o0 < nOut; o0 += 2) {
      const o1 = min(o0 + 1, lastO);
      let g00 = splat(0), g01 = splat(0), g10 = splat(0), g11 = splat(0);
      let g20 = splat(0), g21 = splat(0), g30 = splat(0), g31 = splat(0);
      for (let q = 0; q < quads; q++) {
        const d0 = v128.load(vat(delta, o0, q, quads));
        const d1 = v128.load(vat(delta, o1, q, quads));
        const h0 = v128.load(vat(input, k0, q, quads));
        const h1 = v128.load(vat(input, k1, q, quads));
        const h2 = v128.load(vat(input, k2, q, quads));
        const h3 = v128.load(vat(input, k3, q, quads));
        g00 = f32x4.add(g00, f32x4.mul(h0, d0));
        g01 = f32x4.add(g01, f32x4.mul(h0, d1));
        g10 = f32x4.add(g10, f32x4.mul(h1, d0));
        g11 = f32x4.add(g11, f32x4.mul(h1, d1));
        g20 = f32x4.add(g20, f32x4.mul(h2, d0));
        g21 = f32x4.add(g21, f32x4.mul(h2, d1));
        g30 = f32x4.add(g30, f32x4.mul(h3, d0));
        g31 = f32x4.add(g31, f32x4.mul(h3, d1));
      }
      storeGrad(gw, k0, o0, nOut, g00, g01, o0 + 1 <= lastO);
      if (k0 + 1 <= lastK) storeGrad(gw, k0 + 1, o0, nOut, g10, g11, o0 + 1 <= lastO);
      if (k0 + 2 <= lastK) storeGrad(gw, k0 + 2, o0, nOut, g20, g21, o0 + 1 <= lastO);
      if (k0 + 3 <= lastK) storeGrad(gw, k0 + 3, o0, nOut, g30, g31, o0 + 1 <= lastO);
    }
  }
}

// @ts-ignore: decorator
@inline function storeGrad(gw: usize, k: i32, o: i32, nOut: i32, g0: v128, g1: v128, second: bool): void {
  store<f32>(fat(gw, k * nOut + o), hsum(g0));
  if (second) store<f32>(fat(gw, k * nOut + o + 1), hsum(g1));
}

/** δ of the layer below: out[k][q] = slope(in[k][q]) · Σ_o W[k][o] · δ[o][q]. */
export function deltaBack(delta: usize, nOut: i32, w: usize, input: usize, nIn: i32, out: usize, quads: i32, act: u32): void {
  const lastK = nIn - 1;
  for (let k0 = 0; k0 < nIn; k0 += 4) {
    const r0 = w + (<usize>(k0 * nOut) << 2);
    const r1 = w + (<usize>(min(k0 + 1, lastK) * nOut) << 2);
    const r2 = w + (<usize>(min(k0 + 2, lastK) * nOut) << 2);
    const r3 = w + (<usize>(min(k0 + 3, lastK) * nOut) << 2);
    for (let q = 0; q < quads; q += 2) {
      let a00 = splat(0), a01 = splat(0), a10 = splat(0), a11 = splat(0);
      let a20 = splat(0), a21 = splat(0), a30 = splat(0), a31 = splat(0);
      for (let o = 0; o < nOut; o++) {
        const p = vat(delta, o, q, quads);
        const d0 = v128.load(p);
        const d1 = v128.load(p, 16);
        const oo = <usize>o << 2;
        const w0 = v128.load32_splat(r0 + oo);
        const w1 = v128.load32_splat(r1 + oo);
        const w2 = v128.load32_splat(r2 + oo);
        const w3 = v128.load32_splat(r3 + oo);
        a00 = f32x4.add(a00, f32x4.mul(w0, d0));
        a01 = f32x4.add(a01, f32x4.mul(w0, d1));
        a10 = f32x4.add(a10, f32x4.mul(w1, d0));
        a11 = f32x4.add(a11, f32x4.mul(w1, d1));
        a20 = f32x4.add(a20, f32x4.mul(w2, d0));
        a21 = f32x4.add(a21, f32x4.mul(w2, d1));
        a30 = f32x4.add(a30, f32x4.mul(w3, d0));
        a31 = f32x4.add(a31, f32x4.mul(w3, d1));
      }
      storeDelta(out, input, k0, q, quads, a00, a01, act);
      if (k0 + 1 <= lastK) storeDelta(out, input, k0 + 1, q, quads, a10, a11, act);
      if (k0 + 2 <= lastK) storeDelta(out, input, k0 + 2, q, quads, a20, a21, act);
      if (k0 + 3 <= lastK) storeDelta(out, input, k0 + 3, q, quads, a30, a31, act);
    }
  }
}

// @ts-ignore: decorator
@inline function storeDelta(out: usize, input: usize, k: i32, q: i32, quads: i32, s0: v128, s1: v128, act: u32): void {
  const hp = vat(input, k, q, quads);
  const p = vat(out, k, q, quads);
  v128.store(p, f32x4.mul(s0, slope(v128.load(hp), act)));
  v128.store(p, f32x4.mul(s1, slope(v128.load(hp, 16), act)), 16);
}

/** A layer's bias gradient Σ_rows δ[u], and for layer 0 its weights' Σ_rows x · δ[u]. */
export function biasGradient(delta: usize, width: i32, gb: usize, x: usize, gw0: usize, quads: i32): void {
  for (let u = 0; u < width; u++) {
    let sb = splat(0);
    let sw = splat(0);
    for (let q = 0; q < quads; q++) {
      const d = v128.load(vat(delta, u, q, quads));
      sb = f32x4.add(sb, d);
      if (gw0) sw = f32x4.add(sw, f32x4.mul(v128.load(x + (<usize>q << 4)), d));
    }
    store<f32>(fat(gb, u), hsum(sb));
    if (gw0) store<f32>(fat(gw0, u), hsum(sw));
  }
}
