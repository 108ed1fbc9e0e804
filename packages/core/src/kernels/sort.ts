/**
 * Sorting and selection over (key, index) pairs held in two typed arrays.
 *
 * Which index PyTorch reports among equal keys is whatever its C++ sorting
 * routine leaves there: `sort` uses GNU libstdc++'s `std::sort` (introsort),
 * `topk` its `std::partial_sort` or `std::nth_element`, `mode` `std::sort`,
 * `kthvalue` a quickselect of PyTorch's own. None of them is stable, so the
 * index of a tie depends on the exact sequence of comparisons and swaps
 * (`median` alone breaks ties by index, a stable order). To return
 * PyTorch's indices (and so put a tie's gradient where PyTorch puts it)
 * these are the same algorithms, step for step, written here over typed
 * arrays; the fixtures of sort-cumulative.py check them on tie-heavy inputs
 * of many sizes.
 *
 * Speed: no comparator closure, no boxed pairs. Keys are float64 copies of
 * one line (exact for every dtype), indices int32, and `plainKeys` rewrites
 * the keys so that most lines compare with a bare `<`. Measured on this
 * project's shared 2-core machine (Node 20, loaded, best of 9, same process):
 * sort() of 1M random float32 values, values and indices, 356-441 ms, against
 * 245-257 ms for Float32Array.prototype.sort of the values alone (no
 * indices): about 1.5×; without the rewrite, 2-3×. topk(x, 10) of the
 * same 1M: 40 ms (PyTorch's heap path reads each element once).
 */

/** Plain `a < b`: PyTorch's mode (NaN compares false both ways). */
export const PLAIN = 0;
/** Ascending with NaN after everything (PyTorch's sort and topk(largest = false)). */
export const NAN_LAST = 1;
/** Descending with NaN before everything (PyTorch's sort(descending) and topk). */
export const NAN_FIRST_DESCENDING = 2;
/** NAN_LAST with ties broken by index: a stable sort's result. */
export const NAN_LAST_STABLE = 3;
/** NAN_FIRST_DESCENDING with ties broken by index. */
export const NAN_FIRST_DESCENDING_STABLE = 4;
/** Plain `a < b` with ties broken by index (NAN_LAST_STABLE once `plainKeys` has rewritten the keys). */
const PLAIN_STABLE = 5;

/** Whether key `a` (at original index ia) goes strictly before `b` (at ib) in `order`. */
function before(order: number, a: number, ia: number, b: number, ib: number): boolean {
  switch (order) {
    case PLAIN:
      return a < b;
    case NAN_LAST:
      return a < b || (b !== b && a === a);
    case NAN_FIRST_DESCENDING:
      return a > b || (a !== a && b === b);
    case PLAIN_STABLE:
      return a < b || (a === b && ia < ib);
    case NAN_LAST_STABLE:
      if (a < b || (b !== b && a === a)) return true;
      return ia < ib && (a === b || (a !== a && b !== b));
    default:
      if (a > b || (a !== a && b === b)) return true;
      return ia < ib && (a === b || (a !== a && b !== b));
  }
}

/**
 * Rewrites the keys of the first n pairs so that a plain `<` answers every
 * comparison `order` would, and returns the order to sort them with. The
 * NaN checks then leave the inner loops (they cost about a third of a
 * sort's time): descending becomes ascending on -x, and NaN becomes the
 * infinity at its end of the line, unless +Infinity is in the line too (NaN
 * goes after it, which no number can express; such lines keep `order`).
 * -0 and 0 stay equal, so ties are the same ties.
 */
export function plainKeys(p: Pairs, n: number, order: number): number {
  if (order === PLAIN) return order;
  const descending = order === NAN_FIRST_DESCENDING || order === NAN_FIRST_DESCENDING_STABLE;
  const keys = p.keys;
  let nan = false;
  let infinity = false;
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    if (v !== v) nan = true;
    else if (v === Infinity) infinity = true;
  }
  if (nan && infinity) return order;
  const fill = descending ? -Infinity : Infinity;
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    keys[i] = v !== v ? fill : descending ? -v : v;
  }
  return order === NAN_LAST || order === NAN_FIRST_DESCENDING ? PLAIN : PLAIN_STABLE;
}

/** The pairs being ordered: keys[i] with its original index ix[i]. */
export interface Pairs {
  keys: Float64Array;
  ix: Int32Array;
  order: number;
}

function less(p: Pairs, i: number, j: number): boolean {
  return before(p.order, p.keys[i], p.ix[i], p.keys[j], p.ix[j]);
}

function swap(p: Pairs, i: number, j: number): void {
  const k = p.keys[i];
  p.keys[i] = p.keys[j];
  p.keys[j] = k;
  const x = p.ix[i];
  p.ix[i] = p.ix[j];
  p.ix[j] = x;
}

function move(p: Pairs, to: number, from: number): void {
  p.keys[to] = p.keys[from];
  p.ix[to] = p.ix[from];
}

/** ⌊log₂ n⌋ for n ≥ 1. */
function floorLog2(n: number): number {
  return 31 - Math.clz32(n);
}

// ------------------------------------------------------------ heaps

/** Moves the held pair (key, index) up from `hole` toward `top` while its parent goes before it. */
function pushHeap(p: Pairs, first: number, hole: number, top: number, key: number, index: number): void {
  let parent = (hole - 1) >> 1;
  while (hole > top && before(p.order, p.keys[first + parent], p.ix[first + parent], key, index)) {
    move(p, first + hole, first + parent);
    hole = parent;
    parent = (hole - 1) >> 1;
  }
  p.keys[first + hole] = key;
  p.ix[first + hole] = index;
}

/** Sifts the held pair down from `hole` in a heap of `len` pairs at `first`. */
function adjustHeap(p: Pairs, first: number, hole: number, len: number, key: number, index: number): void {
  const top = hole;
  let child = hole;
  while (child < (len - 1) >> 1) {
    child = 2 * (child + 1);
    if (less(p, first + child, first + child - 1)) child--;
    move(p, first + hole, first + child);
    hole = child;
  }
  if ((len & 1) === 0 && child === (len - 2) >> 1) {
    child = 2 * (child + 1);
    move(p, first + hole, first + child - 1);
    hole = child - 1;
  }
  pushHeap(p, first, hole, top, key, index);
}

function makeHeap(p: Pairs, first: number, last: number): void {
  const len = last - first;
  if (len < 2) return;
  for (let parent = (len - 2) >> 1; ; parent--) {
    adjustHeap(p, first, parent, len, p.keys[first + parent], p.ix[first + parent]);
    if (parent === 0) return;
  }
}

/** Puts the heap's top at `result` and sifts `result`'s old pair into the heap [first, last). */
function popHeap(p: Pairs, first: number, last: number, result: number): void {
  const key = p.keys[result];
  const index = p.ix[result];
  move(p, result, first);
  adjustHeap(p, first, 0, last - first, key, index);
}

/** Leaves in [first, middle) a heap of the `middle - first` pairs that go first. */
function heapSelect(p: Pairs, first: number, middle: number, last: number): void {
  makeHeap(p, first, middle);
  for (let i = middle; i < last; i++) if (less(p, i, first)) popHeap(p, first, middle, i);
}

function sortHeap(p: Pairs, first: number, last: number): void {
  while (last - first > 1) {
    last--;
    popHeap(p, first, last, last);
  }
}

/** libstdc++'s std::partial_sort: [first, middle) ends sorted with the pairs that go first. */
export function partialSort(p: Pairs, first: number, middle: number, last: number): void {
  heapSelect(p, first, middle, last);
  sortHeap(p, first, middle);
}

// ------------------------------------------------------------ introsort

/** Swaps into `result` the median of the pairs at a, b and c. */
function moveMedianToFirst(p: Pairs, result: number, a: number, b: number, c: number): void {
  if (less(p, a, b)) {
    if (less(p, b, c)) swap(p, result, b);
    else if (less(p, a, c)) swap(p, result, c);
    else swap(p, result, a);
  } else if (less(p, a, c)) swap(p, result, a);
  else if (less(p, b, c)) swap(p, result, c);
  else swap(p, result, b);
}

/**
 * Hoare partition of [first, last) around the pair at `pivot` (just before
 * `first`). The C++ loops need no bounds: in a valid order the median of
 * three stops the upward scan and the pivot the downward one. PLAIN order
 * with NaN is not a valid order, so the upward scan is bounded here (which
 * changes nothing for valid orders).
 */
function unguardedPartition(p: Pairs, first: number, last: number, pivot: number): number {
  const end = last;
  for (;;) {
    while (first < end && less(p, first, pivot)) first++;
    last--;
    while (less(p, pivot, last)) last--;
    if (!(first < last)) return first;
    swap(p, first, last);
    first++;
  }
}

function partitionPivot(p: Pairs, first: number, last: number): number {
  const mid = first + ((last - first) >> 1);
  moveMedianToFirst(p, first, first + 1, mid, last - 1);
  return unguardedPartition(p, first + 1, last, first);
}

/** Inserts the pair at `at` into the sorted run before it (stopping at `floor`). */
function linearInsert(p: Pairs, at: number, floor: number): void {
  const key = p.keys[at];
  const index = p.ix[at];
  let next = at - 1;
  while (next >= floor && before(p.order, key, index, p.keys[next], p.ix[next])) {
    move(p, at, next);
    at = next;
    next--;
  }
  p.keys[at] = key;
  p.ix[at] = index;
}

function insertionSort(p: Pairs, first: number, last: number): void {
  if (first === last) return;
  for (let i = first + 1; i < last; i++) {
    if (less(p, i, first)) {
      const key = p.keys[i];
      const index = p.ix[i];
      p.keys.copyWithin(first + 1, first, i);
      p.ix.copyWithin(first + 1, first, i);
      p.keys[first] = key;
      p.ix[first] = index;
    } else {
      linearInsert(p, i, first);
    }
  }
}

const threshold = 16;

function introsortLoop(p: Pairs, first: number, last: number, depth: number): void {
  while (last - first > threshold) {
    if (depth === 0) {
      partialSort(p, first, last, last);
      return;
    }
    depth--;
    const cut = partitionPivot(p, first, last);
    introsortLoop(p, cut, last, depth);
    last = cut;
  }
}

/** libstdc++'s std::sort of [first, last): introsort, then one insertion sort pass. */
export function introsort(p: Pairs, first: number, last: number): void {
  if (last - first < 2) return;
  introsortLoop(p, first, last, 2 * floorLog2(last - first));
  if (last - first > threshold) {
    insertionSort(p, first, first + threshold);
    // The first 16 hold the minimum, a sentinel for the rest; `first` bounds PLAIN order on NaN.
    for (let i = first + threshold; i < last; i++) linearInsert(p, i, first);
  } else {
    insertionSort(p, first, last);
  }
}

/** libstdc++'s std::nth_element: the pair at `nth` is the one a full sort puts there. */
export function nthElement(p: Pairs, first: number, nth: number, last: number): void {
  if (first === last || nth === last) return;
  let depth = 2 * floorLog2(last - first);
  while (last - first > 3) {
    if (depth === 0) {
      heapSelect(p, first, nth + 1, last);
      swap(p, first, nth);
      return;
    }
    depth--;
    const cut = partitionPivot(p, first, last);
    if (cut <= nth) first = cut;
    else last = cut;
  }
  insertionSort(p, first, last);
}

/**
 * PyTorch's own quickselect (kthvalue's): afterwards the pair at `k` of
 * [0, n) is the one an ascending sort with NaN last puts there.
 */
export function quickSelect(p: Pairs, n: number, k: number): void {
  // "greater, or NaN against a number", PyTorch's comparison here.
  const gt = (i: number, j: number) => {
    const a = p.keys[i];
    const b = p.keys[j];
    return (a !== a && b === b) || a > b;
  };
  let lo = 0;
  let hi = n - 1;
  for (;;) {
    if (hi <= lo) return;
    if (hi === lo + 1) {
      if (gt(lo, hi)) swap(p, lo, hi);
      return;
    }
    swap(p, lo + ((hi - lo) >> 1), lo + 1);
    if (gt(lo + 1, hi)) swap(p, lo + 1, hi);
    if (gt(lo, hi)) swap(p, lo, hi);
    if (gt(lo + 1, lo)) swap(p, lo + 1, lo);
    let i = lo + 1;
    let j = hi;
    for (;;) {
      do i++;
      while (gt(lo, i));
      do j--;
      while (gt(j, lo));
      if (j < i) break;
      swap(p, i, j);
    }
    swap(p, lo, j);
    if (j <= k) lo = i;
    if (j >= k) hi = j - 1;
  }
}

// ------------------------------------------------------------ lines

/**
 * A contiguous array seen as `outer × n × inner`: lines of n elements, each
 * `inner` apart, along the axis an op works on.
 */
export interface Lines {
  outer: number;
  n: number;
  inner: number;
}

/** Copies line (o, q) of x (offset xo) into fresh pairs (key, position along the line). */
export function loadLine(p: Pairs, x: ArrayLike<number>, xo: number, lines: Lines, o: number, q: number): void {
  const { n, inner } = lines;
  const base = xo + o * n * inner + q;
  for (let k = 0; k < n; k++) {
    p.keys[k] = x[base + k * inner];
    p.ix[k] = k;
  }
}

/** Fresh pair buffers for lines of n. */
export function pairsFor(n: number, order: number): Pairs {
  return { keys: new Float64Array(n), ix: new Int32Array(n), order };
}

/**
 * The first position in the sorted `seq` (n values from `so`, step `ss`)
 * where `v` could be inserted: before equal values (`right` false) or after
 * them. The comparisons are PyTorch's, so a NaN value lands at the end and a
 * NaN in the sequence (sorted last) is never passed.
 */
export function bound(seq: ArrayLike<number>, so: number, ss: number, n: number, v: number, right: boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = lo + ((hi - lo) >> 1);
    const m = seq[so + mid * ss];
    if (right ? !(m > v) : !(m >= v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
