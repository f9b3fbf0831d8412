// The forward and backward passes of the fused kernel, generated for one architecture. How the work is split
// (why): one invocation per minibatch row for the first layer, the heads and the losses (a row's scalar input
// makes layer 0 one multiply-add per unit); (row, unit) pairs for deeper layers; for the backward pass, one
// invocation per unit of a layer, looping over the rows, which yields that unit's δ, its bias gradient and,
// for the first layer, its weight gradients in one sweep. With one hidden layer nothing is stored: layer 0 is
// recomputed from x where it is needed, which costs less than a round trip through storage.
import type { Architecture } from '../core/model';
import { ACTIVATION_WGSL, type KernelLayout } from './contract';

export interface PassContext {
  arch: Architecture;
  lay: KernelLayout;
  /** Rows per chunk, words per row record, and the row record's slots. */
  R: number;
  rowWords: number;
  row: { x: number; y: number };
  /** Read parameters from the workgroup's copy (wp) rather than from storage. */
  cached: boolean;
}

export function passes(ctx: PassContext) {
  const { arch, lay, R, rowWords, row, cached } = ctx;
  const at = (expr: string) => (cached ? `wp[${expr}]` : `params[PB + ${expr}]`);
  const towers = lay.towers.length;
  const L = arch.hidden.length;
  const Wd = arch.hidden;
  const O = lay.outputs;
  const sumW = Wd.reduce((a, b) => a + b, 0);
  const maxW = Math.max(0, ...Wd);
  const towerStride = towers === 2 ? lay.towers[1].wOut - lay.towers[0].wOut : 0;
  const pre = Wd.map((_, l) => Wd.slice(0, l).reduce((a, b) => a + b, 0));
  const act = ACTIVATION_WGSL[arch.activation];
  const T0 = lay.towers[0];
  const actAt = (l: number, r: string, u: string) => `SA + tw * ${R * sumW}u + ${R * pre[l]}u + (${r}) * ${Wd[l]}u + (${u})`;
  const deltaAt = (d: number, r: string, u: string) => `SD + (${d}u * ${towers}u + tw) * ${R * maxW}u + (${r}) * ${maxW}u + (${u})`;
  const param = (offset: number, idx: string) => at(`tw * ${towerStride}u + ${offset}u + (${idx})`);
  const grad = (offset: number, idx: string) => `SG + tw * ${towerStride}u + ${offset}u + (${idx})`;
  const store = (target: string, value: string) => `if (c == 0u) { scratch[${target}] = ${value}; } else { scratch[${target}] = scratch[${target}] + ${value}; }`;
  // The chunk's rows in workgroup memory (x and the weighted output gradients), filled before the backward pass.
  const gOut = (r: string, o: string) => (O === 2 ? `select(wgMu[${r}], wgS[${r}], ${o} == 1u)` : `select(wgMu[${r}], wgS[${r}], tw == 1u)`);

  /** Writes the chunk's x, y to the row records; stores layer activations when there are two layers or more. */
  const forward = (): string => {
    const out: string[] = [`
    for (var r = t; r < rows; r = r + WG) {
      let j = c * ${R}u + r;
      let idx = rowIndex(g, j);
      let rb = SR + j * ${rowWords}u;
      let x = data[X_OFF + idx];
      scratch[rb + ${row.x}u] = x;
      scratch[rb + ${row.y}u] = data[Y_OFF + idx];`];
    if (L >= 2) {
      out.push(`
      for (var tw = 0u; tw < ${towers}u; tw = tw + 1u) {
        for (var u = 0u; u < ${Wd[0]}u; u = u + 1u) {
          let z = ${param(T0.w[0], 'u')} * x + ${param(T0.b[0], 'u')};
          scratch[${actAt(0, 'r', 'u')}] = ${act.value};
        }
      }`);
    }
    out.push(`
    }`);
    for (let l = 1; l < L; l++) {
      if (Wd[l] % 4 === 0) {
        // Four units per invocation: each input activation loaded once for four multiply-adds.
        const q = Wd[l] / 4;
        const lanes = [0, 1, 2, 3];
        out.push(`
    storageBarrier();
    for (var it = t; it < ${towers}u * rows * ${q}u; it = it + WG) {
      let u4 = (it % ${q}u) * 4u;
      let r = (it / ${q}u) % rows;
      let tw = it / (${q}u * rows);
      var zz = vec4<f32>(0.0);
      for (var i = 0u; i < ${Wd[l - 1]}u; i = i + 1u) {
        let h = scratch[${actAt(l - 1, 'r', 'i')}];
        zz = zz + h * vec4<f32>(${lanes.map((c) => param(T0.w[l], `i * ${Wd[l]}u + u4 + ${c}u`)).join(', ')});
      }
      zz = zz + vec4<f32>(${lanes.map((c) => param(T0.b[l], `u4 + ${c}u`)).join(', ')});${lanes
        .map((c) => `
      { let z = zz[${c}]; scratch[${actAt(l, 'r', `u4 + ${c}u`)}] = ${act.value}; }`)
        .join('')}
    }`);
        continue;
      }
      out.push(`
    storageBarrier();
    for (var it = t; it < ${towers}u * rows * ${Wd[l]}u; it = it + WG) {
      let u = it % ${Wd[l]}u;
      let r = (it / ${Wd[l]}u) % rows;
      let tw = it / (${Wd[l]}u * rows);
      var z = 0.0;
      for (var i = 0u; i < ${Wd[l - 1]}u; i = i + 1u) { z = z + scratch[${actAt(l - 1, 'r', 'i')}] * ${param(T0.w[l], `i * ${Wd[l]}u + u`)}; }
      z = z + ${param(T0.b[l], 'u')};
      scratch[${actAt(l, 'r', 'u')}] = ${act.value};
    }`);
    }
    if (L >= 2) out.push(`
    storageBarrier();`);
    return out.join('');
  };

  /** μ and s at row r (x in scope): tower 0's two outputs, or each tower's one. */
  const head = (): string => {
    const hidden = (tw: number, u: string) => {
      if (L === 0) return 'x';
      if (L === 1) return `h${tw}`;
      return `scratch[SA + ${tw * R * sumW}u + ${R * pre[L - 1]}u + r * ${Wd[L - 1]}u + ${u}]`;
    };
    const p = (tw: number, off: number, idx: string) => at(`${tw * towerStride + off}u + ${idx}`);
    const recompute = (tw: number) => (L === 1 ? `
        let z${tw} = ${p(tw, T0.w[0], 'i')} * x + ${p(tw, T0.b[0], 'i')};
        let h${tw} = ${act.value.replace(/\bz\b/g, `z${tw}`)};` : '');
    const fin = L === 0 ? 1 : Wd[L - 1];
    if (O === 2) {
      return `
      var mu = ${p(0, T0.bOut, '0u')};
      var s = ${p(0, T0.bOut, '1u')};
      for (var i = 0u; i < ${fin}u; i = i + 1u) {${recompute(0)}
        let h = ${hidden(0, 'i')};
        mu = mu + h * ${p(0, T0.wOut, '2u * i')};
        s = s + h * ${p(0, T0.wOut, '2u * i + 1u')};
      }`;
    }
    return `
      var mu = ${p(0, T0.bOut, '0u')};
      var s = ${p(1, T0.bOut, '0u')};
      for (var i = 0u; i < ${fin}u; i = i + 1u) {${recompute(0)}${recompute(1)}
        mu = mu + ${hidden(0, 'i')} * ${p(0, T0.wOut, 'i')};
        s = s + ${hidden(1, 'i')} * ${p(1, T0.wOut, 'i')};
      }`;
  };

  /** Backward through the head and the hidden layers for chunk c; gradients summed over chunks into SG. */
  const backward = (): string => {
    const out: string[] = [];
    // The output biases: one invocation each (the last ones, which the unit sweeps below leave idle).
    out.push(`
    if (t >= WG - ${towers * O}u) {
      let q = t - (WG - ${towers * O}u);
      let o = q % ${O}u;
      let tw = q / ${O}u;
      var acc = 0.0;
      for (var r = 0u; r < rows; r = r + 1u) { acc = acc + ${gOut('r', 'o')}; }
      ${store(grad(T0.bOut, 'o'), 'acc')}
    }`);
    if (L === 0) {
      out.push(`
    if (t < ${towers * O}u) {
      let o = t % ${O}u;
      let tw = t / ${O}u;
      var acc = 0.0;
      for (var r = 0u; r < rows; r = r + 1u) { acc = acc + wgX[r] * ${gOut('r', 'o')}; }
      ${store(grad(T0.wOut, 'o'), 'acc')}
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
      ${L === 1 ? `let w0 = ${param(T0.w[0], 'u')};
      let b0 = ${param(T0.b[0], 'u')};
      var gw0 = 0.0;` : ''}
      var ga = 0.0;
      var gb = 0.0;
      var gbias = 0.0;
      for (var r = 0u; r < rows; r = r + 1u) {
        ${L === 1 ? `let z = w0 * wgX[r] + b0;
        let h = ${act.value};` : `let h = scratch[${actAt(L - 1, 'r', 'u')}];`}
        let gm = ${O === 2 ? 'wgMu[r]' : 'select(wgMu[r], wgS[r], tw == 1u)'};
        let gs = wgS[r];
        ga = ga + h * gm;
        gb = gb + h * gs;
        let delta = (${headTerm}) * (${act.slopeFromOutput});
        gbias = gbias + delta;
        ${L === 1 ? 'gw0 = gw0 + wgX[r] * delta;' : `scratch[${deltaAt((L - 1) % 2, 'r', 'u')}] = delta;`}
      }
      ${store(grad(T0.wOut, `${O}u * u`), 'ga')}
      ${O === 2 ? store(grad(T0.wOut, '2u * u + 1u'), 'gb') : ''}
      ${store(grad(T0.b[L - 1], 'u'), 'gbias')}
      ${L === 1 ? store(grad(T0.w[0], 'u'), 'gw0') : ''}
    }
    storageBarrier();`);
    for (let l = L - 1; l >= 1; l--) {
      const w = Wd[l];
      const wp = Wd[l - 1];
      const d = l % 2;
      if (w % 4 === 0) {
        // Four units per invocation, as in the forward pass.
        const q = w / 4;
        const lanes = [0, 1, 2, 3];
        out.push(`
    for (var it = t; it < ${towers * wp * q}u; it = it + WG) {
      let u4 = (it % ${q}u) * 4u;
      let i = (it / ${q}u) % ${wp}u;
      let tw = it / ${wp * q}u;
      var acc4 = vec4<f32>(0.0);
      for (var r = 0u; r < rows; r = r + 1u) {
        let h = scratch[${actAt(l - 1, 'r', 'i')}];
        acc4 = acc4 + h * vec4<f32>(${lanes.map((c) => `scratch[${deltaAt(d, 'r', `u4 + ${c}u`)}]`).join(', ')});
      }${lanes
        .map((c) => `
      ${store(grad(T0.w[l], `i * ${w}u + u4 + ${c}u`), `acc4[${c}]`)}`)
        .join('')}
    }`);
      } else {
        out.push(`
    for (var it = t; it < ${towers * wp * w}u; it = it + WG) {
      let u = it % ${w}u;
      let i = (it / ${w}u) % ${wp}u;
      let tw = it / ${wp * w}u;
      var acc = 0.0;
      for (var r = 0u; r < rows; r = r + 1u) { acc = acc + scratch[${actAt(l - 1, 'r', 'i')}] * scratch[${deltaAt(d, 'r', 'u')}]; }
      ${store(grad(T0.w[l], `i * ${w}u + u`), 'acc')}
    }`);
      }
      out.push(`
    for (var it = t; it < ${towers * wp}u; it = it + WG) {
      let i = it % ${wp}u;
      let tw = it / ${wp}u;
      var gbias = 0.0;
      var gw0 = 0.0;
      for (var r = 0u; r < rows; r = r + 1u) {
        var acc = 0.0;
        for (var u = 0u; u < ${w}u; u = u + 1u) { acc = acc + ${param(T0.w[l], `i * ${w}u + u`)} * scratch[${deltaAt(d, 'r', 'u')}]; }
        let h = scratch[${actAt(l - 1, 'r', 'i')}];
        let delta = acc * (${act.slopeFromOutput});
        gbias = gbias + delta;
        ${l === 1 ? 'gw0 = gw0 + wgX[r] * delta;' : `scratch[${deltaAt(1 - d, 'r', 'i')}] = delta;`}
      }
      ${store(grad(T0.b[l - 1], 'i'), 'gbias')}
      ${l === 1 ? store(grad(T0.w[0], 'i'), 'gw0') : ''}
    }
    storageBarrier();`);
    }
    return out.join('');
  };

  return { forward, head, backward };
}
