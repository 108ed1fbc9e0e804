/**
 * How a caller's value is shown in an error message, written once for core,
 * nn and optim. `String(x)`, a template literal and `JSON.stringify(x)` are
 * not safe for that: they throw a TypeError for a Symbol inside a template, a
 * null-prototype object (String), a BigInt or a cycle (JSON), and that
 * TypeError would hide the real mistake. Nothing here recurses without a
 * bound, and everything runs inside one try, so describing never throws.
 */

const shownLength = 60;
const shownEntries = 8;
const shownDepth = 2;

/**
 * A short description of any value for an error message: numbers, booleans,
 * null and undefined as themselves, strings quoted (and shortened), BigInts
 * and Symbols by kind, arrays by their first entries, other objects by their
 * class (`a Map`, `an object`). Never throws.
 *
 * @example
 * describeValue('3');              // '"3"'
 * describeValue([1, 2]);           // '[1, 2]'
 * describeValue(Object.create(null)); // 'an object'
 */
export function describeValue(x: unknown): string {
  try {
    return describeAt(x, 0);
  } catch {
    // A Proxy whose traps throw, or an array whose index getter does.
    return 'a value that cannot be shown';
  }
}

/**
 * A list for a message, shortened past a few entries:
 * `[1, 2, 3, 4, 5, 6, …, 9] (40 entries)`. Holes show as `<empty>`.
 */
export function describeList(xs: readonly unknown[]): string {
  try {
    return listAt(xs, 0);
  } catch {
    return 'a list that cannot be shown';
  }
}

function describeAt(x: unknown, depth: number): string {
  switch (typeof x) {
    case 'number':
      return Object.is(x, -0) ? '-0' : String(x);
    case 'string':
      return JSON.stringify(x.length > shownLength ? `${x.slice(0, shownLength)}…` : x);
    case 'bigint':
      return `the BigInt ${x.toString()}n`;
    case 'symbol':
      return x.toString();
    case 'boolean':
    case 'undefined':
      return String(x);
    case 'function':
      return 'a function';
    default:
      return describeObject(x as object | null, depth);
  }
}

function describeObject(x: object | null, depth: number): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return depth < shownDepth ? listAt(x, depth) : `an array of length ${x.length}`;
  // Not `x.constructor`: an own property of that name could be anything.
  const proto: unknown = Object.getPrototypeOf(x);
  const ctor: unknown = proto === null ? undefined : (proto as { constructor?: unknown }).constructor;
  const name = typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : '';
  if (name === '' || name === 'Object') return 'an object';
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}

function listAt(xs: readonly unknown[], depth: number): string {
  const entry = (i: number): string => (i in xs ? describeAt(xs[i], depth + 1) : '<empty>');
  const n = xs.length;
  const shown: string[] = [];
  if (n > shownEntries) {
    for (let i = 0; i < shownEntries - 2; i++) shown.push(entry(i));
    shown.push('…', entry(n - 1));
  } else {
    for (let i = 0; i < n; i++) shown.push(entry(i));
  }
  return `[${shown.join(', ')}]${n > shownEntries ? ` (${n} entries)` : ''}`;
}
