// Deep ensembles in the stack (Lakshminarayanan et al. 2017): a model with `ensemble: M` trains as M member
// networks side by side in the same stacked run. The page, links and files name the model (one panel); the
// training paths and the training state see its members, each an ordinary model with its own id:
//   member 1 keeps the model's id (so a trained model that becomes an ensemble keeps its weights),
//   member k ≥ 2 is `${id}~${k}` ('~' is not allowed in a model's id: no clash) from init seed initSeed + k − 1.
// Diversity comes from the init seeds alone: the minibatch order is shared by the whole stack (engine.ts).
import type { ModelSpec } from './config';

export const MEMBER_MARK = '~';

/** Members of a model: its `ensemble` count, 1 when absent. */
export function ensembleSize(spec: Pick<ModelSpec, 'ensemble'>): number {
  const m = spec.ensemble ?? 1;
  return Number.isInteger(m) && m >= 1 ? m : 1;
}

export function memberId(id: string, k: number): string {
  return k === 0 ? id : `${id}${MEMBER_MARK}${k + 1}`;
}

/** The model a member belongs to (the id itself for a plain model). */
export function groupId(memberSpecId: string): string {
  const at = memberSpecId.indexOf(MEMBER_MARK);
  return at < 0 ? memberSpecId : memberSpecId.slice(0, at);
}

/** The networks that train: every model's members in order (a plain model is its own single member). */
export function expandMembers(specs: readonly ModelSpec[]): ModelSpec[] {
  return specs.flatMap((s) =>
    Array.from({ length: ensembleSize(s) }, (_, k) =>
      k === 0 ? s : { ...s, id: memberId(s.id, k), initSeed: s.initSeed + k },
    ),
  );
}

/** True when some member belongs to an ensemble (member ids carry the mark; a model's own spec its count). */
export function hasEnsemble(specs: readonly ModelSpec[]): boolean {
  return specs.some((s) => ensembleSize(s) > 1 || s.id.includes(MEMBER_MARK));
}

/** Networks stacked for these models. */
export function memberTotal(specs: readonly Pick<ModelSpec, 'ensemble'>[]): number {
  return specs.reduce((n, s) => n + ensembleSize(s), 0);
}

export interface MemberGroup {
  /** The model as the page knows it (member 1's spec, which carries the model's id). */
  spec: ModelSpec;
  /** Indices of its members in the expanded list. */
  members: number[];
}

/** Members grouped back into their models, in order of first appearance. */
export function groupMembers(memberSpecs: readonly ModelSpec[]): MemberGroup[] {
  const groups = new Map<string, MemberGroup>();
  memberSpecs.forEach((s, k) => {
    const id = groupId(s.id);
    const g = groups.get(id);
    if (g) g.members.push(k);
    else groups.set(id, { spec: s.id === id ? s : { ...s, id }, members: [k] });
  });
  return [...groups.values()];
}

/**
 * A duplicate's members start from copies of the source's members: {new: old} becomes {new~k: old~k} for each
 * member both have (members the source lacks start fresh).
 */
export function expandCopyFrom(
  previous: readonly ModelSpec[],
  next: readonly ModelSpec[],
  copyFrom: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [to, from] of Object.entries(copyFrom)) {
    const target = next.find((s) => s.id === to);
    const source = previous.find((s) => s.id === from);
    if (!target || !source) {
      out[to] = from;
      continue;
    }
    const shared = Math.min(ensembleSize(target), ensembleSize(source));
    for (let k = 0; k < shared; k++) out[memberId(to, k)] = memberId(from, k);
  }
  return out;
}
