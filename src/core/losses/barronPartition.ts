// log Z(α) of Barron's distribution p(x | α, c) = exp(−ρ(x, α, c)) / (c·Z(α)), Z(α) = ∫ exp(−ρ(x, α, 1)) dx
// (Barron 2019, sec. 2), computed here by quadrature and tabulated for α ∈ [0, 2].
import { tf, type Tensor } from '../tf';
import { barronRho } from './barron';

/** Z(α) by exp-sinh quadrature with `perUnit` nodes per unit of t. */
function partitionQuadrature(alpha: number, perUnit: number): number {
  const h = 1 / perUnit;
  let sum = 0;
  for (let k = -6 * perUnit; k <= 6 * perUnit; k++) {
    const t = k * h;
    const u = (Math.PI / 2) * Math.sinh(t);
    if (u > 300) break;
    const x = Math.exp(u);
    const f = Math.exp(-barronRho(x, alpha, 1));
    sum += f * x * (Math.PI / 2) * Math.cosh(t);
  }
  return 2 * h * sum;
}

/**
 * Z(α) = 2∫₀^∞ exp(−ρ(x, α, 1)) dx by the exp-sinh (double-exponential) rule: x = exp(π/2 · sinh t) turns
 * the tails, algebraic as α → 0 and Gaussian at α = 2, into double-exponentially decaying ones, where the
 * trapezoid rule converges exponentially. Valid for α in [0, 2]; Z is infinite for α < 0.
 */
export function barronPartition(alpha: number): number {
  if (!(alpha >= 0 && alpha <= 2))
    throw new Error(`invalid alpha for Barron's partition function; not in [0, 2]: ${alpha}`);
  return partitionQuadrature(alpha, 64);
}

/**
 * The part of log Z that is not smooth at α = 2. With b = 2 − α, ρ(x, 2 − b, 1) = x²/2 + (b/4)·x²(1 + log b − log x²) + O(b² log² b),
 * so, with E[x² log x²] = 2 − γ − log 2 under N(0, 1),
 *   log Z(2 − b) = ½ log 2π − (b/4)(log b + γ + log 2 − 1) + O(b² log² b).
 * d log Z/dα therefore grows like −¼ log(2 − α) without bound; S(α) = −(b/4) log b carries that term exactly, and
 * the table holds g = log Z − S, whose first derivative is bounded (its value at α = 2 is G_SLOPE_AT_2).
 */
function singular(alpha: number): number {
  const b = 2 - alpha;
  return b > 0 ? -0.25 * b * Math.log(b) : 0;
}

/** dg/dα at α = 2: minus the coefficient of b above, (γ + log 2 − 1)/4. */
const EULER_GAMMA = 0.5772156649015329;
const G_SLOPE_AT_2 = (EULER_GAMMA + Math.LN2 - 1) / 4;

/** Table resolution: α_i = i / STEPS_PER_UNIT for α_i in [0, 2]. */
const STEPS_PER_UNIT = 128;
const COUNT = 2 * STEPS_PER_UNIT + 1;

interface Table {
  /** g(α_i) = log Z(α_i) − S(α_i). */
  value: Float64Array;
  /** dg/dα times the step, for cubic Hermite interpolation. */
  slope: Float64Array;
}
let table: Table | null = null;

/**
 * One quadrature per node (16 nodes per unit of t already give Z to about 1e-13); the slopes come from the
 * tabulated values by fourth-order differences, one-sided at α = 0, and from G_SLOPE_AT_2 at α = 2.
 */
function buildTable(): Table {
  const value = new Float64Array(COUNT);
  const slope = new Float64Array(COUNT);
  for (let i = 0; i < COUNT; i++) {
    const a = i / STEPS_PER_UNIT;
    value[i] = Math.log(partitionQuadrature(a, 16)) - singular(a);
  }
  const v = value;
  const n = COUNT - 1;
  slope[0] = (-25 * v[0] + 48 * v[1] - 36 * v[2] + 16 * v[3] - 3 * v[4]) / 12;
  slope[1] = (-3 * v[0] - 10 * v[1] + 18 * v[2] - 6 * v[3] + v[4]) / 12;
  for (let i = 2; i < n - 1; i++) slope[i] = (-v[i + 2] + 8 * v[i + 1] - 8 * v[i - 1] + v[i - 2]) / 12;
  slope[n - 1] = (-v[n - 4] + 6 * v[n - 3] - 18 * v[n - 2] + 10 * v[n - 1] + 3 * v[n]) / 12;
  slope[n] = G_SLOPE_AT_2 / STEPS_PER_UNIT;
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
  return hermite(u - i, value[i], value[i + 1], slope[i], slope[i + 1]) + singular(alpha);
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
 * log Z(α) over a tensor of α in [0, 2], differentiable in α: S(α) + the same cubic Hermite interpolant of g, written
 * as Σᵢ vᵢ·H₀(u − i) + sᵢ·H₁(u − i) with the cardinal functions H₀(t) = (1 + 2|t|)(1 − |t|)₊², H₁(t) = t(1 − |t|)₊²,
 * so that no gather with α-dependent indices (which TensorFlow.js cannot differentiate) is needed.
 */
export function logPartitionTensor(alpha: Tensor): Tensor {
  const { value, slope, nodes } = getTableTensors();
  return tf.tidy(() => {
    const shape = alpha.shape;
    const clipped = tf.clipByValue(alpha, 0, 2);
    const u = tf.reshape(tf.mul(clipped, STEPS_PER_UNIT), [-1, 1]);
    const t = tf.sub(u, nodes);
    const a = tf.abs(t);
    const m2 = tf.square(tf.relu(tf.sub(1, a)));
    const h0 = tf.mul(tf.add(1, tf.mul(2, a)), m2);
    const h1 = tf.mul(t, m2);
    const g = tf.add(tf.sum(tf.mul(h0, value), 1), tf.sum(tf.mul(h1, slope), 1));
    // S = −(b/4)·log b; the floor only matters at α = 2 exactly, where b·log b = 0 and the gradient stays finite.
    const b = tf.sub(2, clipped);
    const s = tf.mul(-0.25, tf.mul(b, tf.log(tf.maximum(b, 1e-30))));
    return tf.add(tf.reshape(g, shape), s);
  });
}
