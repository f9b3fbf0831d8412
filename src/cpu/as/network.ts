// The network's passes for one step: forward through every tower to each row's μ and s, and backward from the
// weighted output gradients to every parameter's gradient (src/cpu/as/passes.ts has the layers' products).
import * as C from './generated';
import { hsum, splat } from './math';
import { biasGradient, deltaBack, denseLayer, firstLayer, slope, weightGradient } from './passes';
import { ACT, actAt, deltaAt, fat, GRAD, hdr, L, offB, offW, OUTPUTS, Q, row, TOWER_STRIDE, TOWERS, vec, width } from './shape';

/** The forward pass of every tower and the heads: μ and s of each row. */
export function forward(theta: usize): void {
  const xs = row(C.ROW_X);
  for (let tw = 0; tw < TOWERS; tw++) {
    const p = theta + (<usize>(tw * TOWER_STRIDE) << 2);
    if (L > 0) firstLayer(xs, fat(p, offW(0)), fat(p, offB(0)), width(0), actAt(tw, 0), Q, ACT);
    for (let l = 1; l < L; l++) denseLayer(actAt(tw, l - 1), width(l - 1), fat(p, offW(l)), fat(p, offB(l)), width(l), actAt(tw, l), Q, ACT);
  }
  const fin = L == 0 ? 1 : width(L - 1);
  const wOut = fat(theta, <i32>hdr(C.HDR_OFF_W_OUT));
  const bOut = fat(theta, <i32>hdr(C.HDR_OFF_B_OUT));
  const mus = row(C.ROW_MU);
  const ss = row(C.ROW_S);
  if (OUTPUTS == 2) {
    const h = L == 0 ? xs : actAt(0, L - 1);
    // Two quads at a time (Q is even): each weight is splatted once for eight rows.
    for (let q = 0; q < Q; q += 2) {
      let mu0 = v128.load32_splat(bOut);
      let s0 = v128.load32_splat(bOut + 4);
      let mu1 = mu0;
      let s1 = s0;
      for (let i = 0; i < fin; i++) {
        const at = h + (<usize>(i * Q + q) << 4);
        const h0 = v128.load(at);
        const h1 = v128.load(at, 16);
        const wm = v128.load32_splat(fat(wOut, 2 * i));
        const ws = v128.load32_splat(fat(wOut, 2 * i + 1));
        mu0 = f32x4.add(mu0, f32x4.mul(h0, wm));
        mu1 = f32x4.add(mu1, f32x4.mul(h1, wm));
        s0 = f32x4.add(s0, f32x4.mul(h0, ws));
        s1 = f32x4.add(s1, f32x4.mul(h1, ws));
      }
      v128.store(vec(mus, q), mu0);
      v128.store(vec(mus, q + 1), mu1);
      v128.store(vec(ss, q), s0);
      v128.store(vec(ss, q + 1), s1);
    }
    return;
  }
  const stride = <usize>TOWER_STRIDE << 2;
  const h0 = L == 0 ? xs : actAt(0, L - 1);
  const h1 = L == 0 ? xs : actAt(1, L - 1);
  for (let q = 0; q < Q; q++) {
    let mu = v128.load32_splat(bOut);
    let s = v128.load32_splat(bOut + stride);
    for (let i = 0; i < fin; i++) {
      const at = <usize>(i * Q + q) << 4;
      mu = f32x4.add(mu, f32x4.mul(v128.load(h0 + at), v128.load32_splat(fat(wOut, i))));
      s = f32x4.add(s, f32x4.mul(v128.load(h1 + at), v128.load32_splat(fat(wOut, i) + stride)));
    }
    v128.store(vec(mus, q), mu);
    v128.store(vec(ss, q), s);
  }
}

/** The backward pass of every tower into GRAD (every parameter's gradient is written, none accumulated). */
export function backward(theta: usize, trunkVar: f32): void {
  const xs = row(C.ROW_X);
  const gms = row(C.ROW_DMU);
  const gss = row(C.ROW_DS);
  const offWOut = <i32>hdr(C.HDR_OFF_W_OUT);
  const offBOut = <i32>hdr(C.HDR_OFF_B_OUT);
  for (let tw = 0; tw < TOWERS; tw++) {
    const p = theta + (<usize>(tw * TOWER_STRIDE) << 2);
    const gr = GRAD + (<usize>(tw * TOWER_STRIDE) << 2);
    // This tower's output gradients: (μ, s) for a shared trunk, one of them for a separate tower.
    const g0 = OUTPUTS == 2 || tw == 0 ? gms : gss;
    let sb0 = splat(0);
    let sb1 = splat(0);
    for (let q = 0; q < Q; q++) {
      sb0 = f32x4.add(sb0, v128.load(vec(g0, q)));
      sb1 = f32x4.add(sb1, v128.load(vec(gss, q)));
    }
    store<f32>(fat(gr, offBOut), hsum(sb0));
    if (OUTPUTS == 2) store<f32>(fat(gr, offBOut + 1), hsum(sb1));
    if (L == 0) {
      let a0 = splat(0);
      let a1 = splat(0);
      for (let q = 0; q < Q; q++) {
        const xv = v128.load(vec(xs, q));
        a0 = f32x4.add(a0, f32x4.mul(xv, v128.load(vec(g0, q))));
        a1 = f32x4.add(a1, f32x4.mul(xv, v128.load(vec(gss, q))));
      }
      store<f32>(fat(gr, offWOut), hsum(a0));
      if (OUTPUTS == 2) store<f32>(fat(gr, offWOut + 1), hsum(a1));
      continue;
    }
    // The last hidden layer: head weights, its δ (stored unless it is layer 0), its bias (and layer 0's weights).
    const last = L - 1;
    const wl = width(last);
    const h = actAt(tw, last);
    const dOut = deltaAt(last % 2, tw);
    for (let u = 0; u < wl; u++) {
      const wo0 = v128.load32_splat(fat(p, offWOut + OUTPUTS * u));
      const wo1 = OUTPUTS == 2 ? f32x4.mul(v128.load32_splat(fat(p, offWOut + 2 * u + 1)), splat(trunkVar)) : splat(0);
      let ga = splat(0), gb = splat(0), gbias = splat(0), gw0 = splat(0);
      for (let q = 0; q < Q; q++) {
        const hv = v128.load(h + (<usize>(u * Q + q) << 4));
        const gm = v128.load(vec(g0, q));
        const gs = v128.load(vec(gss, q));
        ga = f32x4.add(ga, f32x4.mul(hv, gm));
        gb = f32x4.add(gb, f32x4.mul(hv, gs));
        const delta = f32x4.mul(f32x4.add(f32x4.mul(wo0, gm), f32x4.mul(wo1, gs)), slope(hv, ACT));
        gbias = f32x4.add(gbias, delta);
        if (last == 0) gw0 = f32x4.add(gw0, f32x4.mul(v128.load(vec(xs, q)), delta));
        else v128.store(dOut + (<usize>(u * Q + q) << 4), delta);
      }
      store<f32>(fat(gr, offWOut + OUTPUTS * u), hsum(ga));
      if (OUTPUTS == 2) store<f32>(fat(gr, offWOut + 2 * u + 1), hsum(gb));
      store<f32>(fat(gr, offB(last) + u), hsum(gbias));
      if (last == 0) store<f32>(fat(gr, offW(0) + u), hsum(gw0));
    }
    for (let l = last; l >= 1; l--) {
      const d = l % 2;
      weightGradient(actAt(tw, l - 1), width(l - 1), deltaAt(d, tw), width(l), fat(gr, offW(l)), Q);
      deltaBack(deltaAt(d, tw), width(l), fat(p, offW(l)), actAt(tw, l - 1), width(l - 1), deltaAt(1 - d, tw), Q, ACT);
      biasGradient(deltaAt(1 - d, tw), width(l - 1), fat(gr, offB(l - 1)), xs, l - 1 == 0 ? fat(gr, offW(0)) : 0, Q);
    }
  }
}

