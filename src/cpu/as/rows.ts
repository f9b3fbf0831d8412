// The rows of one step: the minibatch (the same hash as the engine's), each row's loss and derivatives, and the
// wrapper's weight of each row (a reduction over the batch).
import * as C from './generated';
import { baseLoss, lossMse, lossNll, outDa, outDc, outDmu, outDv, outL } from './losses';
import { sigmoid, softplus, superlossSigma } from './math';
import { B, fat, FLOOR, FULL, IDX, N, Q, row, SEED, X, Y } from './shape';

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
export function drawIndices(g0: u32, n: u32): void {
  if (FULL) return;
  for (let s: u32 = 0; s < n; s++) {
    const base = IDX + (<usize>(s * <u32>B) << 2);
    for (let j = 0; j < B; j++) store<u32>(base + (<usize>j << 2), hash4(SEED, C.STREAM_BATCH, g0 + s, <u32>j) % N);
  }
}

/** x and y of the rows of the chunk's step s; rows past the batch (padding to whole quad pairs) get 0. */
export function drawRows(s: u32): void {
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

/** Each row's loss and its derivatives in μ, s (through σ² = softplus(s) + floor), α and c; padded rows 0. */
export function rowLosses(phase: u32, base: u32): void {
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

export let latentA: f32 = 0;
export let latentC: f32 = 0;
export let meanLoss: f32 = 0;

/** The wrapper's weight of each row's gradient (1/B, Boltzmann's eq. 6, its constant w, α clipped at 0, or
 * SuperLoss's σ* over B), folded into the row's dμ and ds; the weighted sums of dα and dc for the latents. */
export function weighRows(wrapper: u32, invT: f32, superloss: bool, tauMoves: bool, tau: f32, lambda: f32): void {
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

