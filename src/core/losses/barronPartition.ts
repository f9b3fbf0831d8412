// log Z(α) of Barron's distribution p(x | α, c) = exp(−ρ(x, α, c)) / (c·Z(α)), Z(α) = ∫ exp(−ρ(x, α, 1)) dx
// (Barron 2019, sec. 2), computed here by quadrature and tabulated for α ∈ [0, 2].
import { tf, type Tensor } from '../tf';
import { barronRho } from './barron';

/**
 * Z(α) = 2∫₀^∞ exp(−ρ(x, α, 1)) dx by the exp-sinh (double-exponential) rule: x = exp(π/2 · sinh t) turns
 * the tails, algebraic as α → 0 and Gaussian at α = 2, into double-exponentially decaying ones, where the
 * trapezoid rule converges exponentially. Valid for α in [0, 2]; Z is infinite for α < 0.
 */
export function barronPartition(alpha: number): number {
  if (!(alpha >= 0 && alpha <= 2)) throw new Error(`invalid alpha for Barron's partition function; not in [0, 2]: ${alpha}`);
  const h = 1 / 64;
  let sum = 0;
  for (let k = -6 * 64; k <= 6 * 64; k++) {
    const t = k * h;
    const u = (Math.PI / 2) * Math.sinh(t);
    if (u > 300) break;
    const x = Math.exp(u);
    const f = Math.exp(-barronRho(x, alpha, 1));
    sum += f * x * (Math.PI / 2) * Math.cosh(t);
  }
  return 2 * h * sum;
}

/** Table resolution: α_i = i / STEPS_PER_UNIT for α_i in [0, 2]. */
const STEPS_PER_UNIT = 256;
const COUNT = 2 * STEPS_PER_UNIT + 1;

interface Table {
  value: Float64Array;
  /** d log Z / dα times the step, for cubic Hermite interpolation. */
  slope: Float64Array;
}
let table: Table | null = null;

function buildTable(): Table {
  const value = new Float64Array(COUNT);
  const slope = new Float64Array(COUNT);
  const h = 1 / STEPS_PER_UNIT;
  const logZ = (a: number) => Math.log(barronPartition(Math.min(2, Math.max(0, a))));
  for (let i = 0; i < COUNT; i++) value[i] = logZ(i * h);
  for (let i = 0; i < COUNT; i++) {
    // Fourth-order differences of the quadrature; one-sided at the table's ends.
    const a = i * h;
    const d = 1e-3;
    let deriv: number;
    if (a - 2 * d >= 0 && a + 2 * d <= 2) deriv = (-logZ(a + 2 * d) + 8 * logZ(a + d) - 8 * logZ(a - d) + logZ(a - 2 * d)) / (12 * d);
    else if (a - 2 * d < 0) deriv = (-3 * logZ(a) + 4 * logZ(a + d) - logZ(a + 2 * d)) / (2 * d);
    else deriv = (3 * logZ(a) - 4 * logZ(a - d) + logZ(a - 2 * d)) / (2 * d);
    slope[i] = deriv * h;
  }
  return { value, slope };
}

function getTable(): Table {
  table ??= buildTable();
  return table;
}

/** The table itself (values and slopes × step at α_i = i / stepsPerUnit), for the fused kernel's copy. */
export function logPartitionTable(): { value: Float64Array; slope: Float64Array; stepsPerUnit: number } {
  return { ...getTable(), stepsPerUnit: STEPS_PER_UNIT };
}

function hermite(f: number, v0: number, v1: number, s0: number, s1: number): number {
  const f2 = f * f;
  const f3 = f2 * f;
  return (2 * f3 - 3 * f2 + 1) * v0 + (f3 - 2 * f2 + f) * s0 + (-2 * f3 + 3 * f2) * v1 + (f3 - f2) * s1;
}

/** log Z(α) from the table, by cubic Hermite interpolation (float64). */
export function logPartition(alpha: number): number {
  if (!(alpha >= 0 && alpha <= 2)) throw new Error(`invalid alpha for log Z; not in [0, 2]: ${alpha}`);
  const { value, slope } = getTable();
  const u = alpha * STEPS_PER_UNIT;
  const i = Math.min(COUNT - 2, Math.floor(u));
  return hermite(u - i, value[i], value[i + 1], slope[i], slope[i + 1]);
}

interface TableTensors {
  value: Tensor;
  slope: Tensor;
  nodes: Tensor;
}
let tableTensors: TableTensors | null = null;

/** The table as [1, COUNT] float32 tensors, created once per backend and kept. */
function getTableTensors(): TableTensors {
  if (!tableTensors) {
    const { value, slope } = getTable();
    const row = (a: ArrayLike<number>) => tf.keep(tf.tensor2d(Float32Array.from(a), [1, COUNT]));
    tableTensors = { value: row(value), slope: row(slope), nodes: row(Array.from({ length: COUNT }, (_, i) => i)) };
  }
  return tableTensors;
}

/** Drops the cached table tensors (after a backend switch, which invalidates them). */
export function resetPartitionTensors(): void {
  tableTensors = null;
}

/**
 * log Z(α) over a tensor of α in [0, 2], differentiable in α. The same cubic Hermite interpolant, written
 * as Σᵢ vᵢ·H₀(u − i) + sᵢ·H₁(u − i) with the cardinal functions H₀(t) = (1 + 2|t|)(1 − |t|)₊², H₁(t) = t(1 − |t|)₊²,
 * so that no gather with α-dependent indices (which TensorFlow.js cannot differentiate) is needed.
 */
export function logPartitionTensor(alpha: Tensor): Tensor {
  const { value, slope, nodes } = getTableTensors();
  return tf.tidy(() => {
    const shape = alpha.shape;
    const u = tf.reshape(tf.mul(tf.clipByValue(alpha, 0, 2), STEPS_PER_UNIT), [-1, 1]);
    const t = tf.sub(u, nodes);
    const a = tf.abs(t);
    const m2 = tf.square(tf.relu(tf.sub(1, a)));
    const h0 = tf.mul(tf.add(1, tf.mul(2, a)), m2);
    const h1 = tf.mul(t, m2);
    const out = tf.add(tf.sum(tf.mul(h0, value), 1), tf.sum(tf.mul(h1, slope), 1));
    return tf.reshape(out, shape);
  });
}
