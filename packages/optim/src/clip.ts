/**
 * Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_:
 * both change the `.grad` of the given parameters in place (parameters
 * without a gradient are ignored).
 */
import { ArgumentError, DTypeError, Tensor, noGrad } from '@chainrule/core';
import { booleanOption, checkOptionKeys, describeValue, peekGrad } from '@chainrule/core/internal';
import type { FloatArray } from './slots';

/** Options of {@link clipGradNorm}. */
export interface ClipGradNormOptions {
  /** Throw instead of clipping when the total norm is NaN or ±Infinity (default false, as PyTorch). */
  errorIfNonfinite?: boolean;
}

/**
 * The parameters that have a gradient, each once, after checking every one
 * (nothing is changed here, so a refused call changes nothing).
 */
function withGrads(op: string, params: Tensor | Iterable<Tensor>): Tensor[] {
  const list = params instanceof Tensor ? [params] : params;
  if (
    list === null ||
    typeof list !== 'object' ||
    typeof (list as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function'
  ) {
    throw new ArgumentError(op, `params must be a Tensor or an iterable of tensors, got ${describeValue(list)}`);
  }
  // NOTE: a parameter listed twice is clipped once and counted once in the
  // norm (PyTorch scales its gradient twice and counts it twice).
  const seen = new Set<Tensor>();
  const out: Tensor[] = [];
  let i = 0;
  for (const p of list) {
    if (!(p instanceof Tensor)) throw new ArgumentError(op, `params[${i}] is ${describeValue(p)}, expected a Tensor`);
    // peekGrad: reading p.grad would mark the gradient seen, and zeroGrad could no longer recycle it (issue 20).
    const g = peekGrad(p);
    if (g !== null) {
      if (!(g instanceof Tensor))
        throw new ArgumentError(op, `the gradient of params[${i}] is ${describeValue(g)}, expected a Tensor or null`);
      if (g.dtype !== 'float32' && g.dtype !== 'float64')
        throw new DTypeError(op, `the gradient of params[${i}] is ${g.dtype}, expected float32 or float64`);
      if (!seen.has(p)) out.push(p);
      seen.add(p);
    }
    i++;
  }
  return out;
}

/** The gradient's elements, contiguous: the gradient itself, or a copy of a strided one. */
function contiguousGrad(p: Tensor): Tensor {
  const g = peekGrad(p) as Tensor;
  return g.isContiguous ? g : noGrad(() => g.contiguous());
}

/**
 * Makes each gradient one whose memory can be rewritten element by element:
 * a strided gradient (a user may assign a broadcast view, whose elements
 * share memory) is replaced by its contiguous copy. Called only once
 * nothing can fail any more.
 */
function commitContiguous(params: readonly Tensor[], grads: readonly Tensor[]): void {
  params.forEach((p, i) => {
    if (peekGrad(p) !== grads[i]) p.grad = grads[i] as Tensor;
  });
}

/**
 * The p-norm of a[off..off+n): (Σ|x|^p)^(1/p), or max |x| for p = ∞. When
 * the sum of powers leaves the range where doubles are exact (it overflows
 * to ∞ for |x| above 1.3e154 with p = 2, or underflows to 0 or to
 * subnormals below 1e-154) while the norm itself is an ordinary number, the
 * sum is taken again with every |x| divided by the largest first.
 */
function norm(a: FloatArray, off: number, n: number, p: number): number {
  const plain = plainNorm(a, off, n, p);
  if (p === Infinity) return plain;
  const exponent = p * Math.log2(plain); // of Σ|x|^p; NaN and ±∞ fall through
  if (exponent > -1000 && exponent < 1000) return plain;
  const largest = plainNorm(a, off, n, Infinity);
  // All zeros, or a NaN or ±∞ in the data: the plain result is the true one.
  if (!(largest > 0 && largest < Infinity)) return plain;
  let acc = 0;
  for (let k = 0; k < n; k++) acc += (Math.abs(a[off + k]!) / largest) ** p;
  return largest * acc ** (1 / p);
}

function plainNorm(a: FloatArray, off: number, n: number, p: number): number {
  let acc = 0;
  if (p === Infinity) {
    for (let k = 0; k < n; k++) {
      const x = Math.abs(a[off + k]!);
      // A NaN wins, as in PyTorch's max.
      if (Number.isNaN(x)) return NaN;
      if (x > acc) acc = x;
    }
    return acc;
  }
  if (p === 2) {
    for (let k = 0; k < n; k++) acc += a[off + k]! * a[off + k]!;
    return Math.sqrt(acc);
  }
  if (p === 1) {
    for (let k = 0; k < n; k++) acc += Math.abs(a[off + k]!);
    return acc;
  }
  for (let k = 0; k < n; k++) acc += Math.abs(a[off + k]!) ** p;
  return acc ** (1 / p);
}

/**
 * Scales all gradients together so that their total p-norm (the norm of all
 * of them concatenated into one vector) is at most `maxNorm`, and returns the
 * total norm before clipping. As PyTorch, every gradient is multiplied by
 * min(1, maxNorm / (total + 1e-6)).
 *
 * @example
 * loss.backward();
 * const total = clipGradNorm(model.parameters(), 1.0);
 * optimizer.step();
 */
export function clipGradNorm(
  params: Tensor | Iterable<Tensor>,
  maxNorm: number,
  normType = 2,
  options: ClipGradNormOptions = {},
): number {
  const op = 'clipGradNorm';
  if (typeof maxNorm !== 'number' || !(maxNorm >= 0))
    throw new ArgumentError(op, `maxNorm must be a number ≥ 0, got ${describeValue(maxNorm)}`);
  if (typeof normType !== 'number' || !(normType > 0)) {
    throw new ArgumentError(op, `normType must be a number > 0 or Infinity, got ${describeValue(normType)}`);
  }
  checkOptionKeys(op, options, ['errorIfNonfinite']);
  const errorIfNonfinite = booleanOption(op, 'errorIfNonfinite', options.errorIfNonfinite, false);
  const owners = withGrads(op, params);
  if (owners.length === 0) return 0;
  const grads = owners.map(contiguousGrad);
  const norms = grads.map((g) => norm(g.buffer as FloatArray, g.offset, g.size, normType));
  const total = norm(Float64Array.from(norms), 0, norms.length, normType);
  if (errorIfNonfinite && !Number.isFinite(total)) {
    throw new ArgumentError(
      op,
      `the total ${normType}-norm of the gradients is ${total}, so they cannot be clipped; nothing was changed ` +
        '(pass { errorIfNonfinite: false } to scale them by it anyway)',
    );
  }
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  commitContiguous(owners, grads);
  // One gradient tensor held by two parameters counts twice in the norm
  // (the concatenated vector holds it twice) but is scaled once.
  for (const g of new Set(grads)) {
    const a = g.buffer as FloatArray;
    for (let k = g.offset, end = g.offset + g.size; k < end; k++) a[k] = a[k]! * coef;
    g.storage.version++;
  }
  return total;
}

/**
 * Clamps every gradient element to [-clipValue, clipValue], in place.
 *
 * @example
 * clipGradValue(model.parameters(), 0.5);
 */
export function clipGradValue(params: Tensor | Iterable<Tensor>, clipValue: number): void {
  const op = 'clipGradValue';
  if (typeof clipValue !== 'number' || !(clipValue >= 0))
    throw new ArgumentError(op, `clipValue must be a number ≥ 0, got ${describeValue(clipValue)}`);
  const owners = withGrads(op, params);
  const grads = owners.map(contiguousGrad);
  commitContiguous(owners, grads);
  for (const g of new Set(grads)) {
    const a = g.buffer as FloatArray;
    for (let k = g.offset, end = g.offset + g.size; k < end; k++) {
      const x = a[k]!;
      // Comparisons with NaN are false, so a NaN stays NaN (as torch.clamp).
      if (x > clipValue) a[k] = clipValue;
      else if (x < -clipValue) a[k] = -clipValue;
    }
    g.storage.version++;
  }
}
