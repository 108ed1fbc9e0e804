/**
 * The n-dimensional Tensor: a view (shape, strides, offset) onto a Storage,
 * plus its place in the graph. Methods are one-line delegations to the ops in
 * ../ops, where each op's checks, forward and backward live together.
 */
import { ArgumentError, DTypeError, GraphError, ShapeError, safeString } from '../errors';
import { Node } from './node';
import { backward, type BackwardOptions } from './backward';
import type { DType } from './dtype';
import { isFloat } from './dtype';
import { contiguousStrides, formatShape, isContiguous, sameShape, sizeOf, type Shape } from './shape';
import { Storage } from './storage';
import { recycle } from './pool';
import { formatTensor, toNested, type Nested } from './format';
import * as unary from '../ops/unary';
import * as special from '../ops/special';
import * as rounding from '../ops/rounding';
import * as binary from '../ops/binary';
import * as compare from '../ops/compare';
import * as reduce from '../ops/reduce';
import * as reductions from '../ops/reductions';
import * as shapeOps from '../ops/shape';
import * as indexOps from '../ops/index-ops';
import * as linalg from '../ops/linalg';
import * as softmaxOps from '../ops/softmax';
import * as inplace from '../ops/inplace';
import * as activations from '../ops/activations';
import * as bitwise from '../ops/bitwise';
import { to } from '../ops/cast';
import * as indexing from '../ops/indexing';
import * as scatterFns from '../ops/scatter';
import * as masked from '../ops/masked';
import type { IndexArray, IndexItem } from '../ops/index-plan';
import type { TensorLike } from '../ops/define';
import type { ReduceOptions } from '../ops/reduce-dtype';
// Binary math ops, lerp and the value tests (issue 17).
import * as binaryMath from '../ops/binary-math';
import * as valueTests from '../ops/value-tests';
// The shape toolbox's methods delegate to these.
import * as toolbox from '../ops/shape-toolbox';
import * as triangular from '../ops/triangular';
import * as repeating from '../ops/repeat';
import * as splitting from '../ops/split';
import * as broadcasting from '../ops/broadcasting';
// Cumulative, sorting and search ops (issue 18).
import * as cumulative from '../ops/cumulative';
import * as sorting from '../ops/sort';
import * as uniqueOps from '../ops/unique';
import * as contractions from '../ops/contractions';
import { isTracing, noteValueRead, traced } from '../ops/trace';
import * as linalgExtra from '../ops/linalg-extra';

type Axis = number | readonly number[];

/**
 * The most elements `toArray` turns into nested JavaScript arrays. A 1-D
 * JavaScript array of numbers holds at most about 1.3e8 (2**27) of them in V8,
 * and past that the JS heap (4 GB by default) ran out after 10 s of garbage
 * collection, killing the process; 2**26 (512 MiB of doubles) stays clear of both.
 */
export const maxNestedElements = 2 ** 26;

// A leaf's gradient array recycled when `zeroGrad` drops it (issue 20): in
// Chromium each freshly allocated large ArrayBuffer came with fresh memory
// pages, so a batch-32 MLP step paid ~100 page faults for its 400 KB weight
// gradient (1.1 ms of its 1.8 ms on a VM where a fault costs 15 µs), where
// Node's malloc reuses what the last step freed. Reusing the array is safe
// only while nobody outside the engine holds the gradient: backward marks a
// gradient it made for `.grad` private, and reading `.grad` or assigning it
// by hand marks it seen for good. These three reach the private state from
// outside the class (set in its static block) without widening Tensor's
// public surface; `@chainrule/core/internal` hands them to nn and optim.
let peekGradOf: (t: Tensor) => Tensor | null;
let adoptGradOf: (t: Tensor, g: Tensor) => void;
let releaseGradOf: (t: Tensor) => void;

/** `t.grad` without marking it seen: backward's own checks and the optimizers' updates, which keep no reference. */
export function peekGrad(t: Tensor): Tensor | null {
  return peekGradOf(t);
}

/**
 * Sets `t.grad = g` for backward, where `g` is a fresh array nothing else
 * references (made by this pass, delivered to this tensor only, no view of it
 * handed out): until someone reads `t.grad`, {@link releaseGrad} may recycle it.
 */
export function adoptGrad(t: Tensor, g: Tensor): void {
  adoptGradOf(t, g);
}

/**
 * `t.grad = null`, as zeroGrad does; the gradient's array goes back to the
 * allocation pool when backward made it and nobody has read `t.grad` since.
 */
export function releaseGrad(t: Tensor): void {
  releaseGradOf(t);
}

/**
 * An n-dimensional array in the graph: a view (shape, strides, offset) of a
 * storage of float32, float64, int32, int16, int8, uint8 or bool elements.
 * Every op on tensors that require grad records a node (`gradFn`), and
 * `backward()` walks those nodes in reverse topological order, adding into
 * each leaf's `grad`. Make tensors with `tensor`, `zeros`, `randn`, ...;
 * each op is a method here and a function of the same name.
 *
 * @example
 * const w = tensor([[1, 2], [3, 4]]).requireGrad();
 * const y = w.matmul(tensor([1, 1])).tanh().sum();
 * y.backward();
 * w.grad; // ∂y/∂w, shape [2, 2]
 */
export class Tensor {
  /** The memory this tensor views; shared with the tensors it is a view of. */
  readonly storage: Storage;
  /** @internal The dimensions as the engine reads them; users get the frozen copy `shape`. */
  readonly _shape: Shape;
  /** @internal The strides as the engine reads them; users get the frozen copy `strides`. */
  readonly _strides: Shape;
  #frozenShape: Shape | null = null;
  #frozenStrides: Shape | null = null;
  /** Index in storage of the first element. */
  readonly offset: number;
  readonly dtype: DType;
  #grad: Tensor | null = null;
  /** True while `#grad` is a gradient backward made that no user code has been handed (see adoptGrad). */
  #gradPrivate = false;
  /** The node that computed this tensor (null for leaves). Read-only for users. */
  gradFn: Node | null = null;
  #label: string | undefined = undefined;
  /** @internal */
  _requiresGrad = false;
  /** @internal The node backward accumulates this leaf's gradient through. */
  _leafNode: Node | null = null;

  /** Tensors are made by `tensor`, `zeros`, ... and by ops; this constructor is not meant to be called directly. */
  constructor(storage: Storage, shape: Shape, strides: Shape, offset: number, dtype: DType) {
    this.storage = storage;
    // NOTE: not frozen. Object.freeze here (so x._shape.reverse() could not
    // rewrite x) doubled the per-op cost of small ops (2000 chained adds:
    // 1.5 -> 3.0-3.6 µs/op): V8 copies frozen arrays on a slow path, and ops
    // copy shapes all the time. The types say readonly; a frozen public view
    // over an internal array is the planned fix (docs/reliability.md).
    this._shape = shape;
    this._strides = strides;
    this.offset = offset;
    this.dtype = dtype;
  }

  /**
   * Size of each dimension. A frozen array: `x.shape.reverse()` throws
   * instead of rewriting x (copy it first: `[...x.shape].reverse()`).
   */
  get shape(): Shape {
    return (this.#frozenShape ??= Object.freeze(this._shape.slice()));
  }

  /** Elements to skip in storage to move one step along each dimension (0 for broadcast views); frozen like `shape`. */
  get strides(): Shape {
    return (this.#frozenStrides ??= Object.freeze(this._strides.slice()));
  }

  /** @internal A fresh contiguous tensor over `data`. */
  static fromData(data: Storage['data'], shape: Shape, dtype: DType): Tensor {
    return new Tensor(new Storage(data), shape, contiguousStrides(shape), 0, dtype);
  }

  /**
   * Gradient accumulated by backward (leaves that require grad, and tensors
   * that called retainGrad). Assignable, as optimizers and `zeroGrad` do:
   * `null`, or a Tensor of this tensor's shape and dtype; anything else is
   * refused here rather than by a later backward or optimizer step.
   */
  get grad(): Tensor | null {
    this.#gradPrivate = false;
    return this.#grad;
  }

  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) {
        throw new ArgumentError('grad', `a gradient must be a Tensor or null, got ${typeof g === 'object' ? 'an object' : `${typeof g} ${safeString(g)}`}`);
      }
      if (!sameShape(g._shape, this._shape)) {
        throw new ShapeError('grad', `a gradient must have its tensor's shape ${formatShape(this._shape)}, got ${formatShape(g._shape)}`);
      }
      if (g.dtype !== this.dtype) {
        throw new DTypeError('grad', `a gradient must have its tensor's dtype ${this.dtype}, got ${g.dtype} (convert it with .to('${this.dtype}'))`);
      }
    }
    this.#grad = g;
    this.#gradPrivate = false;
  }

  static {
    peekGradOf = (t) => t.#grad;
    adoptGradOf = (t, g) => {
      t.#grad = g;
      t.#gradPrivate = true;
    };
    releaseGradOf = (t) => {
      const g = t.#grad;
      if (g !== null && t.#gradPrivate) recycle(g.storage.data);
      t.#grad = null;
      t.#gradPrivate = false;
    };
  }

  /** A name shown in graph drawings and parameter listings (a string, or undefined for none). */
  get label(): string | undefined {
    return this.#label;
  }

  set label(name: string | undefined) {
    if (name !== undefined && typeof name !== 'string') {
      throw new ArgumentError('label', `a label must be a string or undefined, got ${safeString(name)} (${typeof name})`);
    }
    this.#label = name;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this._shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this._shape);
  }

  /** The underlying typed array (shared; index it with offset and strides). */
  get buffer(): Storage['data'] {
    return this.storage.data;
  }

  /** True when the elements lie in storage in row-major order without gaps. */
  get isContiguous(): boolean {
    return isContiguous(this._shape, this._strides);
  }

  /** Whether backward computes gradients through this tensor. Settable on floating leaves only. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(flag: boolean) {
    if (this.gradFn !== null) {
      throw new GraphError(
        'requiresGrad',
        `only leaves can change requiresGrad; this tensor was computed by '${this.gradFn.name}' (use detach() for a leaf copy)`,
      );
    }
    if (flag && !isFloat(this.dtype)) {
      throw new DTypeError('requiresGrad', `only float32 and float64 tensors can require grad, this one is ${this.dtype}`);
    }
    this._requiresGrad = flag;
    if (!flag) this._leafNode = null;
  }

  /** Sets `requiresGrad` and returns this tensor, for chaining: `randn([3]).requireGrad()`. */
  requireGrad(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  /** True for tensors not computed by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** @internal The node a gradient for this tensor is sent to (null when it needs none). */
  _gradNode(): Node | null {
    if (!this._requiresGrad) return null;
    if (this.gradFn !== null) return this.gradFn;
    return (this._leafNode ??= new Node(this));
  }

  /** Keep `.grad` on this interior tensor after backward (leaves always keep it). */
  retainGrad(): this {
    if (!this._requiresGrad) {
      throw new GraphError('retainGrad', 'this tensor does not require grad, so it will never receive one');
    }
    if (this.gradFn !== null) this.gradFn.retained = this;
    return this;
  }

  /**
   * Computes the gradient of this tensor with respect to every leaf that
   * requires grad, adding it into their `.grad`. A non-scalar tensor needs
   * `gradOutput` (the vector of the vector-Jacobian product).
   *
   * @example
   * const w = tensor([1, 2], { requiresGrad: true });
   * w.mul(w).sum().backward();
   * w.grad; // [2, 4]
   */
  backward(gradOutput?: TensorLike, options: BackwardOptions = {}): void {
    backward(this, gradOutput, options);
  }

  /** A tensor sharing this one's data, cut from the graph (it requires no grad). */
  detach(): Tensor {
    const view = () => new Tensor(this.storage, this._shape, this._strides, this.offset, this.dtype);
    // Traced so an exporter sees the detached view come from this tensor, not a constant.
    return isTracing() ? traced('detach', [this], undefined, view) : view();
  }

  /** The single element of a one-element tensor, as a number. */
  item(): number {
    // An exporter is told: what the caller does with the number is not traced.
    if (isTracing()) noteValueRead(this);
    return shapeOps.item(this);
  }

  /** The elements as nested arrays (numbers; booleans for bool tensors are 0/1). */
  toArray(): Nested {
    if (this.size > maxNestedElements) {
      throw new ShapeError(
        'toArray',
        `the tensor of shape ${formatShape(this._shape)} has ${this.size} elements; toArray builds JavaScript arrays, limited to ` +
          `${maxNestedElements} (2**26) elements here (the JS heap and its largest array); use data() for a typed array, or slice the tensor`,
      );
    }
    return toNested(this);
  }

  /** A contiguous typed-array copy of the elements, row-major. */
  data(): Storage['data'] {
    // A contiguous view may start anywhere in its storage (a slice of rows).
    const packed = shapeOps.contiguous(this.detach());
    try {
      return packed.storage.data.slice(packed.offset, packed.offset + this.size) as Storage['data'];
    } catch (e) {
      // Out of memory for the copy: refused by name, as allocate does.
      if (!(e instanceof RangeError)) throw e;
      throw new ShapeError('data', `cannot copy ${this.size} ${this.dtype} elements of shape ${formatShape(this._shape)}: ${e.message}`);
    }
  }

  /**
   * The elements as PyTorch prints them, with the dtype when it is not
   * float32 and the grad state.
   *
   * @example
   * String(tensor([[1, 2], [3, 4]]));
   * // tensor([[1., 2.],
   * //         [3., 4.]])
   * String(tensor([1.5], { requiresGrad: true }).mul(2)); // 'tensor([3.], gradFn=<mul>)'
   */
  toString(): string {
    return formatTensor(this);
  }

  /**
   * What Node's `console.log` and `util.inspect` show: the same text as
   * `toString()`, instead of the storage and graph fields. The symbol is the
   * global one Node looks up, so core needs no import of `node:util` and
   * still runs in browsers.
   */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  // Elementwise unary ops (see ops/unary.ts): any shape in, the same shape out.
  /** -x, elementwise. */
  neg(): Tensor { return unary.neg(this); }
  /** eˣ, elementwise. */
  exp(): Tensor { return unary.exp(this); }
  /** Natural logarithm, elementwise; log(0) = -Infinity and log of a negative number is NaN, as in PyTorch (clamp first where 0 can occur). */
  log(): Tensor { return unary.log(this); }
  /** ln(1 + x), elementwise, accurate near 0 (PyTorch's `log1p`). */
  log1p(): Tensor { return unary.log1p(this); }
  /** Square root, elementwise. */
  sqrt(): Tensor { return unary.sqrt(this); }
  /** |x|, elementwise (gradient 0 at 0, as in PyTorch). */
  abs(): Tensor { return unary.abs(this); }
  /** -1, 0 or 1 by the sign of each element (gradient 0). */
  sign(): Tensor { return unary.sign(this); }
  /** Sine, elementwise (radians). */
  sin(): Tensor { return unary.sin(this); }
  /** Cosine, elementwise (radians). */
  cos(): Tensor { return unary.cos(this); }
  /** Hyperbolic tangent, elementwise. */
  tanh(): Tensor { return unary.tanh(this); }
  /** σ(x) = 1 / (1 + e⁻ˣ), elementwise, stable for inputs of any size. */
  sigmoid(): Tensor { return unary.sigmoid(this); }
  /** max(x, 0), elementwise (gradient 0 at 0, as in PyTorch). */
  relu(): Tensor { return unary.relu(this); }
  /** x where x > 0, `negativeSlope`·x elsewhere (default 0.01, as PyTorch's leaky_relu). */
  leakyRelu(negativeSlope?: number): Tensor { return unary.leakyRelu(this, negativeSlope); }
  /** log(1 + eˣ), elementwise, without overflow for large x. */
  softplus(): Tensor { return unary.softplus(this); }
  /** x², elementwise. */
  square(): Tensor { return unary.square(this); }
  /** 1/x, elementwise. */
  reciprocal(): Tensor { return unary.reciprocal(this); }
  /**
   * Limits every element to [min, max]; either bound may be null or omitted,
   * or a Tensor that broadcasts with this one (the gradient then reaches it).
   *
   * @example
   * p.clamp(1e-7, 1 - 1e-7); // keep probabilities away from 0 and 1 before log
   */
  clamp(min?: number | Tensor | null, max?: number | Tensor | null): Tensor { return unary.clamp(this, min, max); }
  /**
   * This tensor converted to `dtype` (itself when it already has it);
   * differentiable between float32 and float64. To int32 values truncate
   * toward zero; to bool, nonzero becomes true.
   *
   * @example
   * tensor([1.7, -1.7]).to('int32'); // [1, -1]
   */
  to(dtype: DType): Tensor { return to(this, dtype); }

  // Elementwise binary ops (see ops/binary.ts). `other` is a tensor or a number;
  // the shapes broadcast as in NumPy ([2,3] with [3], [2,1] or a scalar).
  /**
   * this + other, broadcasting.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).add(tensor([10, 20])); // [[11, 22], [13, 24]]
   */
  add(other: TensorLike): Tensor { return binary.add(this, other); }
  /** this - other, broadcasting. */
  sub(other: TensorLike): Tensor { return binary.sub(this, other); }
  /** this · other elementwise (not the matrix product: see {@link Tensor.matmul}), broadcasting. */
  mul(other: TensorLike): Tensor { return binary.mul(this, other); }
  /** this / other elementwise, broadcasting; x/0 is ±Infinity or NaN, as in IEEE arithmetic. */
  div(other: TensorLike): Tensor { return binary.div(this, other); }
  /** this raised to `exponent` elementwise, broadcasting. */
  pow(exponent: TensorLike): Tensor { return binary.pow(this, exponent); }
  /** The larger of this and other elementwise, broadcasting; on ties the gradient is split evenly, as in PyTorch. */
  maximum(other: TensorLike): Tensor { return binary.maximum(this, other); }
  /** The smaller of this and other elementwise, broadcasting; on ties the gradient is split evenly, as in PyTorch. */
  minimum(other: TensorLike): Tensor { return binary.minimum(this, other); }

  // Comparisons and logic: bool results, broadcasting, no gradient (see ops/compare.ts).
  /**
   * this == other elementwise, as a bool tensor.
   *
   * @example
   * logits.argmax(1).eq(labels).to('float32').mean(); // accuracy
   */
  eq(other: TensorLike): Tensor { return compare.eq(this, other); }
  /** this != other elementwise, as a bool tensor. */
  ne(other: TensorLike): Tensor { return compare.ne(this, other); }
  /** this > other elementwise, as a bool tensor. */
  gt(other: TensorLike): Tensor { return compare.gt(this, other); }
  /** this ≥ other elementwise, as a bool tensor. */
  ge(other: TensorLike): Tensor { return compare.ge(this, other); }
  /** this < other elementwise, as a bool tensor. */
  lt(other: TensorLike): Tensor { return compare.lt(this, other); }
  /** this ≤ other elementwise, as a bool tensor. */
  le(other: TensorLike): Tensor { return compare.le(this, other); }
  /** Elementwise AND of the truth of each element (nonzero is true), as a bool tensor (PyTorch's logical_and). */
  logicalAnd(other: TensorLike): Tensor { return compare.logicalAnd(this, other); }
  /** Elementwise OR of the truth of each element (nonzero is true), as a bool tensor (PyTorch's logical_or). */
  logicalOr(other: TensorLike): Tensor { return compare.logicalOr(this, other); }
  /** True where an element is zero, as a bool tensor (PyTorch's logical_not). */
  logicalNot(): Tensor { return compare.logicalNot(this); }

  // Bitwise ops on integer and bool tensors (see ops/bitwise.ts).
  /** this AND other, bit by bit (logical AND for bools). */
  bitwiseAnd(other: TensorLike): Tensor { return bitwise.bitwiseAnd(this, other); }
  /** this OR other, bit by bit (logical OR for bools). */
  bitwiseOr(other: TensorLike): Tensor { return bitwise.bitwiseOr(this, other); }
  /** this XOR other, bit by bit (logical XOR for bools). */
  bitwiseXor(other: TensorLike): Tensor { return bitwise.bitwiseXor(this, other); }
  /** NOT this, bit by bit (logical NOT for bools). */
  bitwiseNot(): Tensor { return bitwise.bitwiseNot(this); }
  /** this shifted left by `other` bits, wrapping to this dtype's width. */
  bitwiseLeftShift(other: TensorLike): Tensor { return bitwise.bitwiseLeftShift(this, other); }
  /** this shifted right by `other` bits, keeping the sign. */
  bitwiseRightShift(other: TensorLike): Tensor { return bitwise.bitwiseRightShift(this, other); }

  // Reductions (see ops/reduce.ts). `axis` is a number (negative counts from the
  // end), a list of numbers, or omitted for all axes; `keepDims` keeps reduced axes as 1s.
  /**
   * Sum over `axis` (all axes when omitted); the sum of no elements is 0.
   * PyTorch's `sum(dim, keepdim, dtype=)`: integer and bool tensors sum to
   * int32 (wrapping; PyTorch's int64), `{ dtype }` converts first and may
   * stand in place of the axis.
   *
   * @example
   * x.sum();                     // every element, a scalar
   * x.sum(0);                    // down the columns of a matrix: [m, n] → [n]
   * x.sum(-1, true);             // along rows, keeping [m, 1] for broadcasting
   * x.sum({ dtype: 'float64' }); // summed in float64
   */
  sum(axis?: Axis | ReduceOptions, keepDims?: boolean, options?: ReduceOptions): Tensor { return reduce.sum(this, axis, keepDims, options); }
  /**
   * Mean over `axis` (all axes when omitted); the mean of no elements is NaN,
   * as in NumPy. Integer and bool tensors need `{ dtype: 'float32' | 'float64' }`, as in PyTorch.
   */
  mean(axis?: Axis | ReduceOptions, keepDims?: boolean, options?: ReduceOptions): Tensor { return reduce.mean(this, axis, keepDims, options); }
  /**
   * Largest element over `axis` (all axes when omitted). Over all axes the
   * gradient is shared evenly among tied elements (PyTorch's `max()`); along
   * an axis it goes to the element argmax reports (the first of ties).
   */
  max(axis?: Axis, keepDims?: boolean): Tensor { return reduce.max(this, axis, keepDims); }
  /** Smallest element over `axis` (all axes when omitted); the gradient as for `max`. */
  min(axis?: Axis, keepDims?: boolean): Tensor { return reduce.min(this, axis, keepDims); }
  /**
   * Index of the largest element along one `axis` (of the flattened tensor
   * when omitted), as int32; no gradient.
   *
   * @example
   * logits.argmax(1); // [batch, classes] → [batch] predicted classes
   */
  argmax(axis?: number, keepDims?: boolean): Tensor { return reduce.argmax(this, axis, keepDims); }
  /** Index of the smallest element along one `axis` (of the flattened tensor when omitted), as int32; no gradient. */
  argmin(axis?: number, keepDims?: boolean): Tensor { return reduce.argmin(this, axis, keepDims); }
  /** log Σ exp(x) over `axis`, without overflow for large inputs (its gradient is softmax). */
  logsumexp(axis?: Axis, keepDims?: boolean): Tensor { return reduce.logsumexp(this, axis, keepDims); }
  /**
   * Variance over `axis`: Σ (x - mean)² / (N - correction), with correction 1
   * (the unbiased estimate) unless `options.correction` says otherwise, as in PyTorch.
   *
   * @example
   * x.var(0, false, { correction: 0 }); // population variance of each column
   */
  var(axis?: Axis, keepDims?: boolean, options?: reduce.VarOptions): Tensor { return reduce.variance(this, axis, keepDims, options); }
  /**
   * exp(x) / Σ exp(x) along `axis` (default: the last), computed stably.
   *
   * @example
   * tensor([1, 2, 3]).softmax(); // [0.0900, 0.2447, 0.6652]
   */
  softmax(axis = -1): Tensor { return softmaxOps.softmax(this, axis); }
  /** log(softmax(x)) along `axis` (default: the last), exact where softmax underflows to 0 (PyTorch's log_softmax). */
  logSoftmax(axis = -1): Tensor { return softmaxOps.logSoftmax(this, axis); }

  // Shape ops; most return views that share this tensor's data (see ops/shape.ts).
  /**
   * The same elements in a new shape with the same number of elements; one
   * dimension may be -1, inferred from the others. A view when this tensor is
   * contiguous, else a copy (PyTorch's reshape, not view).
   *
   * @example
   * arange(6).reshape([2, -1]); // [2, 3]
   */
  reshape(shape: readonly number[]): Tensor { return shapeOps.reshape(this, shape); }
  /** Merges axes `startAxis` through `endAxis` (default: all) into one: [2, 3, 4] → [24], or → [2, 12] with `flatten(1)`. */
  flatten(startAxis?: number, endAxis?: number): Tensor { return shapeOps.flatten(this, startAxis, endAxis); }
  /**
   * Reorders the axes, as a view: output axis i is this tensor's axis `axes[i]`.
   *
   * @example
   * images.permute([0, 2, 3, 1]); // [N, C, H, W] → [N, H, W, C]
   */
  permute(axes: readonly number[]): Tensor { return shapeOps.permute(this, axes); }
  /** Swaps two axes (negative ones count from the end), as a view. */
  transpose(dim0: number, dim1: number): Tensor { return shapeOps.transpose(this, dim0, dim1); }
  /** The transpose of a matrix (rank ≤ 2). */
  get T(): Tensor { return shapeOps.matrixTranspose(this); }
  /** Removes size-1 axes, as a view: those given (each must have size 1), or all of them. */
  squeeze(axis?: Axis): Tensor { return shapeOps.squeeze(this, axis); }
  /**
   * Inserts a size-1 axis at `axis` (-1 for the end), as a view.
   *
   * @example
   * tensor([1, 2, 3]).unsqueeze(1); // [3] → [3, 1], a column
   */
  unsqueeze(axis: number): Tensor { return shapeOps.unsqueeze(this, axis); }
  /**
   * Broadcasts to `shape` without copying: size-1 axes repeat and new leading
   * axes are added; -1 keeps an axis as it is. The elements of the view alias
   * each other, so do not write through it.
   *
   * @example
   * tensor([[1], [2]]).expand([2, 3]); // [[1, 1, 1], [2, 2, 2]]
   */
  expand(shape: readonly number[]): Tensor { return shapeOps.expand(this, shape); }
  /**
   * Elements `start, start + step, ...` before `end` along `axis`, as a view;
   * negative start and end count from the end and are clamped, as in Python
   * slicing. PyTorch writes it `x[start:end:step]`.
   *
   * @example
   * x.slice(0, 0, 2); // x[0:2]
   * x.slice(-1, 1);   // x[..., 1:]
   */
  slice(axis: number, start?: number, end?: number, step?: number): Tensor { return shapeOps.slice(this, axis, start, end, step); }
  /** This tensor laid out row-major without gaps: itself when it already is, else a copy. */
  contiguous(): Tensor { return shapeOps.contiguous(this); }
  /** A copy with its own storage; the gradient passes through to this tensor. */
  clone(): Tensor { return shapeOps.clone(this); }
  /**
   * Picks elements along `axis` by an int32 `index` of the same rank
   * (PyTorch's gather): for a matrix and axis 1, `out[i][j] = x[i][index[i][j]]`.
   *
   * @example
   * logProbs.gather(1, labels.unsqueeze(1)); // [batch, 1]: each row's log-probability of its label
   */
  gather(axis: number, index: Tensor): Tensor { return indexOps.gather(this, axis, index); }
  /**
   * The slices at `index` along `axis` (PyTorch's index_select); repeats are
   * allowed and their gradients add up.
   *
   * @example
   * embeddings.indexSelect(0, [3, 1, 3]); // rows 3, 1 and 3
   */
  indexSelect(axis: number, index: Tensor | readonly number[]): Tensor { return indexOps.indexSelect(this, axis, index); }

  // Linear algebra (see ops/linalg.ts).
  /**
   * Matrix product with PyTorch's rules: [m, k]·[k, n] → [m, n]; a vector on
   * the left acts as a row and on the right as a column; leading axes of
   * rank > 2 operands are batch axes and broadcast.
   *
   * @example
   * W.matmul(a);                          // [out, in]·[in] → [out]
   * x.matmul(W.T);                        // [batch, in]·[in, out] → [batch, out]
   * randn([8, 2, 3]).matmul(randn([3, 4])); // → [8, 2, 4]
   */
  matmul(other: Tensor): Tensor { return linalg.matmul(this, other); }
  /** The dot product of two vectors of the same length, as a scalar tensor. */
  dot(other: Tensor): Tensor { return linalg.dot(this, other); }
  /** The outer product of two vectors, [m] and [n] → [m, n]: `out[i][j] = this[i]·other[j]`. */
  outer(other: Tensor): Tensor { return linalg.outer(this, other); }

  // In-place updates for optimizers and initializers: allowed under noGrad or
  // on tensors outside the graph; `other` broadcasts to this tensor's shape.
  /**
   * this += alpha·other, in place (PyTorch's `add_(other, alpha=alpha)`).
   *
   * @example
   * noGrad(() => w.addInPlace(grad, -0.1)); // a gradient descent step
   */
  addInPlace(other: TensorLike, alpha?: number): this { return inplace.addInPlace(this, other, alpha); }
  /** this -= alpha·other, in place (PyTorch's `sub_`). */
  subInPlace(other: TensorLike, alpha?: number): this { return inplace.subInPlace(this, other, alpha); }
  /** this *= other, in place (PyTorch's `mul_`). */
  mulInPlace(other: TensorLike): this { return inplace.mulInPlace(this, other); }
  /** Overwrites the elements with `source`'s, broadcast to this shape (PyTorch's `copy_`). */
  copyFrom(source: TensorLike): this { return inplace.copyFrom(this, source); }
  /** Sets every element to `value`, in place (PyTorch's `fill_`). */
  fill(value: number): this { return inplace.fill(this, value); }

  // Special functions and rounding (see ops/special.ts and ops/rounding.ts).
  /** erf(x), elementwise. */
  erf(): Tensor { return special.erf(this); }
  /** erfc(x) = 1 - erf(x), elementwise, accurate in the right tail. */
  erfc(): Tensor { return special.erfc(this); }
  /** The inverse error function, elementwise; ±Infinity at ±1, NaN outside [-1, 1]. */
  erfinv(): Tensor { return special.erfinv(this); }
  /** Tangent, elementwise (radians). */
  tan(): Tensor { return special.tan(this); }
  /** Arcsine, elementwise; NaN outside [-1, 1]. */
  asin(): Tensor { return special.asin(this); }
  /** Arccosine, elementwise; NaN outside [-1, 1]. */
  acos(): Tensor { return special.acos(this); }
  /** Arctangent, elementwise. */
  atan(): Tensor { return special.atan(this); }
  /** Hyperbolic sine, elementwise. */
  sinh(): Tensor { return special.sinh(this); }
  /** Hyperbolic cosine, elementwise. */
  cosh(): Tensor { return special.cosh(this); }
  /** Inverse hyperbolic sine, elementwise. */
  asinh(): Tensor { return special.asinh(this); }
  /** Inverse hyperbolic cosine, elementwise; NaN below 1. */
  acosh(): Tensor { return special.acosh(this); }
  /** Inverse hyperbolic tangent, elementwise; ±Infinity at ±1. */
  atanh(): Tensor { return special.atanh(this); }
  /** Base-2 logarithm, elementwise. */
  log2(): Tensor { return special.log2(this); }
  /** Base-10 logarithm, elementwise. */
  log10(): Tensor { return special.log10(this); }
  /** eˣ - 1, elementwise, accurate near 0. */
  expm1(): Tensor { return special.expm1(this); }
  /** 2ˣ, elementwise. */
  exp2(): Tensor { return special.exp2(this); }
  /** 1/√x, elementwise. */
  rsqrt(): Tensor { return special.rsqrt(this); }
  /** The normalized sinc sin(πx)/(πx), with sinc(0) = 1, elementwise. */
  sinc(): Tensor { return special.sinc(this); }
  /** ln|Γ(x)|, elementwise; +Infinity at 0 and the negative integers. */
  lgamma(): Tensor { return special.lgamma(this); }
  /** ψ(x) = d/dx ln Γ(x), elementwise (differentiable: its gradient is trigamma). */
  digamma(): Tensor { return special.digamma(this); }
  /** The largest integer ≤ x, elementwise (gradient 0). */
  floor(): Tensor { return rounding.floor(this); }
  /** The smallest integer ≥ x, elementwise (gradient 0). */
  ceil(): Tensor { return rounding.ceil(this); }
  /**
   * Rounds to the nearest integer, ties to even, or to `decimals` places (as
   * PyTorch's `round(x, decimals=d)`); gradient 0.
   *
   * @example
   * tensor([0.5, 1.5, 2.5]).round(); // [0, 2, 2]
   * tensor([1.2345]).round(2);       // [1.23]
   */
  round(decimals?: number): Tensor { return rounding.round(this, decimals); }
  /** x rounded toward zero, elementwise (gradient 0). */
  trunc(): Tensor { return rounding.trunc(this); }
  /** x - trunc(x), elementwise (gradient 1). */
  frac(): Tensor { return rounding.frac(this); }
  // Binary math ops, lerp and the value tests (see ops/binary-math.ts and ops/value-tests.ts).
  /** The angle of the point (other, this) in (-π, π], elementwise, broadcasting (PyTorch's atan2). */
  atan2(other: TensorLike): Tensor { return binaryMath.atan2(this, other); }
  /** |this| with the sign of other (-0 counts as negative), elementwise, broadcasting. */
  copysign(other: TensorLike): Tensor { return binaryMath.copysign(this, other); }
  /** √(this² + other²), elementwise, broadcasting, without overflow or underflow. */
  hypot(other: TensorLike): Tensor { return binaryMath.hypot(this, other); }
  /** log(eᵗʰⁱˢ + eᵒᵗʰᵉʳ), elementwise, broadcasting, without overflow. */
  logaddexp(other: TensorLike): Tensor { return binaryMath.logaddexp(this, other); }
  /** log₂(2ᵗʰⁱˢ + 2ᵒᵗʰᵉʳ), elementwise, broadcasting, without overflow. */
  logaddexp2(other: TensorLike): Tensor { return binaryMath.logaddexp2(this, other); }
  /** this·log(other), elementwise, broadcasting, 0 where this is 0 (unless other is NaN). */
  xlogy(other: TensorLike): Tensor { return binaryMath.xlogy(this, other); }
  /**
   * The remainder of this / other with the sign of the divisor (Python's %), elementwise, broadcasting.
   *
   * @example
   * tensor([-5, 5]).remainder(3); // [1, 2]
   */
  remainder(other: TensorLike): Tensor { return binaryMath.remainder(this, other); }
  /** The remainder of this / other with the sign of the dividend (C's fmod), elementwise, broadcasting. */
  fmod(other: TensorLike): Tensor { return binaryMath.fmod(this, other); }
  /** ⌊this / other⌋ of the exact quotient (Python's //), elementwise, broadcasting; gradient 0. */
  floorDivide(other: TensorLike): Tensor { return binaryMath.floorDivide(this, other); }
  /** The larger of this and other elementwise, broadcasting, ignoring NaN (NaN only where both are). */
  fmax(other: TensorLike): Tensor { return binaryMath.fmax(this, other); }
  /** The smaller of this and other elementwise, broadcasting, ignoring NaN (NaN only where both are). */
  fmin(other: TensorLike): Tensor { return binaryMath.fmin(this, other); }
  /**
   * this + weight·(end - this), elementwise, broadcasting; differentiable in all three.
   *
   * @example
   * average.lerp(x, 0.1); // an exponential moving average step
   */
  lerp(end: TensorLike, weight: TensorLike): Tensor { return binaryMath.lerp(this, end, weight); }
  /** True where an element is NaN, as a bool tensor. */
  isnan(): Tensor { return valueTests.isnan(this); }
  /** True where an element is ±Infinity, as a bool tensor. */
  isinf(): Tensor { return valueTests.isinf(this); }
  /** True where an element is neither NaN nor ±Infinity, as a bool tensor. */
  isfinite(): Tensor { return valueTests.isfinite(this); }
  /** True where an element is +Infinity, as a bool tensor. */
  isposinf(): Tensor { return valueTests.isposinf(this); }
  /** True where an element is -Infinity, as a bool tensor. */
  isneginf(): Tensor { return valueTests.isneginf(this); }
  /** True where |this - other| ≤ atol + rtol·|other| (defaults 1e-8 and 1e-5) or they are equal, broadcasting. */
  isclose(other: TensorLike, options?: valueTests.IscloseOptions): Tensor { return valueTests.isclose(this, other, options); }
  /** This with NaN, +Infinity and -Infinity replaced (by default 0 and the dtype's extreme finite values). */
  nanToNum(options?: valueTests.NanToNumOptions): Tensor { return valueTests.nanToNum(this, options); }
  // More reductions (see ops/reductions.ts), with sum's `axis` and `keepDims`.
  /**
   * Product over `axis`; 1 over no elements. The gradient is exact where
   * elements are 0 (PyTorch's `prod`). Integers multiply in int32; `{ dtype }` converts first.
   */
  prod(axis?: Axis | ReduceOptions, keepDims?: boolean, options?: ReduceOptions): Tensor { return reductions.prod(this, axis, keepDims, options); }
  /** Largest element over `axis`; the gradient is shared evenly among ties (PyTorch's `amax`). */
  amax(axis?: Axis, keepDims?: boolean): Tensor { return reductions.amax(this, axis, keepDims); }
  /** Smallest element over `axis`; the gradient is shared evenly among ties (PyTorch's `amin`). */
  amin(axis?: Axis, keepDims?: boolean): Tensor { return reductions.amin(this, axis, keepDims); }
  /**
   * The p-norm (Σ |x|^p)^(1/p) over `axis`: p = 2 by default, any real p,
   * ±Infinity, 0 (count of non-zeros) or 'fro' (PyTorch's `linalg.vector_norm`).
   *
   * @example
   * tensor([3, 4]).norm();        // 5
   * x.norm(1, -1, true);          // Σ|x| along rows, kept as [m, 1]
   */
  norm(p?: number | 'fro', axis?: Axis, keepDims?: boolean): Tensor { return reductions.norm(this, p, axis, keepDims); }
  /** Standard deviation over `axis`, correction 1 unless `options.correction` says otherwise (PyTorch's `std`). */
  std(axis?: Axis, keepDims?: boolean, options?: reduce.VarOptions): Tensor { return reductions.std(this, axis, keepDims, options); }
  /** `{ var, mean }` over the same axes (PyTorch's `var_mean`). */
  varMean(axis?: Axis, keepDims?: boolean, options?: reduce.VarOptions): { var: Tensor; mean: Tensor } { return reductions.varMean(this, axis, keepDims, options); }
  /** `{ std, mean }` over the same axes (PyTorch's `std_mean`). */
  stdMean(axis?: Axis, keepDims?: boolean, options?: reduce.VarOptions): { std: Tensor; mean: Tensor } { return reductions.stdMean(this, axis, keepDims, options); }
  /** Sum over `axis` of the elements that are not NaN (PyTorch's `nansum`); `{ dtype }` as for {@link Tensor.sum}. */
  nansum(axis?: Axis | ReduceOptions, keepDims?: boolean, options?: ReduceOptions): Tensor { return reductions.nansum(this, axis, keepDims, options); }
  /** Mean over `axis` of the elements that are not NaN; NaN when all are (PyTorch's `nanmean`). */
  nanmean(axis?: Axis, keepDims?: boolean): Tensor { return reductions.nanmean(this, axis, keepDims); }
  /** Whether any element over `axis` is non-zero, as bool; no gradient (PyTorch's `any`). */
  any(axis?: Axis, keepDims?: boolean): Tensor { return reductions.any(this, axis, keepDims); }
  /** Whether every element over `axis` is non-zero, as bool; no gradient (PyTorch's `all`). */
  all(axis?: Axis, keepDims?: boolean): Tensor { return reductions.all(this, axis, keepDims); }
  /** The number of non-zero elements over `axis`, as int32 (PyTorch's `count_nonzero`). */
  countNonzero(axis?: Axis, keepDims?: boolean): Tensor { return reductions.countNonzero(this, axis, keepDims); }
  // The shape toolbox (see ops/shape-toolbox.ts and the files beside it); most results are views of this tensor.
  /**
   * The elements reversed along each of `axes` (a copy, as in PyTorch).
   *
   * @example
   * tensor([[1, 2], [3, 4]]).flip(0); // [[3, 4], [1, 2]]
   */
  flip(axes: number | readonly number[]): Tensor { return toolbox.flip(this, axes); }
  /**
   * The elements shifted cyclically by `shifts` along `axes` (one shift per
   * axis); without axes, rolled as if flattened.
   *
   * @example
   * tensor([1, 2, 3, 4]).roll(1); // [4, 1, 2, 3]
   */
  roll(shifts: number | readonly number[], axes?: number | readonly number[]): Tensor { return toolbox.roll(this, shifts, axes); }
  /** The lower triangle of each matrix (the last two axes): j - i ≤ `diagonal` kept, the rest zeroed. */
  tril(diagonal?: number): Tensor { return triangular.tril(this, diagonal); }
  /** The upper triangle of each matrix (the last two axes): j - i ≥ `diagonal` kept, the rest zeroed. */
  triu(diagonal?: number): Tensor { return triangular.triu(this, diagonal); }
  /** A vector's (n + |k|)² diagonal matrix, or a matrix's k-th diagonal (a view), as PyTorch's `diag`. */
  diag(diagonal?: number): Tensor { return triangular.diag(this, diagonal); }
  /**
   * The diagonal across `axis1` and `axis2` (default 0 and 1) as a view,
   * moved to the last axis; `offset` picks a diagonal above (> 0) or below.
   *
   * @example
   * tensor([[1, 2], [3, 4]]).diagonal(); // [1, 4]
   */
  diagonal(options?: triangular.DiagonalOptions): Tensor { return triangular.diagonal(this, options); }
  /** Matrices with this tensor's last axis on their diagonal (at output axes -2 and -1 by default), PyTorch's `diag_embed`. */
  diagEmbed(options?: triangular.DiagonalOptions): Tensor { return triangular.diagEmbed(this, options); }
  /** The sum of a matrix's main diagonal, as a 0-d tensor. */
  trace(): Tensor { return triangular.trace(this); }
  /**
   * Tiled `reps[i]` times along axis i (at least one rep per axis; extra
   * ones add leading axes), PyTorch's `Tensor.repeat`.
   *
   * @example
   * tensor([1, 2]).repeat([2, 2]); // [[1, 2, 1, 2], [1, 2, 1, 2]]
   */
  repeat(reps: number | readonly number[]): Tensor { return repeating.repeat(this, reps); }
  /** Tiled `reps[i]` times along axis i, missing reps counting as 1 from the front (NumPy's `tile`). */
  tile(reps: number | readonly number[]): Tensor { return repeating.tile(this, reps); }
  /**
   * Each element repeated in place along `axis` (flattened without one),
   * `repeats` times or `repeats[i]` times for element i.
   *
   * @example
   * tensor([1, 2]).repeatInterleave([1, 2]); // [1, 2, 2]
   */
  repeatInterleave(repeats: number | readonly number[] | Tensor, axis?: number): Tensor { return repeating.repeatInterleave(this, repeats, axis); }
  /**
   * Views of consecutive parts along `axis`: of `sizeOrSections` elements
   * each (the last smaller), or of the listed sizes.
   *
   * @example
   * arange(5).split(2); // [0, 1], [2, 3], [4]
   */
  split(sizeOrSections: number | readonly number[], axis?: number): Tensor[] { return splitting.split(this, sizeOrSections, axis); }
  /** Views of `chunks` nearly equal parts along `axis` (fewer when the size does not allow that many). */
  chunk(chunks: number, axis?: number): Tensor[] { return splitting.chunk(this, chunks, axis); }
  /** The slices along `axis` with that axis removed, as views (the inverse of stack). */
  unbind(axis?: number): Tensor[] { return splitting.unbind(this, axis); }
  /**
   * Moves axes `source` to positions `destination`, the others keeping their order: a view.
   *
   * @example
   * zeros([2, 3, 4]).movedim(0, -1).shape; // [3, 4, 2]
   */
  movedim(source: number | readonly number[], destination: number | readonly number[]): Tensor { return toolbox.movedim(this, source, destination); }
  /** Swaps two axes, as a view (the same as transpose). */
  swapaxes(axis0: number, axis1: number): Tensor { return toolbox.swapaxes(this, axis0, axis1); }
  /**
   * Splits `axis` into `sizes` (one may be -1), always as a view.
   *
   * @example
   * zeros([2, 12]).unflatten(1, [3, 4]).shape; // [2, 3, 4]
   */
  unflatten(axis: number, sizes: readonly number[]): Tensor { return toolbox.unflatten(this, axis, sizes); }
  /** Broadcast to `shape` as a view, by NumPy's rules (-1 keeps an axis), PyTorch's `broadcast_to`. */
  broadcastTo(shape: readonly number[]): Tensor { return broadcasting.broadcastTo(this, shape); }
  // Activation functions (see ops/activations.ts), PyTorch's names in camelCase.
  /** min(max(x, 0), 6), elementwise; gradient 0 at 0 and 6, as in PyTorch. */
  relu6(): Tensor { return activations.relu6(this); }
  /** x for x > 0, alpha·(eˣ - 1) otherwise (default alpha 1). */
  elu(alpha?: number): Tensor { return activations.elu(this, alpha); }
  /** scale·elu(x, alpha) with PyTorch's fixed SELU constants. */
  selu(): Tensor { return activations.selu(this); }
  /** max(0, x) + min(0, alpha·(e^(x/alpha) - 1)) (default alpha 1, never 0). */
  celu(alpha?: number): Tensor { return activations.celu(this, alpha); }
  /**
   * x·Φ(x), or its tanh approximation with `{ approximate: 'tanh' }`.
   *
   * @example
   * h.gelu({ approximate: 'tanh' }); // as GPT-2
   */
  gelu(options?: activations.GeluOptions): Tensor { return activations.gelu(this, options); }
  /** x·σ(x) (swish). */
  silu(): Tensor { return activations.silu(this); }
  /** x·tanh(softplus(x)). */
  mish(): Tensor { return activations.mish(this); }
  /** x·relu6(x + 3)/6; gradient -1/2 at -3 and 1 at 3, as in PyTorch. */
  hardswish(): Tensor { return activations.hardswish(this); }
  /** relu6(x + 3)/6; gradient 0 at ±3, as in PyTorch. */
  hardsigmoid(): Tensor { return activations.hardsigmoid(this); }
  /** min(max(x, minVal), maxVal) (defaults -1, 1); gradient 0 at the bounds, unlike clamp. */
  hardtanh(minVal?: number, maxVal?: number): Tensor { return activations.hardtanh(this, minVal, maxVal); }
  /** x/(1 + |x|), elementwise. */
  softsign(): Tensor { return activations.softsign(this); }
  /** log σ(x), stable for inputs of any size (PyTorch's logsigmoid). */
  logSigmoid(): Tensor { return activations.logSigmoid(this); }
  /** x - tanh(x), accurate near 0. */
  tanhshrink(): Tensor { return activations.tanhshrink(this); }
  /** x - λ above λ, x + λ below -λ, 0 between (λ ≥ 0, default 0.5). */
  softshrink(lambd?: number): Tensor { return activations.softshrink(this, lambd); }
  /** x where |x| > λ, 0 elsewhere (λ ≥ 0, default 0.5). */
  hardshrink(lambd?: number): Tensor { return activations.hardshrink(this, lambd); }
  /**
   * `value` where x ≤ `threshold`, x elsewhere.
   *
   * @example
   * x.threshold(0.1, 0); // zero out everything up to 0.1
   */
  threshold(threshold: number, value: number): Tensor { return activations.threshold(this, threshold, value); }
  // Cumulative ops along one axis (see ops/cumulative.ts) and sorting (ops/sort.ts, ops/unique.ts). Several
  // results come back as an object: `{ values, indices }`, indices int32.
  /**
   * Running sums along `axis` (PyTorch's cumsum); integers scan in int32,
   * `{ dtype }` converts first.
   *
   * @example
   * tensor([1, 2, 3]).cumsum(0); // [1, 3, 6]
   */
  cumsum(axis: number, options?: ReduceOptions): Tensor { return cumulative.cumsum(this, axis, options); }
  /** Running products along `axis`; the gradient is exact with zeros in the input (PyTorch's cumprod). */
  cumprod(axis: number, options?: ReduceOptions): Tensor { return cumulative.cumprod(this, axis, options); }
  /** log Σ_{k≤j} exp(x_k) along `axis`, without overflow (PyTorch's logcumsumexp). */
  logcumsumexp(axis: number): Tensor { return cumulative.logcumsumexp(this, axis); }
  /** The running maximum along `axis` and where each was found (ties: the later index, as PyTorch). */
  cummax(axis: number): cumulative.ValuesAndIndices { return cumulative.cummax(this, axis); }
  /** The running minimum along `axis` and where each was found (ties: the later index, as PyTorch). */
  cummin(axis: number): cumulative.ValuesAndIndices { return cumulative.cummin(this, axis); }
  /**
   * Sorted along `axis` (default the last), with the index of each value; NaN sorts as the largest.
   *
   * @example
   * tensor([3, 1, 2]).sort(); // { values: [1, 2, 3], indices: [1, 2, 0] }
   */
  sort(axis?: number, options?: sorting.SortOptions): cumulative.ValuesAndIndices { return sorting.sort(this, axis, options); }
  /** The indices that sort this tensor along `axis` (default the last), as int32. */
  argsort(axis?: number, options?: sorting.SortOptions): Tensor { return sorting.argsort(this, axis, options); }
  /**
   * The k largest (or, with `largest: false`, smallest) elements along `axis` (default the last) and their indices.
   *
   * @example
   * logits.topk(5, 1).indices; // the five best classes of each row
   */
  topk(k: number, axis?: number, options?: sorting.TopkOptions): cumulative.ValuesAndIndices { return sorting.topk(this, k, axis, options); }
  /** The k-th smallest element (k from 1) along `axis` (default the last) and its index. */
  kthvalue(k: number, axis?: number, keepDims?: boolean): cumulative.ValuesAndIndices { return sorting.kthvalue(this, k, axis, keepDims); }
  /** The lower median of all elements, as a 0-d tensor (NaN if any element is NaN). */
  median(): Tensor;
  /** The lower median along `axis` and its index. */
  median(axis: number, keepDims?: boolean): cumulative.ValuesAndIndices;
  median(axis?: number, keepDims?: boolean): Tensor | cumulative.ValuesAndIndices {
    return axis === undefined && keepDims === undefined ? sorting.median(this) : sorting.median(this, axis as number, keepDims);
  }
  /** The most frequent value along `axis` (default the last; the smallest of equally frequent ones) and an index of it. */
  mode(axis?: number, keepDims?: boolean): cumulative.ValuesAndIndices { return sorting.mode(this, axis, keepDims); }
  /**
   * The distinct elements, sorted (or distinct slices along `options.axis`); with `returnInverse` or
   * `returnCounts`, an object with `inverse` and `counts` too (PyTorch's unique). Not differentiable.
   *
   * @example
   * tensor([3, 1, 3]).unique(); // [1, 3]
   */
  unique(options?: uniqueOps.UniqueOptions & { returnInverse?: false; returnCounts?: false }): Tensor;
  unique(options: uniqueOps.UniqueOptions & { returnInverse: true; returnCounts: true }): Required<uniqueOps.UniqueResult>;
  unique(options: uniqueOps.UniqueOptions & { returnInverse: true }): uniqueOps.UniqueResult & { inverse: Tensor };
  unique(options: uniqueOps.UniqueOptions & { returnCounts: true }): uniqueOps.UniqueResult & { counts: Tensor };
  unique(options?: uniqueOps.UniqueOptions): Tensor | uniqueOps.UniqueResult;
  unique(options?: uniqueOps.UniqueOptions): Tensor | uniqueOps.UniqueResult { return uniqueOps.unique(this, options ?? {}); }
  // Indexing (see ops/indexing.ts, ops/scatter.ts, ops/masked.ts): PyTorch's x[...] and its relatives.
  /**
   * `x[indices]` with PyTorch's rules: integers select, slices
   * `{ start, stop, step }` keep an axis, `null` adds one, `Ellipsis` ('...')
   * fills in the rest; int32 tensors and integer arrays pick elements
   * (broadcast together), bool tensors are masks. A view without tensors or
   * arrays, a copy with them (see {@link index} for where their axes go).
   *
   * @example
   * x.index([0]);                  // x[0]
   * x.index(['...', { step: -1 }]); // x[..., ::-1] (NumPy's meaning; PyTorch refuses negative steps)
   * x.index([{}, [2, 0]]);         // x[:, [2, 0]]
   * x.index([x.gt(0)]);            // x[x > 0]
   */
  index(indices: readonly IndexItem[]): Tensor { return indexing.index(this, indices); }
  /**
   * A copy with `values` written at `indices` (the functional `x[indices] = values`,
   * PyTorch's index_put); `{ accumulate: true }` adds them instead.
   *
   * @example
   * x.indexPut([{}, 0], 0); // x[:, 0] = 0, on a copy
   */
  indexPut(indices: readonly IndexItem[], values: TensorLike, options?: indexing.IndexPutOptions): Tensor { return indexing.indexPut(this, indices, values, options); }
  /** The slice at `i` along `axis`, that axis removed (PyTorch's select), as a view. */
  select(axis: number, i: number): Tensor { return indexing.select(this, axis, i); }
  /** `length` elements along `axis` from `start` (PyTorch's narrow), as a view. */
  narrow(axis: number, start: number, length: number): Tensor { return indexing.narrow(this, axis, start, length); }
  /** The elements at flat (row-major) indices, shaped like `index`; negative indices count from the end (PyTorch's take). */
  take(index: Tensor | IndexArray): Tensor { return indexing.take(this, index); }
  /**
   * Picks elements along `axis` by `indices` of the same rank, broadcasting on the other axes (PyTorch's take_along_dim).
   *
   * @example
   * x.takeAlongDim(x.argmax(1, true), 1); // each row's largest element
   */
  takeAlongDim(indices: Tensor | IndexArray, axis?: number): Tensor { return indexing.takeAlongDim(this, indices, axis); }
  /**
   * A copy with `src` written along `axis` where `index` says: for axis 1, `out[i][index[i][j]] = src[i][j]` (PyTorch's scatter).
   *
   * @example
   * zeros([2, 4]).scatter(1, labels.unsqueeze(1), 1); // one-hot rows
   */
  scatter(axis: number, index: Tensor, src: Tensor | number): Tensor { return scatterFns.scatter(this, axis, index, src); }
  /** Like {@link Tensor.scatter}, adding `src` into a copy (repeated indices add up): PyTorch's scatter_add. */
  scatterAdd(axis: number, index: Tensor, src: Tensor): Tensor { return scatterFns.scatterAdd(this, axis, index, src); }
  /**
   * Reduces `src` into a copy along `axis` where `index` says, with 'sum', 'prod', 'mean', 'amax' or 'amin' (PyTorch's scatter_reduce).
   *
   * @example
   * zeros([3]).scatterReduce(0, groups, values, 'amax', { includeSelf: false }); // each group's largest value
   */
  scatterReduce(axis: number, index: Tensor, src: Tensor, reduce: scatterFns.ScatterReduction, options?: scatterFns.ScatterReduceOptions): Tensor { return scatterFns.scatterReduce(this, axis, index, src, reduce, options); }
  /** A copy with `alpha`·source added into the slices at `index` along `axis` (PyTorch's index_add). */
  indexAdd(axis: number, index: Tensor | readonly number[], source: Tensor, options?: scatterFns.IndexAddOptions): Tensor { return scatterFns.indexAdd(this, axis, index, source, options); }
  /** A copy with source's slices written at `index` along `axis` (PyTorch's index_copy). */
  indexCopy(axis: number, index: Tensor | readonly number[], source: Tensor): Tensor { return scatterFns.indexCopy(this, axis, index, source); }
  /** A copy with the slices at `index` along `axis` set to `value`, a number or a 0-d tensor (PyTorch's index_fill). */
  indexFill(axis: number, index: Tensor | readonly number[], value: Tensor | number): Tensor { return scatterFns.indexFill(this, axis, index, value); }
  /**
   * A copy with `value` where the bool `mask` is true (PyTorch's masked_fill); they broadcast together.
   *
   * @example
   * scores.maskedFill(padding, -Infinity);
   */
  maskedFill(mask: Tensor, value: Tensor | number): Tensor { return masked.maskedFill(this, mask, value); }
  /** The elements where the bool `mask` is true, as a 1-D tensor (PyTorch's masked_select). */
  maskedSelect(mask: Tensor): Tensor { return masked.maskedSelect(this, mask); }
  /** A copy with source's leading elements written, in order, where the bool `mask` is true (PyTorch's masked_scatter). */
  maskedScatter(mask: Tensor, source: Tensor): Tensor { return masked.maskedScatter(this, mask, source); }
  /** The coordinates of the nonzero elements, an int32 [count, rank] tensor (PyTorch's nonzero); no gradient. */
  nonzero(): Tensor { return masked.nonzero(this); }
  /** The coordinates of the nonzero elements, an int32 [count, rank] tensor (PyTorch's argwhere, the same as nonzero); no gradient. */
  argwhere(): Tensor { return masked.argwhere(this); }

  // Contractions (issue 18): ops/contractions.ts.
  /** The batched product with [b, m, p] of this [b, n, m], both 3-D (no broadcasting). */
  bmm(other: Tensor): Tensor { return contractions.bmm(this, other); }
  /** The Kronecker product with `other`. */
  kron(other: Tensor): Tensor { return contractions.kron(this, other); }
  /** The cross product of 3-vectors along `axis` (default -1) with `other`. */
  cross(other: Tensor, axis?: number): Tensor { return contractions.cross(this, other, axis); }

  // Linear algebra as Tensor methods where PyTorch has them (issue 18): ops/linalg-extra.ts. PyTorch's Tensor.svd
  // is the old torch.svd (reduced, returning V rather than Vh), so there is no svd method: use linalg.svd.
  /** The determinant of each matrix [..., n, n] (PyTorch's `det`, `linalg.det`). */
  det(): Tensor { return linalgExtra.det(this); }
  /** `{ sign, logabsdet }` of each matrix's determinant (PyTorch's `slogdet`, `linalg.slogdet`). */
  slogdet(): { sign: Tensor; logabsdet: Tensor } { return linalgExtra.slogdet(this); }
  /** The inverse of each matrix [..., n, n]; a singular one throws a LinAlgError (PyTorch's `inverse`, `linalg.inv`). */
  inverse(): Tensor { return linalgExtra.inv(this); }
  /** The Moore-Penrose pseudo-inverse of each matrix [..., m, n] (PyTorch's `pinverse`, `linalg.pinv`). */
  pinverse(): Tensor { return linalgExtra.pinv(this); }
  /** The k-th power of each square matrix, k a (negative) integer (PyTorch's `matrix_power`). */
  matrixPower(k: number): Tensor { return linalgExtra.matrixPower(this, k); }
  /**
   * The Cholesky factor of each symmetric positive-definite matrix, lower unless `{ upper: true }`; otherwise a
   * LinAlgError (PyTorch's `cholesky`, `linalg.cholesky`).
   */
  cholesky(options?: linalgExtra.CholeskyOptions): Tensor { return linalgExtra.cholesky(this, options); }
  /**
   * `{ Q, R }` of each matrix [..., m, n], reduced unless `{ mode: 'complete' | 'r' }` (PyTorch's `qr`, whose
   * default `some=True` is the reduced factorization, as `linalg.qr`).
   *
   * @example
   * const { Q, R } = a.qr();
   */
  qr(options?: linalgExtra.QrOptions): { Q: Tensor; R: Tensor } { return linalgExtra.qr(this, options); }
}
