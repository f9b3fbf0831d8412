// One edit of a parsed JSON document at a path, shared by the link and file fuzzers.
export type EditKind = 'set' | 'delete' | 'truncate' | 'grow' | 'swap';
type Node = Record<string | number, unknown>;

/**
 * Applies `kind` at `path` of `obj` (in place): set a value, delete the key, halve or grow an array (`grow` says
 * how), or swap the type (a number becomes its string, a string a number, an array an object, …). A path that no
 * longer exists (an earlier edit removed it) is skipped.
 */
export function editAt(
  obj: Node,
  path: (string | number)[],
  kind: EditKind,
  value: unknown,
  grow: (arr: unknown[]) => void,
): void {
  let parent: Node | undefined = obj;
  for (const k of path.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent[k] as Node) : undefined;
  if (!parent || typeof parent !== 'object') return;
  const key = path[path.length - 1];
  const cur = parent[key];
  if (kind === 'delete') delete parent[key];
  else if (kind === 'truncate' && Array.isArray(cur)) cur.length = Math.floor(cur.length / 2);
  else if (kind === 'grow' && Array.isArray(cur)) grow(cur);
  else if (kind === 'swap')
    parent[key] =
      typeof cur === 'number'
        ? String(cur)
        : typeof cur === 'string'
          ? Number(cur.length)
          : Array.isArray(cur)
            ? { ...cur }
            : cur === null
              ? 0
              : [cur];
  else parent[key] = value;
}
