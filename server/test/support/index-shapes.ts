// Query shapes and the indexes that serve them, for the query-index test (issue 12): MongoDB
// serves a query from an index when its equality fields come first in the index, then its sort
// keys in order (all in the index's direction or all reversed), then its range fields.

export type IndexKeys = Array<[field: string, direction: 1 | -1]>;

export interface QueryShape {
  collection: string;
  method: string;
  equality: string[];
  sort: IndexKeys;
  range: string[];
}

export interface DeclaredIndex {
  collection: string;
  keys: IndexKeys;
  unique: boolean;
}

/** Operators whose bounds MongoDB walks as points (like equality) rather than as one interval. */
const POINT_OPERATORS = new Set(['$eq', '$in']);

/** The shapes one filter and sort ask for: one per `$or` branch, `$and` branches merged. */
export function shapesOf(
  collection: string,
  method: string,
  filter: unknown,
  sort: unknown,
): QueryShape[] {
  const sortKeys = sortKeysOf(sort);
  return branchesOf(filter).map(({ equality, range }) => {
    const sorted = new Set(sortKeys.map(([field]) => field));
    return {
      collection,
      method,
      equality: [...equality].sort(),
      sort: sortKeys,
      range: [...range].filter((f) => !sorted.has(f) && !equality.has(f)).sort(),
    };
  });
}

interface Branch {
  equality: Set<string>;
  range: Set<string>;
}

function branchesOf(filter: unknown): Branch[] {
  let branches: Branch[] = [{ equality: new Set(), range: new Set() }];
  if (!filter || typeof filter !== 'object') return branches;
  for (const [key, value] of Object.entries(filter as Record<string, unknown>)) {
    if (key === '$and' && Array.isArray(value)) {
      for (const part of value) branches = cross(branches, branchesOf(part));
    } else if (key === '$or' && Array.isArray(value)) {
      branches = cross(
        branches,
        value.flatMap((part) => branchesOf(part)),
      );
    } else if (key.startsWith('$')) {
      continue; // $expr, $comment: not index bounds
    } else {
      for (const branch of branches) {
        (isPointCondition(value) ? branch.equality : branch.range).add(key);
      }
    }
  }
  return branches;
}

/** Every combination of one branch from each side, fields merged. */
function cross(left: Branch[], right: Branch[]): Branch[] {
  return left.flatMap((a) =>
    right.map((b) => ({
      equality: new Set([...a.equality, ...b.equality]),
      range: new Set([...a.range, ...b.range]),
    })),
  );
}

function isPointCondition(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return true;
  if (value instanceof Date || isObjectIdLike(value)) return true;
  const operators = Object.keys(value);
  if (operators.length === 0 || !operators[0].startsWith('$')) return true; // an embedded document
  return operators.every((op) => POINT_OPERATORS.has(op));
}

function isObjectIdLike(value: object): boolean {
  return (value as { _bsontype?: string })._bsontype === 'ObjectId';
}

function sortKeysOf(sort: unknown): IndexKeys {
  if (!sort || typeof sort !== 'object') return [];
  const entries = sort instanceof Map ? [...sort.entries()] : Object.entries(sort);
  return entries.map(([field, direction]) => [
    String(field),
    direction === -1 || direction === 'desc' || direction === 'descending' ? -1 : 1,
  ]);
}

/**
 * Whether `index` serves `shape`: its leading keys are the equality fields (any order), then the
 * sort keys not already fixed by an equality, in order and all in one direction (or all
 * reversed), then the range fields.
 */
export function serves(index: DeclaredIndex, shape: QueryShape): boolean {
  if (index.collection !== shape.collection) return false;
  const equality = new Set(shape.equality);
  const sort = shape.sort.filter(([field]) => !equality.has(field));
  const range = new Set(shape.range);
  let sorted = 0;
  let flip = 0;
  const left = () => equality.size + (sort.length - sorted) + range.size;
  if (left() === 0) return false;
  for (const [field, direction] of index.keys) {
    if (left() === 0) return true;
    if (equality.delete(field)) continue;
    if (equality.size > 0) return false;
    if (sorted < sort.length && sort[sorted][0] === field) {
      const relative = direction * sort[sorted][1];
      if (flip !== 0 && relative !== flip) return false;
      flip = relative;
      sorted++;
      continue;
    }
    if (sorted < sort.length || !range.delete(field)) return false;
  }
  return left() === 0;
}

/** An index none of whose uses needs it: its keys lead another declared index. */
export function isPrefixOf(index: DeclaredIndex, other: DeclaredIndex): boolean {
  return (
    index !== other &&
    index.collection === other.collection &&
    index.keys.length < other.keys.length &&
    index.keys.every(([field, direction], i) => {
      const [otherField, otherDirection] = other.keys[i];
      return field === otherField && direction === otherDirection;
    })
  );
}

/** Equality on every key of a unique index finds at most one document: nothing to sort or walk. */
export function byUniqueKey(indexes: DeclaredIndex[], shape: QueryShape): boolean {
  return indexes.some(
    (index) =>
      index.unique &&
      index.collection === shape.collection &&
      index.keys.every(([field]) => shape.equality.includes(field)),
  );
}

/** `_id` equality is served by the `_id` index whatever else the filter says. */
export function byId(shape: QueryShape): boolean {
  return shape.equality.includes('_id');
}

export function describeShape(shape: QueryShape): string {
  const sort = shape.sort.map(([f, d]) => `${f}:${d}`).join(',');
  return (
    `${shape.collection}.${shape.method} eq[${shape.equality.join(',')}]` +
    ` sort[${sort}] range[${shape.range.join(',')}]`
  );
}

export function describeIndex(index: DeclaredIndex): string {
  return `${index.collection} {${index.keys.map(([f, d]) => `${f}:${d}`).join(', ')}}`;
}
