// The fused training kernel: S complete optimiser steps of K mean/variance MLPs in ONE dispatch, one
// workgroup per model. The source is generated per architecture and data shape, so widths, offsets and
// loop bounds are constants. Inside a model the work is spread over the workgroup: rows of the minibatch for
// the first layer and the losses, (row, unit) pairs for deeper layers, (input, unit) pairs for the weight
// gradients. Activations go to a storage scratch buffer in chunks of at most 256 rows; a batch with more
// rows recomputes each chunk's forward pass in the backward pass rather than keeping every row's activations.
import { STREAM } from '../core/rng';
import type { Architecture } from '../core/model';
import { kernelLayout, wgslF32, wgslSharedConstants, type KernelLayout } from './contract';
import { LOSSES_WGSL, MATH_WGSL } from './losses.wgsl';
import { passes } from './passes.wgsl';

/** Rows of one activation chunk: a multiple of every workgroup size used, so a row keeps its invocation. */
export const CHUNK_ROWS = 256;
/** Parameters kept in workgroup memory up to this many floats (8 KiB of the 16 KiB a workgroup may use). */
const PARAM_CACHE_MAX = 2048;
/** Words kept per minibatch row: x, y, then ℓ and the weighted derivatives in μ, s, α, c. */
export const ROW = { x: 0, y: 1, l: 2, dmu: 3, ds: 4, da: 5, dc: 6 } as const;
const ROW_WORDS = 7;

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
  /** Floats of scratch per model: gradient (P), rows (batch × ROW_WORDS), activations, two δ buffers. */
  perModel: number;
  grad: number;
  rows: number;
  act: number;
  delta: number;
  chunk: number;
}

export function scratchLayout(shape: KernelShape): ScratchLayout {
  const layout = kernelLayout(shape.arch);
  const towers = layout.towers.length;
  const chunk = Math.min(shape.batch, CHUNK_ROWS);
  const sumW = shape.arch.hidden.reduce((a, b) => a + b, 0);
  const maxW = Math.max(0, ...shape.arch.hidden);
  const grad = 0;
  const rows = grad + layout.params;
  const act = rows + shape.batch * ROW_WORDS;
  const delta = act + towers * chunk * sumW;
  return { perModel: delta + 2 * towers * chunk * maxW, grad, rows, act, delta, chunk };
}

export function fusedKernelSource(shape: KernelShape): string {
  const { arch } = shape;
  const lay: KernelLayout = kernelLayout(arch);
  const sc = scratchLayout(shape);
  const WG = shape.workgroup;
  const R = sc.chunk;
  const nChunks = Math.ceil(shape.batch / R);
  // A model small enough keeps a copy of its parameters in workgroup memory (read by every row and unit).
  const cached = lay.params <= PARAM_CACHE_MAX;
  const { forward, head, backward } = passes({ arch, lay, R, rowWords: ROW_WORDS, row: ROW, cached });
  const chunkLoop = (body: string) => `
  for (var c = 0u; c < ${nChunks}u; c = c + 1u) {
    let rows = min(${R}u, ${shape.batch}u - c * ${R}u);${body}${nChunks > 1 ? '\n    storageBarrier();' : ''}
  }`;

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
const SCRATCH_PER_MODEL: u32 = ${sc.perModel}u;

@group(0) @binding(0) var<uniform> cfg: Meta;
@group(0) @binding(1) var<storage, read> data: array<f32>;
@group(0) @binding(2) var<storage, read> hyper: array<Hyper>;
@group(0) @binding(3) var<storage, read_write> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> mom1: array<f32>;
@group(0) @binding(5) var<storage, read_write> mom2: array<f32>;
@group(0) @binding(6) var<storage, read_write> taus: array<f32>;
@group(0) @binding(7) var<storage, read_write> counters: array<Counters>;
@group(0) @binding(8) var<storage, read_write> scratch: array<f32>;

struct Plan { enabled: u32, base: u32, wrapper: u32, tauMode: u32, warmMean: u32, warmNll: u32, sgd: u32, t: u32, steps: u32, tauCount: u32 };
var<workgroup> planVar: Plan;
/** SuperLoss's τ for the step, kept by invocation 0 and mirrored to storage for reads. */
var<workgroup> tauVar: f32;
var<workgroup> red: array<vec4<f32>, ${WG}>;
var<workgroup> part: array<vec4<f32>, 16>;
// The current chunk's x and weighted output gradients, read by every unit's sweep over the rows.
var<workgroup> wgX: array<f32, ${R}>;
var<workgroup> wgMu: array<f32, ${R}>;
var<workgroup> wgS: array<f32, ${R}>;${cached ? `
var<workgroup> wp: array<f32, ${lay.params}>;` : ''}

${MATH_WGSL}
${LOSSES_WGSL}

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

// Two-level reduction over the workgroup: 16 invocations fold ${WG / 16} partials each, then all fold the 16.
fn reduceSum(t: u32, v: vec4<f32>) -> vec4<f32> {
  red[t] = v;
  workgroupBarrier();
  if (t < 16u) {
    var acc = red[t * ${WG / 16}u];
    for (var i = 1u; i < ${WG / 16}u; i = i + 1u) { acc = acc + red[t * ${WG / 16}u + i]; }
    part[t] = acc;
  }
  workgroupBarrier();
  var r = part[0];
  for (var i = 1u; i < 16u; i = i + 1u) { r = r + part[i]; }
  return r;
}
fn reduceMax(t: u32, v: f32) -> f32 {
  red[t] = vec4<f32>(v);
  workgroupBarrier();
  if (t < 16u) {
    var acc = red[t * ${WG / 16}u].x;
    for (var i = 1u; i < ${WG / 16}u; i = i + 1u) { acc = max(acc, red[t * ${WG / 16}u + i].x); }
    part[t] = vec4<f32>(acc);
  }
  workgroupBarrier();
  var r = part[0].x;
  for (var i = 1u; i < 16u; i = i + 1u) { r = max(r, part[i].x); }
  return r;
}

@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let k = wid.x;
  let t = lid.x;
  let hp = hyper[k];
  let PB = k * P;
  let SG = k * SCRATCH_PER_MODEL + ${sc.grad}u;
  let SR = k * SCRATCH_PER_MODEL + ${sc.rows}u;
  let SA = k * SCRATCH_PER_MODEL + ${sc.act}u;
  let SD = k * SCRATCH_PER_MODEL + ${sc.delta}u;
  if (t == 0u) {
    let cn = counters[k];
    planVar = Plan(hp.enabled, hp.base, hp.wrapper, hp.tauMode, hp.warmMean, hp.warmNll, hp.sgd, cn.t, cn.steps, cn.tauCount);
  }
  let plan = workgroupUniformLoad(&planVar);
  // A diverged model takes no step: nothing of it changes.
  if (plan.enabled == 0u) { return; }${cached ? `
  for (var p = t; p < P; p = p + WG) { wp[p] = params[PB + p]; }` : ''}
  if (t == 0u) { tauVar = taus[k]; }
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

    // Pass 1: forward and per-row losses; row j stays with invocation j % WG from here to the weighting.
${chunkLoop(`${forward()}
    for (var r = t; r < rows; r = r + WG) {
      let rb = SR + (c * ${R}u + r) * ${ROW_WORDS}u;
      let x = scratch[rb + ${ROW.x}u];
      let y = scratch[rb + ${ROW.y}u];${head()}
      let v = softplus(s) + FLOOR;
      var lo: LossOut;
      if (phase == PHASE_MEAN) { lo = lossMse(mu, y); }
      else if (phase == PHASE_NLL) { lo = lossNll(mu, v, y); }
      else { lo = baseLoss(plan.base, mu, v, y, hp, adaptive); }
      scratch[rb + ${ROW.l}u] = lo.l;
      scratch[rb + ${ROW.dmu}u] = lo.dmu;
      scratch[rb + ${ROW.ds}u] = lo.dv * sigmoid(s);
      scratch[rb + ${ROW.da}u] = lo.da;
      scratch[rb + ${ROW.dc}u] = lo.dc;
    }`)}

    // The wrapper's weight of each row's gradient: 1/B, Boltzmann's eq. 6 (its constant w, or α clipped at 0), SuperLoss's σ*/B.
    let boltzmann = wrapper == WRAP_BOLTZMANN || wrapper == WRAP_BOLTZMANN_CONST || wrapper == WRAP_BOLTZMANN_CLIPPED;
    var lse = 0.0;
    var lbar = 0.0;
    var meanLoss = 0.0;
    if (boltzmann) {
      var mx = -3.4e38;
      for (var j = t; j < B; j = j + WG) { mx = max(mx, -scratch[SR + j * ${ROW_WORDS}u + ${ROW.l}u] * hp.invT); }
      let m = reduceMax(t, mx);
      var acc = vec4<f32>(0.0);
      for (var j = t; j < B; j = j + WG) {
        let l = scratch[SR + j * ${ROW_WORDS}u + ${ROW.l}u];
        let e = exp(-l * hp.invT - m);
        acc = acc + vec4<f32>(e, e * l, 0.0, 0.0);
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
      for (var j = t; j < B; j = j + WG) { acc.x = acc.x + scratch[SR + j * ${ROW_WORDS}u + ${ROW.l}u]; }
      meanLoss = reduceSum(t, acc).x / f32(B);
    }
    var lat = vec4<f32>(0.0);
    for (var j = t; j < B; j = j + WG) {
      let rb = SR + j * ${ROW_WORDS}u;
      let l = scratch[rb + ${ROW.l}u];
      var w = 1.0 / f32(B);
      if (boltzmann) {
        w = exp(-l * hp.invT - lse);
        if (wrapper == WRAP_BOLTZMANN) { w = w * (1.0 + hp.invT * (lbar - l)); }
        if (wrapper == WRAP_BOLTZMANN_CLIPPED) { w = w * max(0.0, 1.0 + hp.invT * (lbar - l)); }
      } else if (superloss) {
        w = superlossSigma(l, tau, hp.lambda) / f32(B);
      }
${nChunks === 1 ? `wgX[j] = scratch[rb + ${ROW.x}u];
      wgMu[j] = w * scratch[rb + ${ROW.dmu}u];
      wgS[j] = w * scratch[rb + ${ROW.ds}u];` : `scratch[rb + ${ROW.dmu}u] = w * scratch[rb + ${ROW.dmu}u];
      scratch[rb + ${ROW.ds}u] = w * scratch[rb + ${ROW.ds}u];`}
      lat = lat + vec4<f32>(w * scratch[rb + ${ROW.da}u], w * scratch[rb + ${ROW.dc}u], 0.0, 0.0);
    }
    var latentGrad = vec2<f32>(0.0);
    if (own && plan.base == BASE_BARRON_ADAPTIVE) {
      let sa = sigmoid(latA);
      latentGrad = reduceSum(t, lat).xy * vec2<f32>(ADAPTIVE_ALPHA_SPAN * sa * (1.0 - sa), sigmoid(latC));
    }
    workgroupBarrier();

    // Pass 2: backward, chunk by chunk (a batch of more than one chunk recomputes its stored activations).
${chunkLoop(`${nChunks > 1 ? `${arch.hidden.length >= 2 ? forward() : ''}
    for (var r = t; r < rows; r = r + WG) {
      let rb = SR + (c * ${R}u + r) * ${ROW_WORDS}u;
      wgX[r] = scratch[rb + ${ROW.x}u];
      wgMu[r] = scratch[rb + ${ROW.dmu}u];
      wgS[r] = scratch[rb + ${ROW.ds}u];
    }
    workgroupBarrier();` : ''}${backward()}`)}

    // The optimiser over every parameter; the latents take a zero gradient unless Barron's adaptive loss is live.
    if (plan.sgd != 0u) {
      for (var p = t; p < P; p = p + WG) {
        let gp = select(select(scratch[SG + p], latentGrad.y, p == SCALE_LATENT), latentGrad.x, p == ALPHA_LATENT);
        let next = params[PB + p] - hp.lr * gp;
        params[PB + p] = next;
        ${cached ? 'wp[p] = next;' : ''}
      }
    } else {
      let tt = f32(plan.t + st + 1u);
      let stepSize = hp.lr / max(1.0 - exp(tt * ADAM_LOG_BETA1), 1e-12);
      let c2 = max(1.0 - exp(tt * ADAM_LOG_BETA2), 1e-12);
      for (var p = t; p < P; p = p + WG) {
        let gp = select(select(scratch[SG + p], latentGrad.y, p == SCALE_LATENT), latentGrad.x, p == ALPHA_LATENT);
        let m = mom1[PB + p] * ADAM_BETA1 + gp * ADAM_ONE_MINUS_BETA1;
        let v = mom2[PB + p] * ADAM_BETA2 + gp * gp * ADAM_ONE_MINUS_BETA2;
        mom1[PB + p] = m;
        mom2[PB + p] = v;
        let next = params[PB + p] - stepSize * (m / (sqrt(v / c2) + ADAM_EPS));
        params[PB + p] = next;
        ${cached ? 'wp[p] = next;' : ''}
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
    ${cached ? 'workgroupBarrier();' : 'storageBarrier();\n    workgroupBarrier();'}
  }
  if (t == 0u) {
    counters[k] = Counters(select(plan.t + cfg.steps, plan.t, plan.sgd != 0u), plan.steps + cfg.steps, tauCount, 0u);
  }
}
`;
}
