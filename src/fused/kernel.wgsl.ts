// The fused training kernel: S complete Adam steps of K one-hidden-layer mean/variance MLPs in ONE
// dispatch, one workgroup per model, one invocation per minibatch sample. It mirrors the tfjs engine's
// maths (src/core/engine.ts) step for step, so both paths reach the same parameters from the same
// seed and minibatches; the browser test checks that.
/** Invocations per workgroup: 16 × 16, as the two-level reductions below assume. */
export const WORKGROUP = 256;

export const FUSED_WGSL = /* wgsl */ `
struct Meta {
  n: u32, batch: u32, hidden: u32, steps: u32,
  seed: u32, stepBase: u32, nParams: u32, fullBatch: u32,
  floor: f32, beta1: f32, beta2: f32, eps: f32,
};

// One model's live hyperparameters and counters (16 words).
struct Hyper {
  invT: f32, beta: f32, alpha: f32, c: f32,
  lr: f32, welsch: f32, base: u32, wrapper: u32,
  warmMean: u32, warmNll: u32, done: u32, enabled: u32,
  adamT: f32, pad0: f32, pad1: f32, pad2: f32,
};

@group(0) @binding(0) var<uniform> cfg: Meta;
@group(0) @binding(1) var<storage, read> xs: array<f32>;
@group(0) @binding(2) var<storage, read> ys: array<f32>;
@group(0) @binding(3) var<storage, read> hyper: array<Hyper>;
@group(0) @binding(4) var<storage, read_write> params: array<f32>;
@group(0) @binding(5) var<storage, read_write> mom1: array<f32>;
@group(0) @binding(6) var<storage, read_write> mom2: array<f32>;

const WG: u32 = ${WORKGROUP}u;
var<workgroup> gm: array<f32, ${WORKGROUP}>;
var<workgroup> gs: array<f32, ${WORKGROUP}>;
var<workgroup> xb: array<f32, ${WORKGROUP}>;
var<workgroup> red: array<f32, ${WORKGROUP}>;
var<workgroup> red2: array<f32, ${WORKGROUP}>;
var<workgroup> part: array<f32, 16>;
var<workgroup> part2: array<f32, 16>;

// The model's schedule, loaded uniformly so that whole phases (the Boltzmann reductions and their barriers)
// can be skipped for models that do not need them.
struct Schedule { wrapper: u32, done: u32, warmMean: u32, warmNll: u32 };
var<workgroup> schedule: Schedule;

fn rotl(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }

fn mixWord(h: u32, word: u32) -> u32 {
  var k = word * 0xcc9e2d51u;
  k = rotl(k, 15u);
  k = k * 0x1b873593u;
  var g = h ^ k;
  g = rotl(g, 13u);
  return g * 5u + 0xe6546b64u;
}

// hash32(seed, stream, step, j) of src/core/rng.ts, in u32 arithmetic.
fn hash4(a: u32, b: u32, c: u32, d: u32) -> u32 {
  var h = 0x9e3779b9u ^ 4u;
  h = mixWord(h, a);
  h = mixWord(h, b);
  h = mixWord(h, c);
  h = mixWord(h, d);
  h = h ^ (h >> 16u);
  h = h * 0x85ebca6bu;
  h = h ^ (h >> 13u);
  h = h * 0xc2b2ae35u;
  h = h ^ (h >> 16u);
  return h;
}

fn softplus(s: f32) -> f32 { return max(s, 0.0) + log(1.0 + exp(-abs(s))); }
fn sigmoid(s: f32) -> f32 { return 1.0 / (1.0 + exp(-s)); }

// Reductions over the workgroup in two levels: 16 invocations each sum (or max) a row of 16, then every
// invocation folds the 16 partial results. Three barriers instead of a tree's ten: on SwiftShader a barrier
// over 256 invocations costs more than the arithmetic around it.
// Two sums at once (red and red2).
fn reduceSum2(t: u32) -> vec2<f32> {
  workgroupBarrier();
  if (t < 16u) {
    var acc = vec2<f32>(0.0, 0.0);
    for (var i = 0u; i < 16u; i = i + 1u) { acc = acc + vec2<f32>(red[t * 16u + i], red2[t * 16u + i]); }
    part[t] = acc.x;
    part2[t] = acc.y;
  }
  workgroupBarrier();
  var r = vec2<f32>(0.0, 0.0);
  for (var i = 0u; i < 16u; i = i + 1u) { r = r + vec2<f32>(part[i], part2[i]); }
  workgroupBarrier();
  return r;
}

fn reduceMax(t: u32) -> f32 {
  workgroupBarrier();
  if (t < 16u) {
    var acc = -3.0e38;
    for (var i = 0u; i < 16u; i = i + 1u) { acc = max(acc, red[t * 16u + i]); }
    part[t] = acc;
  }
  workgroupBarrier();
  var r = -3.0e38;
  for (var i = 0u; i < 16u; i = i + 1u) { r = max(r, part[i]); }
  workgroupBarrier();
  return r;
}

fn adam(i: u32, g: f32, stepSize: f32, c2: f32) {
  let m = mom1[i] * cfg.beta1 + g * (1.0 - cfg.beta1);
  let v = mom2[i] * cfg.beta2 + g * g * (1.0 - cfg.beta2);
  mom1[i] = m;
  mom2[i] = v;
  params[i] = params[i] - stepSize * (m / (sqrt(v / c2) + cfg.eps));
}

// Barron's ψ = ∂ρ/∂x and ρ with the engine's clamps (α finite; Welsch by flag).
fn barronRho(x: f32, hp: Hyper) -> f32 {
  let z = (x / hp.c) * (x / hp.c);
  if (hp.welsch > 0.5) { return 1.0 - exp(-0.5 * z); }
  if (hp.alpha == 2.0) { return 0.5 * z; }
  if (hp.alpha == 0.0) { return log(1.0 + 0.5 * z); }
  let b = max(abs(hp.alpha - 2.0), 1e-5);
  let a = select(-1.0, 1.0, hp.alpha >= 0.0) * max(abs(hp.alpha), 1e-5);
  return (b / a) * (exp(0.5 * a * log(1.0 + z / b)) - 1.0);
}

fn barronPsi(x: f32, hp: Hyper) -> f32 {
  let z = (x / hp.c) * (x / hp.c);
  let lin = x / (hp.c * hp.c);
  if (hp.welsch > 0.5) { return lin * exp(-0.5 * z); }
  if (hp.alpha == 2.0) { return lin; }
  if (hp.alpha == 0.0) { return lin / (0.5 * z + 1.0); }
  let b = max(abs(hp.alpha - 2.0), 1e-5);
  let a = select(-1.0, 1.0, hp.alpha >= 0.0) * max(abs(hp.alpha), 1e-5);
  return lin * exp((0.5 * a - 1.0) * log(1.0 + z / b));
}

@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let k = wid.x;
  let t = lid.x;
  let H = cfg.hidden;
  let B = cfg.batch;
  let base = k * cfg.nParams;
  let oW0 = base;
  let ob0 = base + H;
  let oWo = base + 2u * H;
  let obo = base + 4u * H;
  let hp = hyper[k];
  let valid = t < B;
  if (t == 0u) { schedule = Schedule(hp.wrapper, hp.done, hp.warmMean, hp.warmNll); }
  let plan = workgroupUniformLoad(&schedule);
  for (var s: u32 = 0u; s < cfg.steps; s = s + 1u) {
    let done = plan.done + s;
    var phase = 2u;
    if (done < plan.warmMean) { phase = 0u; } else if (done < plan.warmMean + plan.warmNll) { phase = 1u; }
    var wrapper = 0u;
    if (phase == 2u) { wrapper = plan.wrapper; }

    // Forward pass and the per-sample loss with its derivatives in μ and σ².
    var l = 0.0;
    var dmu = 0.0;
    var dv = 0.0;
    var dsoft = 0.0;
    var xj = 0.0;
    if (valid) {
      // The engine's batchIndex; a batch as large as the data is the data in order.
      var idx = t;
      if (cfg.fullBatch == 0u) { idx = hash4(cfg.seed, 7u, cfg.stepBase + s, t) % cfg.n; }
      xj = xs[idx];
      let yj = ys[idx];
      var mu = params[obo];
      var sv = params[obo + 1u];
      for (var h = 0u; h < H; h = h + 1u) {
        let a = max(params[oW0 + h] * xj + params[ob0 + h], 0.0);
        mu = mu + a * params[oWo + 2u * h];
        sv = sv + a * params[oWo + 2u * h + 1u];
      }
      let v = softplus(sv) + cfg.floor;
      dsoft = sigmoid(sv);
      let r = mu - yj;
      let r2 = r * r;
      let nll = 0.5 * log(v) + r2 / (2.0 * v);
      let nmu = r / v;
      let nv = (v - r2) / (2.0 * v * v);
      if (phase == 0u) {
        l = r2; dmu = 2.0 * r;
      } else if (phase == 1u || hp.base == 0u) {
        l = nll; dmu = nmu; dv = nv;
      } else if (hp.base == 1u) {
        l = r2; dmu = 2.0 * r;
      } else if (hp.base == 2u) {
        let w = exp(hp.beta * log(v));
        l = w * nll; dmu = w * nmu; dv = w * nv;
      } else if (hp.base == 3u) {
        l = r2 + nll; dmu = 2.0 * r; dv = nv;
      } else {
        l = barronRho(r, hp); dmu = barronPsi(r, hp);
      }
    }

    // Boltzmann weights over the minibatch; the branch is uniform (from the schedule), so its barriers are legal.
    var g = select(0.0, 1.0 / f32(B), valid);
    if (wrapper != 0u) {
      red[t] = select(-3.0e38, -l * hp.invT, valid);
      let zmax = reduceMax(t);
      let e = select(0.0, exp(-l * hp.invT - zmax), valid);
      // Σe and Σe·ℓ together: w = e/Σe, and the weighted mean loss is Σe·ℓ/Σe.
      red[t] = e;
      red2[t] = select(0.0, e * l, valid);
      let sums = reduceSum2(t);
      let w = e / sums.x;
      let lbar = sums.y / sums.x;
      if (wrapper == 1u) { g = w * (1.0 + hp.invT * (lbar - l)); } else { g = w; }
    }
    gm[t] = g * dmu;
    gs[t] = g * dv * dsoft;
    xb[t] = xj;
    // Faithful: the variance's gradient never reaches the shared trunk (in every phase, as in the engine).
    let trunkVar = select(1.0, 0.0, hp.base == 3u);
    workgroupBarrier();

    // Gradients: invocation t < H owns hidden unit t, invocation H the two output biases.
    var g0 = 0.0;
    var g1 = 0.0;
    var g2 = 0.0;
    var g3 = 0.0;
    if (t < H) {
      let w0 = params[oW0 + t];
      let b0 = params[ob0 + t];
      let wm = params[oWo + 2u * t];
      let wv = params[oWo + 2u * t + 1u];
      for (var j = 0u; j < B; j = j + 1u) {
        let pre = w0 * xb[j] + b0;
        if (pre > 0.0) {
          let back = gm[j] * wm + trunkVar * gs[j] * wv;
          g0 = g0 + back * xb[j];
          g1 = g1 + back;
          g2 = g2 + gm[j] * pre;
          g3 = g3 + gs[j] * pre;
        }
      }
    } else if (t == H) {
      for (var j = 0u; j < B; j = j + 1u) {
        g0 = g0 + gm[j];
        g1 = g1 + gs[j];
      }
    }
    workgroupBarrier();

    if (hp.enabled == 1u) {
      let tt = hp.adamT + f32(s) + 1.0;
      let c1 = max(1.0 - pow(cfg.beta1, tt), 1e-12);
      let c2 = max(1.0 - pow(cfg.beta2, tt), 1e-12);
      let stepSize = hp.lr / c1;
      if (t < H) {
        adam(oW0 + t, g0, stepSize, c2);
        adam(ob0 + t, g1, stepSize, c2);
        adam(oWo + 2u * t, g2, stepSize, c2);
        adam(oWo + 2u * t + 1u, g3, stepSize, c2);
      } else if (t == H) {
        adam(obo, g0, stepSize, c2);
        adam(obo + 1u, g1, stepSize, c2);
      }
    }
    workgroupBarrier();
  }
}
`;
