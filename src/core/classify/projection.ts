// The embedding view's 2-D basis: for D = 2 the axes themselves (the embedding drawn exactly); for D > 2 the
// top two principal directions of the training points' μ (the eigenvectors of the D × D
// covariance, by Jacobi rotations), so the view is a labelled projection.

export interface Basis {
  /** Two orthonormal rows of length D. */
  axes: [Float64Array, Float64Array];
  /** Share of μ's total variance along each axis (1 and 0… for an exact 2-D view's own axes). */
  explained: [number, number];
  /** Whether the view is a projection (D > 2). */
  projected: boolean;
}

function covariance(mu: ArrayLike<number>, d: number): Float64Array {
  const n = mu.length / d;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let a = 0; a < d; a++) mean[a] += mu[i * d + a] / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) cov[a * d + b] += ((mu[i * d + a] - mean[a]) * (mu[i * d + b] - mean[b])) / n;
  return cov;
}

/** Eigenvalues and eigenvectors (columns of v) of a symmetric D × D matrix by cyclic Jacobi rotations. */
function jacobiEigen(m: Float64Array, d: number): { values: Float64Array; v: Float64Array } {
  const a = Float64Array.from(m);
  const v = Float64Array.from({ length: d * d }, (_, i) => (Math.floor(i / d) === i % d ? 1 : 0));
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off < 1e-24) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        if (Math.abs(a[p * d + q]) < 1e-300) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * a[p * d + q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: d }, (_, i) => a[i * d + i]), v };
}

/** The view's basis for μ [n, D]. */
export function embeddingBasis(mu: ArrayLike<number>, d: number): Basis {
  if (d === 2)
    return { axes: [Float64Array.from([1, 0]), Float64Array.from([0, 1])], explained: [NaN, NaN], projected: false };
  const cov = covariance(mu, d);
  let total = 0;
  for (let a = 0; a < d; a++) total += cov[a * d + a];
  const { values, v } = jacobiEigen(cov, d);
  const order = Array.from(values.keys()).sort((i, j) => values[j] - values[i]);
  const axis = (k: number) => Float64Array.from({ length: d }, (_, a) => v[a * d + order[k]]);
  return {
    axes: [axis(0), axis(1)],
    explained: total > 0 ? [values[order[0]] / total, values[order[1]] / total] : [0, 0],
    projected: true,
  };
}

/** Rows of [n, D] onto the basis: [n, 2]. */
export function projectRows(rows: ArrayLike<number>, d: number, basis: Basis): Float32Array {
  const n = rows.length / d;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += rows[i * d + a] * basis.axes[k][a];
      out[2 * i + k] = s;
    }
  }
  return out;
}

/** The standard deviation along each axis of N(·, diag σ²) for σ rows [n, D]: √Σ_d axis_d² σ_d². [n, 2]. */
export function projectSigma(sigma: ArrayLike<number>, d: number, basis: Basis): Float32Array {
  const sq = Float64Array.from({ length: sigma.length }, (_, i) => sigma[i] ** 2);
  const n = sigma.length / d;
  const out = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 2; k++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += basis.axes[k][a] ** 2 * sq[i * d + a];
      out[2 * i + k] = Math.sqrt(s);
    }
  }
  return out;
}
