// The CPU trainer's entry points: `train` runs S complete optimiser steps of each of this module's models,
// one model at a time (its parameters and moments stay in cache for all S steps). The host lays out the
// memory and writes the header (src/cpu/contract.ts, src/cpu/layout.ts); `configure` reads it once.
// Every step follows the WGSL kernel's (src/fused/kernel.wgsl.ts): the minibatch by the same hash, the
// warm-up phases, the per-row loss, the wrapper's weights, the backward pass, then Adam or SGD.
import * as C from './generated';
import * as loss from './losses';
import { baseLoss, lossMse, lossNll, outDa, outDc, outDmu, outDv, outL } from './losses';
import { hsum, isFinite32, sigmoid, softplus, splat, superlossSigma } from './math';
import { biasGradient, deltaBack, denseLayer, firstLayer, slope, weightGradient } from './passes';

let HDR: usize = 0;

/** Where the host writes the header: the first 16-byte boundary past the module's own static data. */
export function headerPtr(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

// @ts-ignore: decorator
@inline function hdr(word: u32): u32 {
  return load<u32>(HDR + (<usize>word << 2));
}
// @ts-ignore: decorator
@inline function fat(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}
// @ts-ignore: decorator
@inline function vec(base: usize, q: i32): usize {
  return base + (<usize>q << 4);
}

let L: i32 = 0;
let ACT: u32 = 0;
let TOWERS: i32 = 1;
let OUTPUTS: i32 = 2;
let FLOOR: f32 = 0;
let PP: i32 = 0;
let ALAT: i32 = 0;
let SLAT: i32 = 0;
let TOWER_STRIDE: i32 = 0;
let N: u32 = 0;
let B: i32 = 0;
let FULL: bool = false;
let Q: i32 = 0;
let SUMW: i32 = 0;
let MAXW: i32 = 0;
let SEED: u32 = 0;
let X: usize = 0;
let Y: usize = 0;
let MODELS: usize = 0;
let HYPERS: usize = 0;
let COUNTERS: usize = 0;
let TAUS: usize = 0;
let GRAD: usize = 0;
let ROWS: usize = 0;
let ACTS: usize = 0;
let DELTAS: usize = 0;
let IDX: usize = 0;

function width(l: i32): i32 {
  return <i32>hdr(C.HDR_WIDTH0 + <u32>l);
}
function offW(l: i32): i32 {
  return <i32>hdr(C.HDR_OFF_W0 + <u32>l);
}
function offB(l: i32): i32 {
  return <i32>hdr(C.HDR_OFF_B0 + <u32>l);
}
/** Units of the layers below l (where layer l's activations start within a tower). */
function before(l: i32): i32 {
  let s = 0;
  for (let i = 0; i < l; i++) s += width(i);
  return s;
}
function row(field: u32): usize {
  return ROWS + (<usize>(field * <u32>Q) << 4);
}
function actAt(tw: i32, l: i32): usize {
  return ACTS + (<usize>((tw * SUMW + before(l)) * Q) << 4);
}
function deltaAt(d: i32, tw: i32): usize {
  return DELTAS + (<usize>((d * TOWERS + tw) * MAXW * Q) << 4);
}

/** Reads the header the host wrote at headerPtr(). */
export function configure(): void {
  HDR = headerPtr();
  L = <i32>hdr(C.HDR_LAYERS);
  ACT = hdr(C.HDR_ACTIVATION);
  TOWERS = <i32>hdr(C.HDR_TOWERS);
  OUTPUTS = <i32>hdr(C.HDR_OUTPUTS);
  FLOOR = load<f32>(HDR + (<usize>C.HDR_FLOOR << 2));
  PP = <i32>hdr(C.HDR_PARAMS_PADDED);
  ALAT = <i32>hdr(C.HDR_ALPHA_LATENT);
  SLAT = <i32>hdr(C.HDR_SCALE_LATENT);
  TOWER_STRIDE = <i32>hdr(C.HDR_TOWER_STRIDE);
  N = hdr(C.HDR_N);
  B = <i32>hdr(C.HDR_BATCH);
  FULL = hdr(C.HDR_FULL_BATCH) != 0;
  Q = <i32>hdr(C.HDR_QUADS);
  SUMW = before(L);
  MAXW = 0;
  for (let l = 0; l < L; l++) MAXW = max(MAXW, width(l));
  SEED = hdr(C.HDR_BATCH_SEED);
  X = <usize>hdr(C.HDR_X_PTR);
  Y = <usize>hdr(C.HDR_Y_PTR);
  MODELS = <usize>hdr(C.HDR_MODEL_PTR);
  HYPERS = <usize>hdr(C.HDR_HYPER_PTR);
  COUNTERS = <usize>hdr(C.HDR_COUNTER_PTR);
  TAUS = <usize>hdr(C.HDR_TAU_PTR);
  GRAD = <usize>hdr(C.HDR_GRAD_PTR);
  ROWS = <usize>hdr(C.HDR_ROW_PTR);
  ACTS = <usize>hdr(C.HDR_ACT_PTR);
  DELTAS = <usize>hdr(C.HDR_DELTA_PTR);
  IDX = <usize>hdr(C.HDR_INDEX_PTR);
  loss.hTable = <usize>hdr(C.HDR_LOG_Z_PTR);
  loss.hCount = hdr(C.HDR_LOG_Z_COUNT);
  loss.hStepsPerUnit = load<f32>(HDR + (<usize>C.HDR_LOG_Z_STEPS_PER_UNIT << 2));
  // The gradient's padding past the last parameter is never written by a pass: zero, so Adam leaves it at 0.
  memory.fill(GRAD, 0, <usize>PP << 2);
}

// ---------------------------------------------------------------- the minibatch

function mixWord(h: u32, word: u32): u32 {
  let k = word * 0xcc9e2d51;
  k = rotl<u32>(k, 15);
  k = k * 0x1b873593;
  const g = rotl<u32>(h ^ k, 13);
  return g * 5 + 0xe6546b64;
}
/** hash32(seed, stream, step, j) of src/core/rng.ts. */
function hash4(a: u32, b: u32, c: u32, d: u32): u32 {
  let h: u32 = 0x9e3779b9 ^ 4;
  h = mixWord(mixWord(mixWord(mixWord(h, a), b), c), d);
  h = (h ^ (h >> 16)) * 0x85ebca6b;
  h = (h ^ (h >> 13)) * 0xc2b2ae35;
  return h ^ (h >> 16);
}

/** The minibatches of steps [g0, g0 + n): their rows' indices, step by step (IDX_CHUNK steps at most), shared by
 * every model of the shard (the hash is a tenth of a small model's step). A full batch needs none. */
function drawIndices(g0: u32, n: u32): void {
  if (FULL) return;
  for (let s: u32 = 0; s < n; s++) {
    const base = IDX + (<usize>(s * <u32>B) << 2);
    for (let j = 0; j < B; j++) store<u32>(base + (<usize>j << 2), hash4(SEED, C.STREAM_BATCH, g0 + s, <u32>j) % N);
  }
}

/** x and y of the rows of the chunk's step s; rows past the batch (padding to whole quad pairs) get 0. */
function drawRows(s: u32): void {
  const xs = row(C.ROW_X);
  const ys = row(C.ROW_Y);
  const base = IDX + (<usize>(s * <u32>B) << 2);
  for (let j = 0; j < Q * 4; j++) {
    let xv: f32 = 0;
    let yv: f32 = 0;
    if (j < B) {
      const idx = FULL ? <u32>j : load<u32>(base + (<usize>j << 2));
      xv = load<f32>(fat(X, <i32>idx));
      yv = load<f32>(fat(Y, <i32>idx));
    }
    store<f32>(fat(xs, j), xv);
    store<f32>(fat(ys, j), yv);
  }
}

// ---------------------------------------------------------------- one step

/** The forward pass of every tower and the heads: μ and s of each row. */
function forward(theta: usize): void {
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

/** Each row's loss and its derivatives in μ, s (through σ² = softplus(s) + floor), α and c; padded rows 0. */
function rowLosses(phase: u32, base: u32): void {
  const mus = row(C.ROW_MU);
  const ss = row(C.ROW_S);
  const ys = row(C.ROW_Y);
  for (let j = 0; j < Q * 4; j++) {
    let l: f32 = 0, dmu: f32 = 0, ds: f32 = 0, da: f32 = 0, dc: f32 = 0;
    if (j < B) {
      const mu = load<f32>(fat(mus, j));
      const s = load<f32>(fat(ss, j));
      const y = load<f32>(fat(ys, j));
      const v = softplus(s) + FLOOR;
      if (phase == C.PHASE_MEAN) lossMse(mu, y);
      else if (phase == C.PHASE_NLL) lossNll(mu, v, y);
      else baseLoss(base, mu, v, y);
      l = outL;
      dmu = outDmu;
      ds = outDv * sigmoid(s);
      da = outDa;
      dc = outDc;
    }
    store<f32>(fat(row(C.ROW_L), j), l);
    store<f32>(fat(row(C.ROW_DMU), j), dmu);
    store<f32>(fat(row(C.ROW_DS), j), ds);
    store<f32>(fat(row(C.ROW_DA), j), da);
    store<f32>(fat(row(C.ROW_DC), j), dc);
  }
}

let latentA: f32 = 0;
let latentC: f32 = 0;
let meanLoss: f32 = 0;

/** The wrapper's weight of each row's gradient (1/B, Boltzmann's eq. 6, its constant w, α clipped at 0, or
 * SuperLoss's σ* over B), folded into the row's dμ and ds; the weighted sums of dα and dc for the latents. */
function weighRows(wrapper: u32, invT: f32, superloss: bool, tauMoves: bool, tau: f32, lambda: f32): void {
  const ls = row(C.ROW_L);
  const boltzmann = wrapper == C.WRAP_BOLTZMANN || wrapper == C.WRAP_BOLTZMANN_CONST || wrapper == C.WRAP_BOLTZMANN_CLIPPED;
  let lse: f32 = 0;
  let lbar: f32 = 0;
  if (boltzmann) {
    let mx: f32 = -3.4e38;
    for (let j = 0; j < B; j++) mx = Mathf.max(mx, -load<f32>(fat(ls, j)) * invT);
    let se: f32 = 0;
    let sl: f32 = 0;
    for (let j = 0; j < B; j++) {
      const l = load<f32>(fat(ls, j));
      const e = Mathf.exp(-l * invT - mx);
      se += e;
      sl += e * l;
    }
    lse = mx + Mathf.log(se);
    lbar = sl / se;
  }
  meanLoss = 0;
  if (tauMoves) {
    let s: f32 = 0;
    for (let j = 0; j < B; j++) s += load<f32>(fat(ls, j));
    meanLoss = s / <f32>B;
  }
  const uniformW: f32 = 1.0 / <f32>B;
  let la: f32 = 0;
  let lc: f32 = 0;
  for (let j = 0; j < B; j++) {
    const l = load<f32>(fat(ls, j));
    let w = uniformW;
    if (boltzmann) {
      w = Mathf.exp(-l * invT - lse);
      if (wrapper == C.WRAP_BOLTZMANN) w = w * (1.0 + invT * (lbar - l));
      if (wrapper == C.WRAP_BOLTZMANN_CLIPPED) w = w * Mathf.max(0, 1.0 + invT * (lbar - l));
    } else if (superloss) {
      w = superlossSigma(l, tau, lambda) / <f32>B;
    }
    const pm = fat(row(C.ROW_DMU), j);
    const ps = fat(row(C.ROW_DS), j);
    store<f32>(pm, w * load<f32>(pm));
    store<f32>(ps, w * load<f32>(ps));
    la += w * load<f32>(fat(row(C.ROW_DA), j));
    lc += w * load<f32>(fat(row(C.ROW_DC), j));
  }
  latentA = la;
  latentC = lc;
}

/** The backward pass of every tower into GRAD (every parameter's gradient is written, none accumulated). */
function backward(theta: usize, trunkVar: f32): void {
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

/** Adam (the engine's bias corrections, in float64 then rounded) or SGD over every parameter, as vectors. */
function optimise(theta: usize, sgd: bool, lr: f32, t: u32): void {
  const m = theta + (<usize>PP << 2);
  const v = m + (<usize>PP << 2);
  if (sgd) {
    const rate = splat(lr);
    for (let i = 0; i < PP; i += 4) {
      const at = <usize>i << 2;
      v128.store(theta + at, f32x4.sub(v128.load(theta + at), f32x4.mul(rate, v128.load(GRAD + at))));
    }
    return;
  }
  const tf = <f64>t;
  const stepSize = splat(<f32>(<f64>lr / (1 - Math.pow(C.ADAM_BETA1_F64, tf))));
  const c2 = splat(<f32>(1 - Math.pow(C.ADAM_BETA2_F64, tf)));
  const b1 = splat(C.ADAM_BETA1), b2 = splat(C.ADAM_BETA2), ob1 = splat(C.ADAM_ONE_MINUS_BETA1), ob2 = splat(C.ADAM_ONE_MINUS_BETA2), eps = splat(C.ADAM_EPS);
  for (let i = 0; i < PP; i += 4) {
    const at = <usize>i << 2;
    const g = v128.load(GRAD + at);
    const m1 = f32x4.add(f32x4.mul(v128.load(m + at), b1), f32x4.mul(g, ob1));
    const m2 = f32x4.add(f32x4.mul(v128.load(v + at), b2), f32x4.mul(f32x4.mul(g, g), ob2));
    v128.store(m + at, m1);
    v128.store(v + at, m2);
    const denom = f32x4.add(f32x4.sqrt(f32x4.div(m2, c2)), eps);
    v128.store(theta + at, f32x4.sub(v128.load(theta + at), f32x4.mul(stepSize, f32x4.div(m1, denom))));
  }
}

function phaseAt(steps: u32, warmMean: u32, warmNll: u32): u32 {
  if (steps < warmMean) return C.PHASE_MEAN;
  if (steps - warmMean < warmNll) return C.PHASE_NLL;
  return C.PHASE_OWN;
}

// @ts-ignore: decorator
@inline function hu(h: usize, word: u32): u32 {
  return load<u32>(h + (<usize>word << 2));
}
// @ts-ignore: decorator
@inline function hf(h: usize, word: u32): f32 {
  return load<f32>(h + (<usize>word << 2));
}

/** `steps` steps of models [k0, k1) from global step `stepBase`, in chunks of IDX_CHUNK steps (every model one chunk,
 * then the next); a model whose `enabled` word is 0 takes none. */
export function train(k0: i32, k1: i32, stepBase: u32, steps: u32): void {
  for (let done: u32 = 0; done < steps; done += C.IDX_CHUNK) {
    const n = min(C.IDX_CHUNK, steps - done);
    drawIndices(stepBase + done, n);
    for (let k = k0; k < k1; k++) trainModel(k, n);
  }
}

/** The chunk's `steps` steps of model k (its counters say where it is). */
function trainModel(k: i32, steps: u32): void {
  {
    const h = HYPERS + (<usize>(k * <i32>C.HYPER_WORDS) << 2);
    if (hu(h, C.H_ENABLED) == 0) return;
    const cnt = COUNTERS + (<usize>(k * <i32>C.COUNTER_WORDS) << 2);
    const theta = MODELS + (<usize>(3 * k * PP) << 2);
    const base = hu(h, C.H_BASE);
    const tauMode = hu(h, C.H_TAU_MODE);
    const sgd = hu(h, C.H_SGD) != 0;
    const invT = hf(h, C.H_INV_T);
    const lambda = hf(h, C.H_LAMBDA);
    const tauFixed = hf(h, C.H_TAU_FIXED);
    loss.hBeta = hf(h, C.H_BETA);
    loss.hNu = hf(h, C.H_NU);
    loss.hTConst = hf(h, C.H_T_CONST);
    loss.hAlpha = hf(h, C.H_ALPHA);
    loss.hC = hf(h, C.H_C);
    loss.hWelsch = hu(h, C.H_WELSCH) != 0;
    // Faithful: the variance head's gradient never reaches a shared trunk (in every phase, as in the engine).
    const trunkVar: f32 = base == C.BASE_FAITHFUL ? 0 : 1;
    let t = load<u32>(cnt + (<usize>C.C_T << 2));
    const steps0 = load<u32>(cnt + (<usize>C.C_STEPS << 2));
    let tauCount = load<u32>(cnt + (<usize>C.C_TAU_COUNT << 2));
    let tauVar = load<f32>(fat(TAUS, k));
    for (let st: u32 = 0; st < steps; st++) {
      const phase = phaseAt(steps0 + st, hu(h, C.H_WARM_MEAN), hu(h, C.H_WARM_NLL));
      const own = phase == C.PHASE_OWN;
      const wrapper = own ? hu(h, C.H_WRAPPER) : C.WRAP_NONE;
      const latA = load<f32>(fat(theta, ALAT));
      const latC = load<f32>(fat(theta, SLAT));
      loss.hAdaptiveAlpha = C.ADAPTIVE_ALPHA_LO + C.ADAPTIVE_ALPHA_SPAN * sigmoid(latA);
      loss.hAdaptiveC = softplus(latC) + C.ADAPTIVE_SCALE_MIN;
      drawRows(st);
      forward(theta);
      rowLosses(phase, base);
      const superloss = wrapper == C.WRAP_SUPERLOSS;
      const tauMoves = superloss && tauMode != C.TAU_FIXED;
      const tau = tauMode == C.TAU_FIXED ? tauFixed : tauVar;
      weighRows(wrapper, invT, superloss, tauMoves, tau, lambda);
      backward(theta, trunkVar);
      let ga: f32 = 0;
      let gc: f32 = 0;
      if (own && base == C.BASE_BARRON_ADAPTIVE) {
        const sa = sigmoid(latA);
        ga = latentA * (C.ADAPTIVE_ALPHA_SPAN * sa * (1.0 - sa));
        gc = latentC * sigmoid(latC);
      }
      store<f32>(fat(GRAD, ALAT), ga);
      store<f32>(fat(GRAD, SLAT), gc);
      if (!sgd) t++;
      optimise(theta, sgd, hf(h, C.H_LR), t);
      // SuperLoss's τ: the value used above, then the batch's mean loss folded in (running mean or EMA).
      if (tauMode == C.TAU_FIXED) tauVar = tauFixed;
      else if (tauMoves) {
        tauCount++;
        const n = <f32>tauCount;
        let next = meanLoss;
        if (tauCount > 1) next = tauMode == C.TAU_RUNNING ? tau * ((n - 1.0) / n) + meanLoss / n : <f32>0.9 * tau + <f32>0.1 * meanLoss;
        if (isFinite32(next)) tauVar = next;
      }
    }
    store<u32>(cnt + (<usize>C.C_T << 2), t);
    store<u32>(cnt + (<usize>C.C_STEPS << 2), steps0 + steps);
    store<u32>(cnt + (<usize>C.C_TAU_COUNT << 2), tauCount);
    store<f32>(fat(TAUS, k), tauVar);
  }
}

/** A multiply-add loop on twelve independent vectors (the benchmark's peak probe, src/bench/cpuBench.ts: 96 flops an
 * iteration); returns their sum so the work stays. */
export function peakProbe(iters: i32): f32 {
  let a0 = splat(1.0), a1 = splat(1.1), a2 = splat(1.2), a3 = splat(1.3), a4 = splat(1.4), a5 = splat(1.5), a6 = splat(1.6), a7 = splat(1.7);
  let a8 = splat(1.8), a9 = splat(1.9), a10 = splat(2.0), a11 = splat(2.1);
  const m = splat(0.9999);
  const c = splat(0.0001);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c);
    a1 = f32x4.add(f32x4.mul(a1, m), c);
    a2 = f32x4.add(f32x4.mul(a2, m), c);
    a3 = f32x4.add(f32x4.mul(a3, m), c);
    a4 = f32x4.add(f32x4.mul(a4, m), c);
    a5 = f32x4.add(f32x4.mul(a5, m), c);
    a6 = f32x4.add(f32x4.mul(a6, m), c);
    a7 = f32x4.add(f32x4.mul(a7, m), c);
    a8 = f32x4.add(f32x4.mul(a8, m), c);
    a9 = f32x4.add(f32x4.mul(a9, m), c);
    a10 = f32x4.add(f32x4.mul(a10, m), c);
    a11 = f32x4.add(f32x4.mul(a11, m), c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)));
  return hsum(f32x4.add(s, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11))));
}
