// The forward and backward passes of the fused kernel, generated for one architecture.
//
// Why this shape (measured when it was written; the figures are in git, docs/performance.md has today's): on SwiftShader every per-invocation memory access is
// a lane-by-lane gather costing ~20–30 ns, while arithmetic is nearly free; on a GPU, fewer and wider loads and
// values reused from registers are what a fast kernel has as well. So the passes work on row QUADS: activations
// and δ are stored unit-major as vec4s over four consecutive rows (act[u][q] = rows 4q..4q+3 of unit u), and
// the three matrix products of each layer of width ≥ 2 deep are register tiles: an invocation owns 8 rows ×
// 16 units (forward, δ: six vec4 loads per 128 multiply-adds) or 4 × 4 units over every row (weight gradient). The weight matrices
// of those layers are mirrored in scratch as vec4s (row-major for the forward pass, transposed for δ), refreshed
// by the optimiser with each new value. A chunk's rows are padded to a multiple of 8 with x = 0 and zero output
// gradients, so padded rows add nothing to any sum.
import type { Architecture } from '../core/model';
import { ACTIVATION_WGSL, type KernelLayout } from './contract';

export interface PassContext {
  arch: Architecture;
  lay: KernelLayout;
  /** Quads (4 rows) per chunk: even. */
  RQ: number;
  /** Read parameters from the workgroup's copy (wp) rather than from storage. */
  cached: boolean;
}

/** Scratch regions past the gradient and the row records, in vec4s per model (relative to ACT). */
export function activationLayout(arch: Architecture, towers: number, RQ: number) {
  const W = arch.hidden;
  const sumW = W.reduce((a, b) => a + b, 0);
  const maxW = Math.max(0, ...W);
  const act = 0;
  const delta = act + towers * sumW * RQ;
  const mirrors = delta + 2 * towers * maxW * RQ;
  // Per tower and layer l ≥ 1: Wf (W[l-1] rows of ⌈W[l]/4⌉ vec4s), then Wb (W[l] rows of ⌈W[l-1]/4⌉ vec4s).
  const wf: number[][] = [];
  const wb: number[][] = [];
  let o = mirrors;
  for (let tw = 0; tw < towers; tw++) {
    wf.push([]);
    wb.push([]);
    for (let l = 0; l < W.length; l++) {
      if (l === 0) {
        wf[tw].push(-1);
        wb[tw].push(-1);
        continue;
      }
      wf[tw].push(o);
      o += W[l - 1] * Math.ceil(W[l] / 4);
      wb[tw].push(o);
      o += W[l] * Math.ceil(W[l - 1] / 4);
    }
  }
  return { act, delta, wf, wb, size: o, sumW, maxW };
}

export function passes(ctx: PassContext) {
  const { arch, lay, RQ, cached } = ctx;
  const at = (expr: string) => (cached ? `wp[${expr}]` : `params[PB + ${expr}]`);
  const towers = lay.towers.length;
  const L = arch.hidden.length;
  const Wd = arch.hidden;
  const O = lay.outputs;
  const q4 = (n: number) => Math.ceil(n / 4);
  const towerStride = towers === 2 ? lay.towers[1].wOut - lay.towers[0].wOut : 0;
  const pre = Wd.map((_, l) => Wd.slice(0, l).reduce((a, b) => a + b, 0));
  const A = activationLayout(arch, towers, RQ);
  const act = ACTIVATION_WGSL[arch.activation];
  const T0 = lay.towers[0];
  const actAt = (l: number, u: string, q: string) => `ACT + (tw * ${A.sumW}u + ${pre[l]}u + (${u})) * ${RQ}u + (${q})`;
  const deltaAt = (d: number, u: string, q: string) =>
    `ACT + ${A.delta}u + ((${d}u * ${towers}u + tw) * ${A.maxW}u + (${u})) * ${RQ}u + (${q})`;
  const param = (offset: number, idx: string) => at(`tw * ${towerStride}u + ${offset}u + (${idx})`);
  const grad = (offset: number, idx: string) => `SG + tw * ${towerStride}u + ${offset}u + (${idx})`;
  const store = (target: string, value: string) =>
    `if (c == 0u) { sput(${target}, ${value}); } else { sput(${target}, sget(${target}) + ${value}); }`;
  const hsum = (v: string) => `dot(${v}, vec4<f32>(1.0))`;
  const mirrorOf = (l: number, which: 'wf' | 'wb') => {
    const m = A[which];
    return towers === 2 ? `select(${m[0][l]}u, ${m[1][l]}u, tw == 1u)` : `${m[0][l]}u`;
  };

  /**
   * out[o][q] = Σ_k M[k][o] · V[k][q] for o < nOut, over tiles of 4 o-quads × 2 row quads per invocation (16 units × 8 rows: 6 vec4 loads per 128
   * multiply-adds; larger tiles made SwiftShader's compiler take minutes);
   * M is a mirror (k rows of ⌈nOut/4⌉ vec4s), V a unit-major vec4 array. `epilogue(o, q, acc)` stores one result.
   */
  const tileProduct = (
    nK: number,
    nOut: number,
    mirror: string,
    v: (k: string, q: string) => string,
    epilogue: (o: string, q: string, acc: string) => string,
  ): string => {
    const O4 = q4(nOut);
    const TO = Math.min(4, O4);
    const nTO = Math.ceil(O4 / TO);
    const oq = [...Array(TO).keys()];
    const rq = [0, 1];
    const comps = [0, 1, 2, 3];
    const acc = (j: number, e: number, r: number) => `a${j}${e}${r}`;
    const lines: string[] = [];
    for (const j of oq) for (const e of comps) for (const r of rq) lines.push(`var ${acc(j, e, r)} = vec4<f32>(0.0);`);
    return `
    for (var it = t; it < ${towers * nTO}u * (nq / 2u); it = it + WG) {
      let q0 = (it % (nq / 2u)) * 2u;
      let ot = (it / (nq / 2u)) % ${nTO}u;
      let tw = it / (${nTO}u * (nq / 2u));
      let mb = ACT + ${mirror};
      ${oq.map((j) => `let o4${j} = min(ot * ${TO}u + ${j}u, ${O4 - 1}u);`).join(' ')}
      ${lines.join(' ')}
      for (var k = 0u; k < ${nK}u; k = k + 1u) {
        ${rq.map((r) => `let v${r} = scratch[${v('k', `q0 + ${r}u`)}];`).join(' ')}
        ${oq.map((j) => `let m${j} = scratch[mb + k * ${O4}u + o4${j}];`).join(' ')}
        ${oq.map((j) => comps.map((e) => rq.map((r) => `${acc(j, e, r)} = ${acc(j, e, r)} + m${j}[${e}] * v${r};`).join(' ')).join('\n        ')).join('\n        ')}
      }
      ${oq
        .map((j) =>
          comps
            .map(
              (e) =>
                `if (ot * ${TO}u + ${j}u < ${O4}u && o4${j} * 4u + ${e}u < ${nOut}u) { let o = o4${j} * 4u + ${e}u; ${rq.map((r) => epilogue('o', `q0 + ${r}u`, acc(j, e, r))).join(' ')} }`,
            )
            .join('\n      '),
        )
        .join('\n      ')}
    }`;
  };

  /** The chunk's rows, a quad per invocation: x and y into the records, x into wgX4 (0 on padded rows). */
  const rowsIn = (): string => `
    for (var q = t; q < nq; q = q + WG) {
      var x4 = vec4<f32>(0.0);
      var y4 = vec4<f32>(0.0);
      for (var e = 0u; e < 4u; e = e + 1u) {
        if (4u * q + e < rows) {
          let idx = rowIndex(g, c * ${4 * RQ}u + 4u * q + e);
          x4 = select(x4, vec4<f32>(data[X_OFF + idx]), lane(e));
          y4 = select(y4, vec4<f32>(data[Y_OFF + idx]), lane(e));
        }
      }
      let rb = REC + (c * ${RQ}u + q) * REC_WORDS;
      scratch[rb + ${REC.x}u] = x4;
      scratch[rb + ${REC.y}u] = y4;
      wgX4[q] = x4;
    }
    workgroupBarrier();`;

  /** Writes the chunk's x, y; stores every layer's activations when there are two layers or more. */
  const forward = (): string => {
    const out: string[] = [rowsIn()];
    if (L < 2) return out.join('');
    out.push(`
    for (var it = t; it < ${towers * Wd[0]}u * nq; it = it + WG) {
      let q = it % nq;
      let u = (it / nq) % ${Wd[0]}u;
      let tw = it / (nq * ${Wd[0]}u);
      let z = ${param(T0.w[0], 'u')} * wgX4[q] + ${param(T0.b[0], 'u')};
      scratch[${actAt(0, 'u', 'q')}] = ${act.value};
    }
    storageBarrier();`);
    for (let l = 1; l < L; l++) {
      out.push(
        tileProduct(
          Wd[l - 1],
          Wd[l],
          mirrorOf(l, 'wf'),
          (k, q) => actAt(l - 1, k, q),
          (o, q, acc) => `{ let z = ${acc} + ${param(T0.b[l], o)}; scratch[${actAt(l, o, q)}] = ${act.value}; }`,
        ),
        `
    storageBarrier();`,
      );
    }
    return out.join('');
  };

  /** μ and s for the four rows of quad q (x4 in scope): tower 0's two outputs, or each tower's one. */
  const head = (): string => {
    const p = (tw: number, off: number, idx: string) => at(`${tw * towerStride + off}u + ${idx}`);
    const hidden = (tw: number) => {
      if (L === 0) return 'x4';
      if (L === 1) return `h${tw}`;
      return `scratch[ACT + ${tw * A.sumW + pre[L - 1]}u * ${RQ}u + i * ${RQ}u + q]`;
    };
    const recompute = (tw: number) =>
      L === 1
        ? `
        let z${tw} = ${p(tw, T0.w[0], 'i')} * x4 + ${p(tw, T0.b[0], 'i')};
        let h${tw} = ${act.value.replace(/\bz\b/g, `z${tw}`)};`
        : '';
    const fin = L === 0 ? 1 : Wd[L - 1];
    if (O === 2) {
      return `
      var mu4 = vec4<f32>(${p(0, T0.bOut, '0u')});
      var s4 = vec4<f32>(${p(0, T0.bOut, '1u')});
      for (var i = 0u; i < ${fin}u; i = i + 1u) {${recompute(0)}
        let h = ${hidden(0)};
        mu4 = mu4 + h * ${p(0, T0.wOut, '2u * i')};
        s4 = s4 + h * ${p(0, T0.wOut, '2u * i + 1u')};
      }`;
    }
    return `
      var mu4 = vec4<f32>(${p(0, T0.bOut, '0u')});
      var s4 = vec4<f32>(${p(1, T0.bOut, '0u')});
      for (var i = 0u; i < ${fin}u; i = i + 1u) {${recompute(0)}${recompute(1)}
        mu4 = mu4 + ${hidden(0)} * ${p(0, T0.wOut, 'i')};
        s4 = s4 + ${hidden(1)} * ${p(1, T0.wOut, 'i')};
      }`;
  };

  const gOut = (o: string) =>
    O === 2 ? `select(wgMu4[q], wgS4[q], ${o} == 1u)` : `select(wgMu4[q], wgS4[q], tw == 1u)`;

  /** Bias gradients of layer l (and layer 0's weights when l = 0) from its stored δ. */
  const biasFromDelta = (l: number, d: number): string => `
    for (var it = t; it < ${towers * Wd[l]}u; it = it + WG) {
      let i = it % ${Wd[l]}u;
      let tw = it / ${Wd[l]}u;
      var gb4 = vec4<f32>(0.0);
      var gw4 = vec4<f32>(0.0);
      for (var q = 0u; q < nq; q = q + 1u) {
        let d4 = scratch[${deltaAt(d, 'i', 'q')}];
        gb4 = gb4 + d4;${
          l === 0
            ? `
        gw4 = gw4 + wgX4[q] * d4;`
            : ''
        }
      }
      ${store(grad(T0.b[l], 'i'), hsum('gb4'))}
      ${l === 0 ? store(grad(T0.w[0], 'i'), hsum('gw4')) : ''}
    }`;

  /** Backward through the head and the hidden layers for chunk c; gradients summed over chunks into SG. */
  const backward = (): string => {
    const out: string[] = [];
    // The output biases: one invocation each, the last ones (idle in the unit sweeps below when the workgroup is wider
    // than the layer; with a small workgroup they do both, on gradient words no other invocation writes).
    out.push(`
    if (t >= WG - ${towers * O}u) {
      let qo = t - (WG - ${towers * O}u);
      let o = qo % ${O}u;
      let tw = qo / ${O}u;
      var acc = vec4<f32>(0.0);
      for (var q = 0u; q < nq; q = q + 1u) { acc = acc + ${gOut('o')}; }
      ${store(grad(T0.bOut, 'o'), hsum('acc'))}
    }`);
    if (L === 0) {
      out.push(`
    if (t < ${towers * O}u) {
      let o = t % ${O}u;
      let tw = t / ${O}u;
      var acc = vec4<f32>(0.0);
      for (var q = 0u; q < nq; q = q + 1u) { acc = acc + wgX4[q] * ${gOut('o')}; }
      ${store(grad(T0.wOut, 'o'), hsum('acc'))}
    }
    storageBarrier();`);
      return out.join('');
    }
    // The last hidden layer, one invocation per (tower, unit): head weights, δ, bias (and layer 0's weights).
    const wl = Wd[L - 1];
    const headTerm = O === 2 ? 'wo0 * gm + trunkVar * wo1 * gs' : 'wo0 * gm';
    out.push(`
    for (var it = t; it < ${towers * wl}u; it = it + WG) {
      let u = it % ${wl}u;
      let tw = it / ${wl}u;
      let wo0 = ${param(T0.wOut, `${O}u * u`)};
      let wo1 = ${O === 2 ? param(T0.wOut, '2u * u + 1u') : '0.0'};
      ${
        L === 1
          ? `let w0 = ${param(T0.w[0], 'u')};
      let b0 = ${param(T0.b[0], 'u')};
      var gw0 = vec4<f32>(0.0);`
          : ''
      }
      var ga = vec4<f32>(0.0);
      var gb = vec4<f32>(0.0);
      var gbias = vec4<f32>(0.0);
      for (var q = 0u; q < nq; q = q + 1u) {
        ${
          L === 1
            ? `let z = w0 * wgX4[q] + b0;
        let h = ${act.value};`
            : `let h = scratch[${actAt(L - 1, 'u', 'q')}];`
        }
        let gm = ${O === 2 ? 'wgMu4[q]' : 'select(wgMu4[q], wgS4[q], tw == 1u)'};
        let gs = wgS4[q];
        ga = ga + h * gm;
        gb = gb + h * gs;
        let delta = (${headTerm}) * ${act.slopeFromOutput};
        gbias = gbias + delta;
        ${L === 1 ? 'gw0 = gw0 + wgX4[q] * delta;' : `scratch[${deltaAt((L - 1) % 2, 'u', 'q')}] = delta;`}
      }
      ${store(grad(T0.wOut, `${O}u * u`), hsum('ga'))}
      ${O === 2 ? store(grad(T0.wOut, '2u * u + 1u'), hsum('gb')) : ''}
      ${store(grad(T0.b[L - 1], 'u'), hsum('gbias'))}
      ${L === 1 ? store(grad(T0.w[0], 'u'), hsum('gw0')) : ''}
    }
    storageBarrier();`);
    for (let l = L - 1; l >= 1; l--) {
      const w = Wd[l];
      const wp = Wd[l - 1];
      const d = l % 2;
      // Weight gradient: gW[i][u] = Σ_rows act[l-1][i] · δ[l][u], 4 × 4 (i, u) per invocation.
      const TI = Math.min(4, wp);
      const TU = Math.min(4, w);
      const nTI = Math.ceil(wp / TI);
      const nTU = Math.ceil(w / TU);
      const ii = [...Array(TI).keys()];
      const uu = [...Array(TU).keys()];
      out.push(`
    for (var it = t; it < ${towers * nTI * nTU}u; it = it + WG) {
      let ut = it % ${nTU}u;
      let itile = (it / ${nTU}u) % ${nTI}u;
      let tw = it / ${nTI * nTU}u;
      ${ii.map((a) => `let i${a} = min(itile * ${TI}u + ${a}u, ${wp - 1}u);`).join(' ')}
      ${uu.map((b) => `let u${b} = min(ut * ${TU}u + ${b}u, ${w - 1}u);`).join(' ')}
      ${ii.map((a) => uu.map((b) => `var g${a}${b} = vec4<f32>(0.0);`).join(' ')).join(' ')}
      for (var q = 0u; q < nq; q = q + 1u) {
        ${ii.map((a) => `let h${a} = scratch[${actAt(l - 1, `i${a}`, 'q')}];`).join(' ')}
        ${uu.map((b) => `let d${b} = scratch[${deltaAt(d, `u${b}`, 'q')}];`).join(' ')}
        ${ii.map((a) => uu.map((b) => `g${a}${b} = g${a}${b} + h${a} * d${b};`).join(' ')).join('\n        ')}
      }
      ${ii
        .map((a) =>
          uu
            .map(
              (b) =>
                `if (itile * ${TI}u + ${a}u < ${wp}u && ut * ${TU}u + ${b}u < ${w}u) { ${store(grad(T0.w[l], `i${a} * ${w}u + u${b}`), hsum(`g${a}${b}`))} }`,
            )
            .join('\n      '),
        )
        .join('\n      ')}
    }`);
      // δ of layer l-1: slope(act[l-1][i]) · Σ_u W[i][u] δ[l][u], tiled like the forward pass on the transposed mirror.
      out.push(
        tileProduct(
          w,
          wp,
          mirrorOf(l, 'wb'),
          (k, q) => deltaAt(d, k, q),
          (o, q, acc) =>
            `{ let h = scratch[${actAt(l - 1, o, q)}]; scratch[${deltaAt(1 - d, o, q)}] = ${acc} * ${act.slopeFromOutput}; }`,
        ),
        `
    storageBarrier();`,
        biasFromDelta(l - 1, 1 - d),
        `
    storageBarrier();`,
      );
    }
    return out.join('');
  };

  /** The mirrors of W[l] (l ≥ 1) take parameter p's value v; nothing for other parameters. */
  const mirrorFn = (): string => {
    const cases: string[] = [];
    for (let tw = 0; tw < towers; tw++) {
      for (let l = 1; l < L; l++) {
        const base = tw * towerStride + T0.w[l];
        const n = Wd[l - 1] * Wd[l];
        cases.push(`
  if (p >= ${base}u && p < ${base + n}u) {
    let i = (p - ${base}u) / ${Wd[l]}u;
    let u = (p - ${base}u) % ${Wd[l]}u;
    scratch[act + ${A.wf[tw][l]}u + i * ${q4(Wd[l])}u + u / 4u][u % 4u] = v;
    scratch[act + ${A.wb[tw][l]}u + u * ${q4(Wd[l - 1])}u + i / 4u][i % 4u] = v;
  }`);
      }
    }
    return `fn mirror(act: u32, p: u32, v: f32) {${cases.join('')}
}`;
  };

  return { forward, head, backward, mirrorFn, hasMirrors: L >= 2, layout: A };
}

/** The vec4 words of one row quad's record: x, y, ℓ and the (weighted) derivatives in μ, s, α, c. */
export const REC = { x: 0, y: 1, l: 2, dmu: 3, ds: 4, da: 5, dc: 6 } as const;
export const REC_WORDS = 7;
