/**
 * The n-dimensional Tensor: a view (shape, strides, offset) onto a Storage,
 * plus its place in the graph. Methods are one-line delegations to the ops in
 * ../ops, where each op's checks, forward and backward live together.
 */
import { ArgumentError, DTypeError, GraphError, ShapeError, checkBooleanOption, checkOptionKeys, safeString } from '../autograd/errors';
import { leafNode, type Node } from '../autograd/node';
import { backward, type BackwardOptions } from '../autograd/backward';
import type { DType } from './dtype';
import { isFloat } from './dtype';
import { contiguousStrides, formatShape, isContiguous, sameShape, sizeOf, type Shape } from './shape';
import { Storage } from './storage';
import { formatTensor, toNested, type Nested } from './format';
import * as unary from '../ops/unary';
import * as binary from '../ops/binary';
import * as compare from '../ops/compare';
import * as reduce from '../ops/reduce';
import * as shapeOps from '../ops/shape';
import * as indexOps from '../ops/index-ops';
import * as linalg from '../ops/linalg';
import * as activation from '../ops/activation';
import * as inplace from '../ops/inplace';
import { to } from '../ops/cast';
import type { TensorLike } from '../ops/define';

type Axis = number | readonly number[];

/**
 * The most elements `toArray` turns into nested JavaScript arrays. A 1-D
 * JavaScript array of numbers holds at most about 1.3e8 (2**27) of them in V8,
 * and past that the JS heap (4 GB by default) ran out after 10 s of garbage
 * collection, killing the process; 2**26 (512 MiB of doubles) stays clear of both.
 */
export const maxNestedElements = 2 ** 26;

export class Tensor {
  /** The memory this tensor views; shared with the tensors it is a view of. */
  readonly storage: Storage;
  /** Size of each dimension (a frozen array: `x.shape.reverse()` throws instead of corrupting x). */
  readonly shape: Shape;
  /** Elements to skip in storage to move one step along each dimension (0 for broadcast views); frozen too. */
  readonly strides: Shape;
  /** Index in storage of the first element. */
  readonly offset: number;
  readonly dtype: DType;
  #grad: Tensor | null = null;
  /** The node that computed this tensor (null for leaves). Read-only for users. */
  gradFn: Node | null = null;
  #label: string | undefined = undefined;
  /** @internal */
  _requiresGrad = false;
  /** @internal The node backward accumulates this leaf's gradient through. */
  _leafNode: Node | null = null;

  /** @internal Tensors are made by `tensor`, `zeros`, ... and by ops. */
  constructor(storage: Storage, shape: Shape, strides: Shape, offset: number, dtype: DType) {
    this.storage = storage;
    // Frozen once here, so every view and result hands out arrays nobody can
    // change: shape ops receive them as arguments (x.reshape(x.shape)), and a
    // caller's in-place reverse() used to rewrite x's own shape.
    this.shape = Object.freeze(shape);
    this.strides = Object.freeze(strides);
    this.offset = offset;
    this.dtype = dtype;
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
    return this.#grad;
  }

  set grad(g: Tensor | null) {
    if (g !== null) {
      if (!(g instanceof Tensor)) {
        throw new ArgumentError('grad', `a gradient must be a Tensor or null, got ${typeof g === 'object' ? 'an object' : `${typeof g} ${safeString(g)}`}`);
      }
      if (!sameShape(g.shape, this.shape)) {
        throw new ShapeError('grad', `a gradient must have its tensor's shape ${formatShape(this.shape)}, got ${formatShape(g.shape)}`);
      }
      if (g.dtype !== this.dtype) {
        throw new DTypeError('grad', `a gradient must have its tensor's dtype ${this.dtype}, got ${g.dtype} (convert it with .to('${this.dtype}'))`);
      }
    }
    this.#grad = g;
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
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** The underlying typed array (shared; index it with offset and strides). */
  get buffer(): Storage['data'] {
    return this.storage.data;
  }

  /** True when the elements lie in storage in row-major order without gaps. */
  get isContiguous(): boolean {
    return isContiguous(this.shape, this.strides);
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
    return (this._leafNode ??= leafNode(this));
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
    // The driver refuses a non-object; unknown keys and non-boolean flags are refused here.
    if (options !== null && typeof options === 'object') {
      checkOptionKeys('backward', options, ['retainGraph', 'createGraph']);
      checkBooleanOption('backward', 'retainGraph', options.retainGraph);
      checkBooleanOption('backward', 'createGraph', options.createGraph);
    }
    backward(this, gradOutput, options);
  }

  /** A tensor sharing this one's data, cut from the graph (it requires no grad). */
  detach(): Tensor {
    return new Tensor(this.storage, this.shape, this.strides, this.offset, this.dtype);
  }

  /** The single element of a one-element tensor, as a number. */
  item(): number {
    return shapeOps.item(this);
  }

  /** The elements as nested arrays (numbers; booleans for bool tensors are 0/1). */
  toArray(): Nested {
    if (this.size > maxNestedElements) {
      throw new ShapeError(
        'toArray',
        `the tensor of shape ${formatShape(this.shape)} has ${this.size} elements; toArray builds JavaScript arrays, limited to ` +
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
      throw new ShapeError('data', `cannot copy ${this.size} ${this.dtype} elements of shape ${formatShape(this.shape)}: ${e.message}`);
    }
  }

  toString(): string {
    return formatTensor(this);
  }

  // Elementwise unary ops (see ops/unary.ts).
  neg(): Tensor { return unary.neg(this); }
  exp(): Tensor { return unary.exp(this); }
  log(): Tensor { return unary.log(this); }
  sqrt(): Tensor { return unary.sqrt(this); }
  abs(): Tensor { return unary.abs(this); }
  sign(): Tensor { return unary.sign(this); }
  sin(): Tensor { return unary.sin(this); }
  cos(): Tensor { return unary.cos(this); }
  tanh(): Tensor { return unary.tanh(this); }
  sigmoid(): Tensor { return unary.sigmoid(this); }
  relu(): Tensor { return unary.relu(this); }
  leakyRelu(negativeSlope?: number): Tensor { return unary.leakyRelu(this, negativeSlope); }
  softplus(): Tensor { return unary.softplus(this); }
  square(): Tensor { return unary.square(this); }
  reciprocal(): Tensor { return unary.reciprocal(this); }
  clamp(min?: number | null, max?: number | null): Tensor { return unary.clamp(this, min, max); }
  /** A copy of this tensor converted to `dtype` (differentiable between float dtypes). */
  to(dtype: DType): Tensor { return to(this, dtype); }

  // Elementwise binary ops, broadcasting (see ops/binary.ts).
  add(other: TensorLike): Tensor { return binary.add(this, other); }
  sub(other: TensorLike): Tensor { return binary.sub(this, other); }
  mul(other: TensorLike): Tensor { return binary.mul(this, other); }
  div(other: TensorLike): Tensor { return binary.div(this, other); }
  pow(exponent: TensorLike): Tensor { return binary.pow(this, exponent); }
  maximum(other: TensorLike): Tensor { return binary.maximum(this, other); }
  minimum(other: TensorLike): Tensor { return binary.minimum(this, other); }

  // Comparisons: bool results, no gradient (see ops/compare.ts).
  eq(other: TensorLike): Tensor { return compare.eq(this, other); }
  ne(other: TensorLike): Tensor { return compare.ne(this, other); }
  gt(other: TensorLike): Tensor { return compare.gt(this, other); }
  ge(other: TensorLike): Tensor { return compare.ge(this, other); }
  lt(other: TensorLike): Tensor { return compare.lt(this, other); }
  le(other: TensorLike): Tensor { return compare.le(this, other); }
  logicalAnd(other: TensorLike): Tensor { return compare.logicalAnd(this, other); }
  logicalOr(other: TensorLike): Tensor { return compare.logicalOr(this, other); }
  logicalNot(): Tensor { return compare.logicalNot(this); }

  // Reductions (see ops/reduce.ts).
  sum(axis?: Axis, keepDims?: boolean): Tensor { return reduce.sum(this, axis, keepDims); }
  mean(axis?: Axis, keepDims?: boolean): Tensor { return reduce.mean(this, axis, keepDims); }
  max(axis?: Axis, keepDims?: boolean): Tensor { return reduce.max(this, axis, keepDims); }
  min(axis?: Axis, keepDims?: boolean): Tensor { return reduce.min(this, axis, keepDims); }
  argmax(axis?: number, keepDims?: boolean): Tensor { return reduce.argmax(this, axis, keepDims); }
  argmin(axis?: number, keepDims?: boolean): Tensor { return reduce.argmin(this, axis, keepDims); }
  logsumexp(axis?: Axis, keepDims?: boolean): Tensor { return reduce.logsumexp(this, axis, keepDims); }
  var(axis?: Axis, keepDims?: boolean, options?: reduce.VarOptions): Tensor { return reduce.variance(this, axis, keepDims, options); }
  softmax(axis = -1): Tensor { return activation.softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return activation.logSoftmax(this, axis); }

  // Shape ops; most return views that share this tensor's data (see ops/shape.ts).
  reshape(shape: readonly number[]): Tensor { return shapeOps.reshape(this, shape); }
  flatten(startAxis?: number, endAxis?: number): Tensor { return shapeOps.flatten(this, startAxis, endAxis); }
  permute(axes: readonly number[]): Tensor { return shapeOps.permute(this, axes); }
  transpose(dim0: number, dim1: number): Tensor { return shapeOps.transpose(this, dim0, dim1); }
  /** The transpose of a matrix (rank ≤ 2). */
  get T(): Tensor { return shapeOps.matrixTranspose(this); }
  squeeze(axis?: Axis): Tensor { return shapeOps.squeeze(this, axis); }
  unsqueeze(axis: number): Tensor { return shapeOps.unsqueeze(this, axis); }
  expand(shape: readonly number[]): Tensor { return shapeOps.expand(this, shape); }
  slice(axis: number, start?: number, end?: number, step?: number): Tensor { return shapeOps.slice(this, axis, start, end, step); }
  contiguous(): Tensor { return shapeOps.contiguous(this); }
  clone(): Tensor { return shapeOps.clone(this); }
  gather(axis: number, index: Tensor): Tensor { return indexOps.gather(this, axis, index); }
  indexSelect(axis: number, index: Tensor | readonly number[]): Tensor { return indexOps.indexSelect(this, axis, index); }

  // Linear algebra (see ops/linalg.ts).
  matmul(other: Tensor): Tensor { return linalg.matmul(this, other); }
  dot(other: Tensor): Tensor { return linalg.dot(this, other); }
  outer(other: Tensor): Tensor { return linalg.outer(this, other); }

  // In-place updates for optimizers: only under noGrad or on tensors outside the graph.
  addInPlace(other: TensorLike, alpha?: number): this { return inplace.addInPlace(this, other, alpha); }
  subInPlace(other: TensorLike, alpha?: number): this { return inplace.subInPlace(this, other, alpha); }
  mulInPlace(other: TensorLike): this { return inplace.mulInPlace(this, other); }
  copyFrom(source: TensorLike): this { return inplace.copyFrom(this, source); }
  fill(value: number): this { return inplace.fill(this, value); }
}
