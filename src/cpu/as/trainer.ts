// The CPU trainer's entry points: `train` runs S complete optimiser steps of each of this module's models,
// one model at a time (its parameters and moments stay in cache for all S steps). The host lays out the
// memory and writes the header (src/cpu/contract.ts, src/cpu/layout.ts); `configure` reads it once.
// Every step follows the WGSL kernel's (src/fused/kernel.wgsl.ts): the minibatch by the same hash, the
// warm-up phases, the per-row loss, the wrapper's weights (rows.ts), the backward pass (network.ts), then Adam or
// SGD (here).
import * as C from './generated';
import * as loss from './losses';
import { hsum, isFinite32, sigmoid, softplus, splat } from './math';
import { backward, forward } from './network';
import { drawIndices, drawRows, latentA, latentC, meanLoss, rowLosses, weighRows } from './rows';
import { ALAT, COUNTERS, fat, GRAD, HYPERS, MODELS, PP, SLAT, TAUS } from './shape';

export { configure, headerPtr } from './shape';

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
