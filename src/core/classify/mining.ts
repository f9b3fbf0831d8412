// The latest mining of each model with partners (ALUM: eq. 10's positive and negative and eq. 11's weights;
// RUL-style: its random partner and two-way weights), kept from the last training step for the hover view.
// The engine keeps the step's tensors (replacing the previous step's, so nothing grows) and reads them only
// when a frame is drawn: no GPU read per step.
import type { Tensor } from '../tf';

/** One model's mining at one step, in training-set indices. */
export interface ClassMining {
  step: number;
  /** The minibatch's training indices, the anchors [B]. */
  anchors: Int32Array;
  /** Each anchor's positive (ALUM) or partner (RUL-style) [B]. */
  pos: Int32Array;
  /** Each anchor's negative (ALUM); null for RUL-style. */
  neg: Int32Array | null;
  /** 1 where the anchor drew mined partners (eq. 10's share p), 0 random; null for RUL-style. */
  hard: Uint8Array | null;
  /** Mixup weights [members, B, D]: anchor, positive (partner), negative; they sum to 1 per anchor and dimension. */
  weights: Float32Array;
  members: number;
  dims: number;
}

/** What the engine keeps of a step (tensors kept alive until the next step replaces them). */
export interface KeptMining {
  step: number;
  anchors: Int32Array;
  hard: Uint8Array | null;
  pos: Tensor | Int32Array;
  neg: Tensor | null;
  weights: Tensor[];
}

/** Reads what a step kept into host arrays (batch positions mapped to training indices). */
export async function readMining(kept: KeptMining): Promise<ClassMining> {
  const toTraining = async (t: Tensor | Int32Array) => {
    const local = t instanceof Int32Array ? t : ((await t.data()) as Int32Array);
    return Int32Array.from(local, (j) => kept.anchors[j]);
  };
  const ws = (await Promise.all(kept.weights.map((w) => w.data()))) as Float32Array[];
  const b = kept.anchors.length;
  const dims = ws[0].length / b;
  const weights = new Float32Array(ws.length * b * dims);
  ws.forEach((w, m) => weights.set(w, m * b * dims));
  return {
    step: kept.step,
    anchors: kept.anchors,
    pos: await toTraining(kept.pos),
    neg: kept.neg ? await toTraining(kept.neg) : null,
    hard: kept.hard,
    weights,
    members: ws.length,
    dims,
  };
}

/** The anchor's entry (its batch position, partners, weights per member, per dimension) or null if it is not in the batch. */
export function miningOf(
  m: ClassMining,
  index: number,
): { pos: number; neg: number | null; mined: boolean | null; weights: number[][] } | null {
  const j = m.anchors.indexOf(index);
  if (j < 0) return null;
  const b = m.anchors.length;
  const weights = Array.from({ length: m.members }, (_, q) =>
    Array.from(m.weights.subarray((q * b + j) * m.dims, (q * b + j + 1) * m.dims)),
  );
  return { pos: m.pos[j], neg: m.neg ? m.neg[j] : null, mined: m.hard ? m.hard[j] === 1 : null, weights };
}
