// The fused training kernel: S complete optimiser steps of K mean/variance MLPs in ONE dispatch, one
// workgroup per model. The source is generated per architecture and data shape, so widths, offsets and
// loop bounds are constants. Inside a model the work is spread over the workgroup: quads of four minibatch
// rows for the first layer, the heads and the losses; register tiles of rows × units for the products of the
// deeper layers (passes.wgsl.ts says why); units for the last layer's δ and the bias gradients. Activations go
// to a storage scratch buffer (vec4 words) in chunks of at most 256 rows; a batch with more rows recomputes
// each chunk's forward pass in the backward pass rather than keeping every row's activations.
import { STREAM } from '../core/rng';
import type { Architecture } from '../core/model';
import { kernelLayout, wgslF32, wgslSharedConstants, type KernelLayout } from './contract';
import { LOSSES_WGSL, MATH_WGSL } from './losses.wgsl';
import { activationLayout, passes, REC, REC_WORDS } from './passes.wgsl';

/** Rows of one activation chunk (a multiple of 8: whole pairs of quads). */
export const CHUNK_ROWS = 256;
/** Parameters kept in workgroup memory up to this many floats (8 KiB of the 16 KiB a workgroup may use). */
const PARAM_CACHE_MAX = 2048;

export interface KernelShape {
  arch: Architecture;
  /** Training points and minibatch rows (batch = n and fullBatch when the batch covers the data). */
  n: number;
  batch: number;
  fullBatch: boolean;
  /** Invocations per workgroup. */
  workgroup: number;
  /** Entries of the log Z table (the core's), stored at the start of the data buffer, values then slopes. */
  logZCount: number;
  logZStepsPerUnit: number;
}

export interface ScratchLayout {
  /** Floats of scratch per model (a multiple of 4): gradient, row-quad records, activations, δ, mirrors. */
  perModel: number;
  /** Rows per chunk, quads per chunk (even), chunks. */
  chunk: number;
  quads: number;
  chunks: number;
  /** Offsets in vec4 words: the row records and the activations. */
  rec: number;
  act: number;
}

export function scratchLayout(shape: KernelShape): ScratchLayout {
  const layout = kernelLayout(shape.arch);
  const chunk = Math.min(shape.batch, CHUNK_ROWS);
  const quads = 2 * Math.ceil(chunk / 8);
  const chunks = Math.ceil(shape.batch / chunk);
  const rec = Math.ceil(layout.params / 4);
  const act = rec + chunks * quads * REC_WORDS;
  const words = act + activationLayout(shape.arch, layout.towers.length, quads).size;
  return { perModel: 4 * words, chunk, quads, chunks, rec, act };
}

export function fusedKernelSource(shape: KernelShape): string {
  const { arch } = shape;
  const lay: KernelLayout = kernelLayout(arch);
  const sc = scratchLayout(shape);
  const WG = shape.workgroup;
  const PARTS = Math.min(16, WG);
  const R = sc.chunk;
  const RQ = sc.quads;
  const nChunks = sc.chunks;
  // A model small enough keeps a copy of its parameters in workgroup memory (read by every row and unit).
  const cached = lay.params <= PARAM_CACHE_MAX;
  const { forward, head, backward, mirrorFn, hasMirrors } = passes({ arch, lay, RQ, cached });
  const chunkLoop = (body: string) => `
  for (var c = 0u; c < ${nChunks}u; c = c + 1u) {
    let rows = min(${R}u, ${shape.batch}u - c * ${R}u);
    let nq = ((rows + 7u) / 8u) * 2u;${body}${nChunks > 1 ? '\n    storageBarrier();' : ''}
  }`;
  const rec = (field: keyof typeof REC) => `scratch[rb + ${REC[field]}u]`;

  return /* wgsl */ `${wgslSharedConstants()}

const WG: u32 = ${WG}u;
const N: u32 = ${shape.n}u;
const B: u32 = ${shape.batch}u;
const FULL_BATCH: bool = ${shape.fullBatch};
const STREAM_BATCH: u32 = ${STREAM.batch}u;
const P: u32 = ${lay.params}u;
const ALPHA_LATENT: u32 = ${lay.alphaLatent}u;
const SCALE_LATENT: u32 = ${lay.scaleLatent}u;
const FLOOR: f32 = ${wgslF32(arch.varianceFloor)};
const SHARED_TRUNK: bool = ${arch.shared};
const LOGZ_COUNT: u32 = ${shape.logZCount}u;
const LOGZ_STEPS: f32 = ${wgslF32(shape.logZStepsPerUnit)};
const LOGZ_VALUE: u32 = 0u;
const LOGZ_SLOPE: u32 = ${shape.logZCount}u;
const X_OFF: u32 = ${2 * shape.logZCount}u;
const Y_OFF: u32 = ${2 * shape.logZCount + shape.n}u;
/** vec4 words of scratch per model; a row quad's record words. */
const SCRATCH_PER_MODEL: u32 = ${sc.perModel / 4}u;
const REC_WORDS: u32 = ${REC_WORDS}u;
/** Row quads of the whole batch (every chunk's, padding included). */
const QUADS: u32 = ${nChunks * RQ}u;

@group(0) @binding(0) var<uniform> cfg: Meta;
@group(0) @binding(1) var<storage, read> data: array<f32>;
@group(0) @binding(2) var<storage, read> hyper: array<Hyper>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> mom1: array<f32>;
@group(0) @binding(5) var<storage, read_write> mom2: array<f32>;
@group(0) @binding(6) var<storage, read_write> taus: array<f32>;
@group(0) @binding(7) var<storage, read_write> counters: array<Counters>;
@group(0) @binding(8) var<storage, read_write> scratch: array<vec4<f32>>;

struct Plan { enabled: u32, base: u32, wrapper: u32, tauMode: u32, warmMean: u32, warmNll: u32, sgd: u32, t: u32, steps: u32, tauCount: u32 };
var<workgroup> planVar: Plan;
/** SuperLoss's τ for the step, kept by invocation 0 and mirrored to storage for reads. */
var<workgroup> tauVar: f32;
var<workgroup> red: array<vec4<f32>, ${WG}>;
var<workgroup> part: array<vec4<f32>, ${PARTS}>;
// The current chunk's x and weighted output gradients by row quad, read by every unit's sweep over the rows.
var<workgroup> wgX4: array<vec4<f32>, ${RQ}>;
var<workgroup> wgMu4: array<vec4<f32>, ${RQ}>;
var<workgroup> wgS4: array<vec4<f32>, ${RQ}>;${
    cached
      ? `
var<workgroup> wp: array<f32, ${lay.params}>;`
      : ''
  }

${MATH_WGSL}
${LOSSES_WGSL}

// Scalar words of the vec4 scratch (the gradient).
fn sget(i: u32) -> f32 { return scratch[i >> 2u][i & 3u]; }
fn sput(i: u32, v: f32) { scratch[i >> 2u][i & 3u] = v; }
${hasMirrors ? mirrorFn() : ''}

// Component e of a quad, read and written by selects: a dynamic index into a local vector is a memory
// round trip per lane on SwiftShader.
fn lane(e: u32) -> vec4<bool> { return vec4<u32>(0u, 1u, 2u, 3u) == vec4<u32>(e); }
fn pick(v: vec4<f32>, e: u32) -> f32 { return select(select(select(v.w, v.z, e == 2u), v.y, e == 1u), v.x, e == 0u); }

// The rows of quad q (rows 4q … 4q + 3 of the batch) that exist.
fn validRows(q: u32) -> vec4<bool> { return vec4<u32>(4u * q) + vec4<u32>(0u, 1u, 2u, 3u) < vec4<u32>(B); }

fn rotl(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }
fn mixWord(h: u32, word: u32) -> u32 {
  var k = word * 0xcc9e2d51u;
  k = rotl(k, 15u);
  k = k * 0x1b873593u;
  let g = rotl(h ^ k, 13u);
  return g * 5u + 0xe6546b64u;
}
// hash32(seed, stream, step, j) of src/core/rng.ts.
fn hash4(a: u32, b: u32, c: u32, d: u32) -> u32 {
  var h = 0x9e3779b9u ^ 4u;
  h = mixWord(mixWord(mixWord(mixWord(h, a), b), c), d);
  h = (h ^ (h >> 16u)) * 0x85ebca6bu;
  h = (h ^ (h >> 13u)) * 0xc2b2ae35u;
  return h ^ (h >> 16u);
}
// The engine's minibatch: row j of global step g; a batch as large as the data is the data in order.
fn rowIndex(g: u32, j: u32) -> u32 {
  if (FULL_BATCH) { return j; }
  return hash4(cfg.seed, STREAM_BATCH, g, j) % N;
}

// Two-level reduction over the workgroup: ${PARTS} invocations fold ${WG / PARTS} partials each, then all fold the ${PARTS}.
fn reduceSum(t: u32, v: vec4<f32>) -> vec4<f32> {
  red[t] = v;
  workgroupBarrier();
  if (t < ${PARTS}u) {
    var acc = red[t * ${WG / PARTS}u];
    for (var i = 1u; i < ${WG / PARTS}u; i = i + 1u) { acc = acc + red[t * ${WG / PARTS}u + i]; }
    part[t] = acc;
  }
  workgroupBarrier();
  var r = part[0];
  for (var i = 1u; i < ${PARTS}u; i = i + 1u) { r = r + part[i]; }
  return r;
}
fn reduceMax(t: u32, v: f32) -> f32 {
  red[t] = vec4<f32>(v);
  workgroupBarrier();
  if (t < ${PARTS}u) {
    var acc = red[t * ${WG / PARTS}u].x;
    for (var i = 1u; i < ${WG / PARTS}u; i = i + 1u) { acc = max(acc, red[t * ${WG / PARTS}u + i].x); }
    part[t] = vec4<f32>(acc);
  }
  workgroupBarrier();
  var r = part[0].x;
  for (var i = 1u; i < ${PARTS}u; i = i + 1u) { r = max(r, part[i].x); }
  return r;
}

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let k = wid.x;
  let t = lid.x;
  let hp = hyper[k];
  let PB = k * P;
  // The gradient (scalar words), the row-quad records and the activations (vec4 words).
  let SG = 4u * k * SCRATCH_PER_MODEL;
  let REC = k * SCRATCH_PER_MODEL + ${sc.rec}u;
  let ACT = k * SCRATCH_PER_MODEL + ${sc.act}u;
  if (t == 0u) {
    let cn = counters[k];
    planVar = Plan(hp.enabled, hp.base, hp.wrapper, hp.tauMode, hp.warmMean, hp.warmNll, hp.sgd, cn.t, cn.steps, cn.tauCount);
  }
  let plan = workgroupUniformLoad(&planVar);
  // A diverged model takes no step: nothing of it changes.
  if (plan.enabled == 0u) { return; }${
    cached
      ? `
  for (var p = t; p < P; p = p + WG) { wp[p] = params[PB + p]; }`
      : ''
  }
  if (t == 0u) { tauVar = taus[k]; }${
    hasMirrors
      ? `
  // The vec4 mirrors of the deeper weight matrices, from this dispatch's parameters.
  for (var p = t; p < P; p = p + WG) { mirror(ACT, p, params[PB + p]); }
  storageBarrier();`
      : ''
  }
  workgroupBarrier();
  // Faithful: the variance head's gradient never reaches a shared trunk (in every phase, as in the engine).
  let trunkVar = select(1.0, 0.0, plan.base == BASE_FAITHFUL);
  var tauCount = plan.tauCount;
  for (var st = 0u; st < cfg.steps; st = st + 1u) {
    let g = cfg.stepBase + st;
    let phase = phaseAt(plan.steps + st, plan.warmMean, plan.warmNll);
    let own = phase == PHASE_OWN;
    let wrapper = select(WRAP_NONE, plan.wrapper, own);
    let latA = ${cached ? 'wp[ALPHA_LATENT]' : 'params[PB + ALPHA_LATENT]'};
    let latC = ${cached ? 'wp[SCALE_LATENT]' : 'params[PB + SCALE_LATENT]'};
    let adaptive = vec2<f32>(ADAPTIVE_ALPHA_LO + ADAPTIVE_ALPHA_SPAN * sigmoid(latA), softplus(latC) + ADAPTIVE_SCALE_MIN);

    // Pass 1: forward and per-row losses; row quad q stays with invocation q % WG from here to the weighting.
${chunkLoop(`${forward()}
    for (var q = t; q < nq; q = q + WG) {
      let rb = REC + (c * ${RQ}u + q) * REC_WORDS;
      let x4 = wgX4[q];
      let y4 = ${rec('y')};${head()}
      var l4 = vec4<f32>(0.0);
      var dmu4 = vec4<f32>(0.0);
      var ds4 = vec4<f32>(0.0);
      var da4 = vec4<f32>(0.0);
      var dc4 = vec4<f32>(0.0);
      for (var e = 0u; e < 4u; e = e + 1u) {
        if (4u * q + e < rows) {
          let one = lane(e);
          let mu = pick(mu4, e);
          let s = pick(s4, e);
          let y = pick(y4, e);
          let v = softplus(s) + FLOOR;
          var lo: LossOut;
          if (phase == PHASE_MEAN) { lo = lossMse(mu, y); }
          else if (phase == PHASE_NLL) { lo = lossNll(mu, v, y); }
          else { lo = baseLoss(plan.base, mu, v, y, hp, adaptive); }
          l4 = select(l4, vec4<f32>(lo.l), one);
          dmu4 = select(dmu4, vec4<f32>(lo.dmu), one);
          ds4 = select(ds4, vec4<f32>(lo.dv * sigmoid(s)), one);
          da4 = select(da4, vec4<f32>(lo.da), one);
          dc4 = select(dc4, vec4<f32>(lo.dc), one);
        }
      }
      ${rec('l')} = l4;
      ${rec('dmu')} = dmu4;
      ${rec('ds')} = ds4;
      ${rec('da')} = da4;
      ${rec('dc')} = dc4;
    }`)}

    // The wrapper's weight of each row's gradient: 1/B, Boltzmann's eq. 6 (its constant w, or α clipped at 0), SuperLoss's σ*/B.
    // Rows past B (a chunk's padding) weigh 0 and join no reduction.
    let boltzmann = wrapper == WRAP_BOLTZMANN || wrapper == WRAP_BOLTZMANN_CONST || wrapper == WRAP_BOLTZMANN_CLIPPED;
    var lse = 0.0;
    var lbar = 0.0;
    var meanLoss = 0.0;
    if (boltzmann) {
      var mx = -3.4e38;
      for (var q = t; q < QUADS; q = q + WG) {
        let v = select(vec4<f32>(-3.4e38), -scratch[REC + q * REC_WORDS + ${REC.l}u] * hp.invT, validRows(q));
        mx = max(mx, max(max(v.x, v.y), max(v.z, v.w)));
      }
      let m = reduceMax(t, mx);
      var acc = vec4<f32>(0.0);
      for (var q = t; q < QUADS; q = q + WG) {
        let l = scratch[REC + q * REC_WORDS + ${REC.l}u];
        let e = select(vec4<f32>(0.0), exp(-l * hp.invT - m), validRows(q));
        acc = acc + vec4<f32>(dot(e, vec4<f32>(1.0)), dot(e, select(vec4<f32>(0.0), l, validRows(q))), 0.0, 0.0);
      }
      let sums = reduceSum(t, acc);
      lse = m + log(sums.x);
      lbar = sums.y / sums.x;
    }
    let superloss = wrapper == WRAP_SUPERLOSS;
    let tauMoves = superloss && plan.tauMode != TAU_FIXED;
    let tau = select(tauVar, hp.tauFixed, plan.tauMode == TAU_FIXED);
    if (tauMoves) {
      var acc = vec4<f32>(0.0);
      for (var q = t; q < QUADS; q = q + WG) {
        acc.x = acc.x + dot(select(vec4<f32>(0.0), scratch[REC + q * REC_WORDS + ${REC.l}u], validRows(q)), vec4<f32>(1.0));
      }
      meanLoss = reduceSum(t, acc).x / f32(B);
    }
    var lat = vec4<f32>(0.0);
    for (var q = t; q < QUADS; q = q + WG) {
      let rb = REC + q * REC_WORDS;
      let l = ${rec('l')};
      var w = vec4<f32>(1.0 / f32(B));
      if (boltzmann) {
        w = exp(-l * hp.invT - lse);
        if (wrapper == WRAP_BOLTZMANN) { w = w * (1.0 + hp.invT * (lbar - l)); }
        if (wrapper == WRAP_BOLTZMANN_CLIPPED) { w = w * max(vec4<f32>(0.0), 1.0 + hp.invT * (lbar - l)); }
      } else if (superloss) {
        for (var e = 0u; e < 4u; e = e + 1u) { w = select(w, vec4<f32>(superlossSigma(pick(l, e), tau, hp.lambda) / f32(B)), lane(e)); }
      }
      w = select(vec4<f32>(0.0), w, validRows(q));
${
  nChunks === 1
    ? `      wgMu4[q] = w * ${rec('dmu')};
      wgS4[q] = w * ${rec('ds')};`
    : `      ${rec('dmu')} = w * ${rec('dmu')};
      ${rec('ds')} = w * ${rec('ds')};`
}
      lat = lat + vec4<f32>(dot(w, ${rec('da')}), dot(w, ${rec('dc')}), 0.0, 0.0);
    }
    var latentGrad = vec2<f32>(0.0);
    if (own && plan.base == BASE_BARRON_ADAPTIVE) {
      let sa = sigmoid(latA);
      latentGrad = reduceSum(t, lat).xy * vec2<f32>(ADAPTIVE_ALPHA_SPAN * sa * (1.0 - sa), sigmoid(latC));
    }
    workgroupBarrier();

    // Pass 2: backward, chunk by chunk (a batch of more than one chunk recomputes its stored activations).
${chunkLoop(
  `${
    nChunks > 1
      ? `${arch.hidden.length >= 2 ? forward() : ''}
    for (var q = t; q < nq; q = q + WG) {
      let rb = REC + (c * ${RQ}u + q) * REC_WORDS;
      wgX4[q] = ${rec('x')};
      wgMu4[q] = ${rec('dmu')};
      wgS4[q] = ${rec('ds')};
    }
    workgroupBarrier();`
      : ''
  }${backward()}`,
)}

    // The optimiser over every parameter; the latents take a zero gradient unless Barron's adaptive loss is live.
    if (plan.sgd != 0u) {
      for (var p = t; p < P; p = p + WG) {
        let gp = select(select(sget(SG + p), latentGrad.y, p == SCALE_LATENT), latentGrad.x, p == ALPHA_LATENT);
        let next = params[PB + p] - hp.lr * gp;
        params[PB + p] = next;
        ${cached ? 'wp[p] = next;' : ''}${hasMirrors ? '\n        mirror(ACT, p, next);' : ''}
      }
    } else {
      let tt = f32(plan.t + st + 1u);
      let stepSize = hp.lr / max(1.0 - exp(tt * ADAM_LOG_BETA1), 1e-12);
      let c2 = max(1.0 - exp(tt * ADAM_LOG_BETA2), 1e-12);
      for (var p = t; p < P; p = p + WG) {
        let gp = select(select(sget(SG + p), latentGrad.y, p == SCALE_LATENT), latentGrad.x, p == ALPHA_LATENT);
        let m = mom1[PB + p] * ADAM_BETA1 + gp * ADAM_ONE_MINUS_BETA1;
        let v = mom2[PB + p] * ADAM_BETA2 + gp * gp * ADAM_ONE_MINUS_BETA2;
        mom1[PB + p] = m;
        mom2[PB + p] = v;
        let next = params[PB + p] - stepSize * (m / (sqrt(v / c2) + ADAM_EPS));
        params[PB + p] = next;
        ${cached ? 'wp[p] = next;' : ''}${hasMirrors ? '\n        mirror(ACT, p, next);' : ''}
      }
    }
    // SuperLoss's τ: the value used above, then the batch's mean loss folded in (running mean or EMA).
    if (t == 0u) {
      if (plan.tauMode == TAU_FIXED) {
        tauVar = hp.tauFixed;
        taus[k] = hp.tauFixed;
      } else if (tauMoves) {
        tauCount = tauCount + 1u;
        let n = f32(tauCount);
        var next = meanLoss;
        if (tauCount > 1u) {
          next = select(0.9 * tau + 0.1 * meanLoss, tau * ((n - 1.0) / n) + meanLoss / n, plan.tauMode == TAU_RUNNING);
        }
        if (isFinite(next)) {
          tauVar = next;
          taus[k] = next;
        }
      }
    }
    ${cached && !hasMirrors ? 'workgroupBarrier();' : 'storageBarrier();\n    workgroupBarrier();'}
  }
  if (t == 0u) {
    counters[k] = Counters(select(plan.t + cfg.steps, plan.t, plan.sgd != 0u), plan.steps + cfg.steps, tauCount, 0u);
  }
}
`;
}
