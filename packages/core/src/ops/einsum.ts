/**
 * Einstein summation with PyTorch's semantics, built from differentiable
 * ops (diagonal, sum, expand, permute, reshape, matmul), so gradients of any
 * order follow from theirs. Each pairwise contraction becomes one batched
 * matmul: the shared labels kept for later are its batch axes, the labels
 * summed away its inner axis, and each operand's own labels its rows or
 * columns — `'bij,bjk->bik'` is exactly `matmul` on the same tensors.
 */
import { ArgumentError, ShapeError } from '../errors';
import { describeValue } from '../internal/describe';
import { formatShape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { describeOperand } from './define';
import { sum } from './reduce';
import { expand, permute, reshape } from './shape';
import { diagonal } from './triangular';
import { matmul } from './linalg';

/** A tensor whose axes are named by label ids (letters 0-51, ellipsis axes 52+). */
interface Labeled {
  t: Tensor;
  labels: number[];
}

const ELLIPSIS = 52;
const letterId = (c: number): number => (c >= 65 && c <= 90 ? c - 65 : c >= 97 && c <= 122 ? c - 97 + 26 : -1);
const labelName = (id: number): string =>
  id < 26 ? String.fromCharCode(65 + id) : id < ELLIPSIS ? String.fromCharCode(97 + id - 26) : '...';

/** One term of the equation: its letters, and where its ellipsis stands (or -1). */
interface Term {
  letters: number[];
  ellipsisAt: number;
  text: string;
}

function parseTerm(term: string, equation: string, start: number): Term {
  const letters: number[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < term.length; i++) {
    if (term.startsWith('...', i)) {
      if (ellipsisAt >= 0) {
        throw new ArgumentError('einsum', `'${term}' has more than one ellipsis in equation '${equation}'`);
      }
      ellipsisAt = letters.length;
      i += 2;
      continue;
    }
    const id = letterId(term.charCodeAt(i));
    if (id < 0) {
      throw new ArgumentError(
        'einsum',
        `invalid character '${term[i]}' at index ${start + i} of equation '${equation}'; labels are letters a-z and A-Z, with '...' for broadcast axes, ',' between operands and '->' before the output`,
      );
    }
    letters.push(id);
  }
  return { letters, ellipsisAt, text: term };
}

/**
 * Sums the products of the operands' elements over the labels absent from
 * the output, as PyTorch's `torch.einsum`. The equation names each
 * operand's axes by letters (`'ij,jk->ik'`); a letter repeated within one
 * operand takes its diagonal (`'ii->i'`, the trace `'ii'`); `...` stands for
 * leading axes that broadcast across operands; without `->` the output is
 * the broadcast `...` axes followed by the letters that appear once, in
 * alphabetical order (uppercase first). Size-1 axes broadcast against a
 * label's other sizes. Operands are contracted pairwise from left to right,
 * each contraction as one batched matmul.
 *
 * @example
 * einsum('ij,jk->ik', a, b);          // matmul(a, b)
 * einsum('bhqd,bhkd->bhqk', q, k);    // attention scores
 * einsum('ii', m);                    // trace
 * einsum('...ij->...ji', x);          // batched transpose
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  if (typeof equation !== 'string') {
    throw new ArgumentError(
      'einsum',
      `the equation must be a string such as 'ij,jk->ik', got ${describeValue(equation)}`,
    );
  }
  operands.forEach((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new ArgumentError('einsum', `operand ${i} must be a Tensor, got ${describeOperand(t)}`);
    }
  });
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const termTexts = lhs.split(',');
  let at = 0;
  const terms = termTexts.map((text) => {
    const term = parseTerm(text, eq, at);
    at += text.length + 1;
    return term;
  });
  if (terms.length !== operands.length) {
    throw new ArgumentError(
      'einsum',
      `equation '${eq}' names ${terms.length} operand${terms.length === 1 ? '' : 's'} but ${operands.length} ${operands.length === 1 ? 'was' : 'were'} given`,
    );
  }

  // Each operand's axes as label ids; ellipsis axes are right-aligned across operands, as broadcasting is.
  let ellipsisRank = 0;
  terms.forEach((term, i) => {
    const t = operands[i] as Tensor;
    const n = term.letters.length;
    if (term.ellipsisAt < 0 ? t.ndim !== n : t.ndim < n) {
      throw new ShapeError(
        'einsum',
        `operand ${i} has ${t.ndim} axes but the equation gives it ${n} label${n === 1 ? '' : 's'} ('${term.text}')${term.ellipsisAt < 0 ? " and no '...'" : ''}`,
      );
    }
    if (term.ellipsisAt >= 0) ellipsisRank = Math.max(ellipsisRank, t.ndim - n);
  });
  const inputs: Labeled[] = terms.map((term, i) => {
    const t = operands[i] as Tensor;
    if (term.ellipsisAt < 0) return { t, labels: term.letters };
    const k = t.ndim - term.letters.length;
    const ell = Array.from({ length: k }, (_, j) => ELLIPSIS + ellipsisRank - k + j);
    return {
      t,
      labels: [...term.letters.slice(0, term.ellipsisAt), ...ell, ...term.letters.slice(term.ellipsisAt)],
    };
  });

  // The output's labels.
  const counts = new Map<number, number>();
  for (const { labels } of inputs) for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const ellipsisIds = Array.from({ length: ellipsisRank }, (_, j) => ELLIPSIS + j);
  let output: number[];
  if (arrow < 0) {
    const once = [...counts].filter(([l, c]) => l < ELLIPSIS && c === 1).map(([l]) => l);
    output = [...ellipsisIds, ...once.sort((a, b) => a - b)];
  } else {
    const rhs = parseTerm(eq.slice(arrow + 2), eq, arrow + 2);
    if (rhs.text.includes('->')) throw new ArgumentError('einsum', `equation '${eq}' has more than one '->'`);
    const seen = new Set<number>();
    for (const l of rhs.letters) {
      if (seen.has(l)) {
        throw new ArgumentError('einsum', `output label '${labelName(l)}' appears more than once in '${eq}'`);
      }
      if (!counts.has(l)) {
        throw new ArgumentError('einsum', `output label '${labelName(l)}' appears in no operand of '${eq}'`);
      }
      seen.add(l);
    }
    // NOTE: as PyTorch, an output without '...' sums the operands' ellipsis axes away.
    output =
      rhs.ellipsisAt < 0
        ? rhs.letters
        : [...rhs.letters.slice(0, rhs.ellipsisAt), ...ellipsisIds, ...rhs.letters.slice(rhs.ellipsisAt)];
  }

  // Each label's size: equal wherever it appears, or 1 (broadcast).
  const sizes = new Map<number, number>();
  inputs.forEach(({ t, labels }, i) => {
    const own = new Map<number, number>();
    labels.forEach((l, axis) => {
      const n = t._shape[axis] as number;
      const prior = own.get(l);
      if (prior !== undefined && prior !== n) {
        throw new ShapeError(
          'einsum',
          `label '${labelName(l)}' is repeated in operand ${i} (shape ${formatShape(t._shape)}) with sizes ${prior} and ${n}; a diagonal needs equal sizes`,
        );
      }
      own.set(l, n);
    });
    for (const [l, n] of own) {
      const seen = sizes.get(l);
      if (seen === undefined || seen === 1) sizes.set(l, n);
      else if (n !== 1 && n !== seen) {
        throw new ShapeError(
          'einsum',
          `label '${labelName(l)}' has size ${n} in operand ${i} (shape ${formatShape(t._shape)}) but ${seen} in an earlier operand; sizes of one label must match or be 1`,
        );
      }
    }
  });

  const outputSet = new Set(output);
  let pending = inputs.map(takeDiagonals);
  // A label is summed away as soon as no later operand and not the output needs it.
  const neededAfter = (rest: readonly Labeled[]): Set<number> => {
    const keep = new Set(outputSet);
    for (const { labels } of rest) for (const l of labels) keep.add(l);
    return keep;
  };
  let acc = sumAway(pending[0] as Labeled, neededAfter(pending.slice(1)));
  pending = pending.slice(1);
  while (pending.length > 0) {
    const next = pending[0] as Labeled;
    pending = pending.slice(1);
    acc = contract(acc, next, neededAfter(pending), sizes);
  }
  acc = sumAway(acc, outputSet);
  // Size-1 axes of broadcast labels grow to the label's size, then axes go into the output's order.
  const order = output.map((l) => acc.labels.indexOf(l));
  const t = order.every((a, i) => a === i) ? acc.t : permute(acc.t, order);
  const shape = output.map((l) => sizes.get(l) as number);
  return t._shape.every((n, i) => n === shape[i]) ? t : expand(t, shape);
}

/** Each label repeated within an operand replaced by one axis: its diagonal. */
function takeDiagonals(x: Labeled): Labeled {
  let { t, labels } = x;
  for (;;) {
    const i = labels.findIndex((l, k) => labels.indexOf(l) !== k);
    if (i < 0) return { t, labels };
    const first = labels.indexOf(labels[i] as number);
    const l = labels[i] as number;
    t = diagonal(t, { axis1: first, axis2: i });
    labels = [...labels.filter((_, k) => k !== first && k !== i), l];
  }
}

/** Sums the axes whose labels are not in `keep`. */
function sumAway(x: Labeled, keep: ReadonlySet<number>): Labeled {
  const axes = x.labels.flatMap((l, i) => (keep.has(l) ? [] : [i]));
  if (axes.length === 0) return x;
  return { t: sum(x.t, axes), labels: x.labels.filter((l) => keep.has(l)) };
}

const product = (xs: readonly number[]): number => xs.reduce((p, n) => p * n, 1);
const sameDims = (t: Tensor, shape: readonly number[]): boolean =>
  t.ndim === shape.length && shape.every((n, i) => n === t._shape[i]);

/**
 * The product of a and b summed over their shared labels not in `keep`, as
 * one batched matmul: a → [batch, rows, inner], b → [batch, inner, cols].
 */
function contract(a0: Labeled, b0: Labeled, keep: ReadonlySet<number>, sizes: ReadonlyMap<number, number>): Labeled {
  const inB = new Set(b0.labels);
  const inA = new Set(a0.labels);
  // An operand's own labels needed by neither the other nor later: summed first.
  const a = sumAway(a0, new Set([...keep, ...inB]));
  const b = sumAway(b0, new Set([...keep, ...inA]));
  const batch = a.labels.filter((l) => inB.has(l) && keep.has(l));
  const inner = a.labels.filter((l) => inB.has(l) && !keep.has(l));
  const rows = a.labels.filter((l) => !inB.has(l));
  const cols = b.labels.filter((l) => !inA.has(l));
  const size = (l: number) => sizes.get(l) as number;
  // Shared labels grow to their full size on both sides (a view); own labels keep theirs.
  const arrange = (x: Labeled, order: number[], grow: ReadonlySet<number>, shape: number[]): Tensor => {
    const perm = order.map((l) => x.labels.indexOf(l));
    let t = perm.every((p, i) => p === i) ? x.t : permute(x.t, perm);
    const full = order.map((l, i) => (grow.has(l) ? size(l) : (t._shape[i] as number)));
    if (full.some((n, i) => n !== t._shape[i])) t = expand(t, full);
    // Already [batch, rows, inner]: matmul reads the strides as they are (a transposed operand is not copied).
    return sameDims(t, shape) ? t : reshape(t, shape);
  };
  const shared = new Set([...batch, ...inner]);
  const bSizes = batch.map(size);
  const nb = product(bSizes);
  const rowSizes = rows.map((l) => a.t._shape[a.labels.indexOf(l)] as number);
  const colSizes = cols.map((l) => b.t._shape[b.labels.indexOf(l)] as number);
  const k = product(inner.map(size));
  const at = arrange(a, [...batch, ...rows, ...inner], shared, [nb, product(rowSizes), k]);
  const bt = arrange(b, [...batch, ...inner, ...cols], shared, [nb, k, product(colSizes)]);
  const product3 = matmul(at, bt);
  const outShape = [...bSizes, ...rowSizes, ...colSizes];
  const out = sameDims(product3, outShape) ? product3 : reshape(product3, outShape);
  return { t: out, labels: [...batch, ...rows, ...cols] };
}
