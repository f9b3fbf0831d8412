// The CPU trainer's view of its memory: the header the host wrote (src/cpu/contract.ts, src/cpu/layout.ts) read once
// into module globals by `configure`, and the addresses of the regions the passes work on.
import * as C from './generated';
import * as loss from './losses';

export let HDR: usize = 0;

/** Where the host writes the header: the first 16-byte boundary past the module's own static data. */
export function headerPtr(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

// @ts-ignore: decorator
@inline export function hdr(word: u32): u32 {
  return load<u32>(HDR + (<usize>word << 2));
}
// @ts-ignore: decorator
@inline export function fat(base: usize, i: i32): usize {
  return base + (<usize>i << 2);
}
// @ts-ignore: decorator
@inline export function vec(base: usize, q: i32): usize {
  return base + (<usize>q << 4);
}

export let L: i32 = 0;
export let ACT: u32 = 0;
export let TOWERS: i32 = 1;
export let OUTPUTS: i32 = 2;
export let FLOOR: f32 = 0;
export let PP: i32 = 0;
export let ALAT: i32 = 0;
export let SLAT: i32 = 0;
export let TOWER_STRIDE: i32 = 0;
export let N: u32 = 0;
export let B: i32 = 0;
export let FULL: bool = false;
export let Q: i32 = 0;
export let SUMW: i32 = 0;
export let MAXW: i32 = 0;
export let SEED: u32 = 0;
export let X: usize = 0;
export let Y: usize = 0;
export let MODELS: usize = 0;
export let HYPERS: usize = 0;
export let COUNTERS: usize = 0;
export let TAUS: usize = 0;
export let GRAD: usize = 0;
export let ROWS: usize = 0;
export let ACTS: usize = 0;
export let DELTAS: usize = 0;
export let IDX: usize = 0;

export function width(l: i32): i32 {
  return <i32>hdr(C.HDR_WIDTH0 + <u32>l);
}
export function offW(l: i32): i32 {
  return <i32>hdr(C.HDR_OFF_W0 + <u32>l);
}
export function offB(l: i32): i32 {
  return <i32>hdr(C.HDR_OFF_B0 + <u32>l);
}
/** Units of the layers below l (where layer l's activations start within a tower). */
export function before(l: i32): i32 {
  let s = 0;
  for (let i = 0; i < l; i++) s += width(i);
  return s;
}
export function row(field: u32): usize {
  return ROWS + (<usize>(field * <u32>Q) << 4);
}
export function actAt(tw: i32, l: i32): usize {
  return ACTS + (<usize>((tw * SUMW + before(l)) * Q) << 4);
}
export function deltaAt(d: i32, tw: i32): usize {
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

