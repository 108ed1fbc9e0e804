/**
 * Indexing ops. Two primitives carry all the gradients: `takeFlat` reads
 * elements at row-major indices and `putFlat` adds values into zeros at such
 * indices; each is the other's backward. gather, indexSelect and max/min's
 * backward only compute the indices.
 */
import { put, take } from '../kernels/gather';
import { ArgumentError, DTypeError, IndexError, ShapeError, safeString } from '../errors';
import { allocate } from '../tensor/dtype';
import { checkShape, contiguousStrides, formatShape, normalizeAxis, sizeOf, type Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, asTensor, describeOperand, emptyLike, type OpDef, type TensorLike, type Unary } from './define';
import { copyOf } from './shape';
import { tracedWhole } from './trace';

/** A contiguous int32 tensor of the same shape as `index`'s flat positions. */
type FlatIndex = Tensor;

function contiguousData(x: Tensor): Tensor {
  return x.isContiguous ? x : copyOf(x);
}

const takeFlatDef: OpDef<Unary, FlatIndex> = {
  name: 'takeFlat',
  forward([x], index) {
    const src = contiguousData(x);
    const out = emptyLike(index._shape, src.dtype);
    take(src.storage.data, src.offset, index.storage.data as Int32Array, out.storage.data);
    return out;
  },
  backward: (g, { params: index, inputShapes: [shape] }) => [putFlat(g, index, shape as Shape)],
};

const putFlatDef: OpDef<Unary, { index: FlatIndex; shape: Shape }> = {
  name: 'putFlat',
  forward([g], { index, shape }) {
    const src = contiguousData(g);
    const out = emptyLike(shape, src.dtype);
    put(src.storage.data, src.offset, index.storage.data as Int32Array, out.storage.data);
    return out;
  },
  // takeFlat gives index's shape; g may hold the same elements in another shape (max's keepDims-false gradient).
  backward: (g, { params: { index }, inputShapes: [shape] }) => [takeFlat(g, index).reshape(shape as Shape)],
};

/** @internal x's elements at row-major positions `index` (int32, contiguous), shaped like `index`. */
export function takeFlat(x: Tensor, index: FlatIndex): Tensor {
  return apply(takeFlatDef, [x], index);
}

/** @internal Zeros of `shape` with g's elements added at row-major positions `index`. */
export function putFlat(g: Tensor, index: FlatIndex, shape: Shape): Tensor {
  return apply(putFlatDef, [g], { index, shape });
}

/** Indices given as an int32 tensor or an array of integers, as a contiguous int32 tensor. */
export function toIndexTensor(op: string, index: unknown): Tensor {
  if (index instanceof Tensor) {
    if (index.dtype !== 'int32') {
      throw new DTypeError(op, `indices must be an int32 tensor (convert with .to('int32')), got ${index.dtype}`);
    }
    // Callers read the index array from position 0: a view with an offset
    // (a row of a label matrix) or with gaps is copied first.
    const packed = index.isContiguous && index.offset === 0 && index.storage.data.length === index.size;
    return packed ? index : copyOf(index);
  }
  if (Array.isArray(index)) {
    const data = allocate('int32', index.length);
    index.forEach((v, i) => {
      if (typeof v !== 'number' || !Number.isInteger(v)) {
        throw new ArgumentError(op, `indices must be integers, element ${i} is ${describeOperand(v)}`);
      }
      data[i] = v;
    });
    return Tensor.fromData(data, [index.length], 'int32');
  }
  throw new ArgumentError(op, `indices must be an int32 tensor or an array of integers, got ${describeOperand(index)}`);
}

function checkRange(op: string, values: Int32Array, size: number, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < 0 || v >= size) {
      throw new IndexError(op, `index ${v} is out of range for ${what} of size ${size} (expected 0 to ${size - 1})`);
    }
  }
}

/**
 * Picks elements along `axis` by `index` (PyTorch's gather): for a matrix and
 * axis 1, `out[i][j] = x[i][index[i][j]]`. `index` has x's rank, and along the
 * other axes is no larger than x. The gradient adds back into the picked
 * positions.
 *
 * @example
 * logProbs.gather(1, labels.unsqueeze(1)); // each row's log-probability of its label
 */
export function gather(x: TensorLike, axis: number, index: Tensor): Tensor {
  const t = asTensor('gather', x);
  const idx = toIndexTensor('gather', index);
  const a = normalizeAxis('gather', axis, t.ndim);
  if (idx.ndim !== t.ndim || idx._shape.some((d, i) => i !== a && d > (t._shape[i] as number))) {
    throw new ShapeError(
      'gather',
      `index of shape ${formatShape(idx._shape)} does not fit input ${formatShape(t._shape)} along axis ${a} (same rank; no larger on the other axes)`,
    );
  }
  const values = idx.storage.data as Int32Array;
  checkRange('gather', values, t._shape[a] ?? 1, `axis ${a}`);
  const flat = flatPositions(idx._shape, contiguousStrides(t._shape), (i, coord) =>
    i === a ? (values[coord.flat] as number) : (coord.at[i] as number),
  );
  return takeFlat(t, flat);
}

/**
 * The slices of x at `indices` along `axis` (PyTorch's index_select); repeats
 * are allowed and their gradients add up.
 *
 * @example
 * embeddings.indexSelect(0, [3, 1, 3]); // rows 3, 1, 3
 */
export function indexSelect(x: TensorLike, axis: number, indices: Tensor | readonly number[]): Tensor {
  const t = asTensor('indexSelect', x);
  const idx = toIndexTensor('indexSelect', indices);
  if (idx.ndim !== 1) throw new ShapeError('indexSelect', `indices must be 1-D, got shape ${formatShape(idx._shape)}`);
  const a = normalizeAxis('indexSelect', axis, t.ndim);
  const values = idx.storage.data as Int32Array;
  checkRange('indexSelect', values, t._shape[a] ?? 1, `axis ${a}`);
  const shape = t._shape.slice();
  if (t.ndim > 0) shape[a] = values.length;
  const flat = flatPositions(shape, contiguousStrides(t._shape), (i, coord) =>
    i === a ? (values[coord.at[i] as number] as number) : (coord.at[i] as number),
  );
  return takeFlat(t, flat);
}

interface Coordinate {
  at: number[];
  flat: number;
}

/** For every position of `shape`, Σ_i coordinate(i) · strides[i], as an int32 tensor of that shape. */
function flatPositions(shape: Shape, strides: Shape, coordinate: (axis: number, c: Coordinate) => number): Tensor {
  const size = sizeOf(shape);
  const out = allocate('int32', size);
  const c: Coordinate = { at: new Array<number>(shape.length).fill(0), flat: 0 };
  for (let p = 0; p < size; p++) {
    c.flat = p;
    let position = 0;
    for (let i = 0; i < shape.length; i++) position += coordinate(i, c) * (strides[i] as number);
    out[p] = position;
    for (let i = shape.length - 1; i >= 0; i--) {
      const next = (c.at[i] as number) + 1;
      if (next < (shape[i] as number)) {
        c.at[i] = next;
        break;
      }
      c.at[i] = 0;
    }
  }
  return Tensor.fromData(out, shape, 'int32');
}

/**
 * One-hot rows: for integer class indices of any shape, a float32 tensor with
 * one more axis of size `numClasses`, 1 at each index and 0 elsewhere.
 * `numClasses` defaults to the largest index + 1.
 */
export function oneHot(indices: Tensor | readonly number[], numClasses?: number): Tensor {
  const idx = toIndexTensor('oneHot', indices);
  const values = idx.storage.data as Int32Array;
  let classes = numClasses;
  if (classes === undefined) {
    classes = 0;
    for (const v of values) classes = Math.max(classes, v + 1);
  }
  if (typeof classes !== 'number' || !Number.isInteger(classes) || classes < 0) {
    throw new ArgumentError('oneHot', `numClasses must be a non-negative integer, got ${safeString(numClasses)}`);
  }
  checkRange('oneHot', values, classes, 'numClasses');
  checkShape('oneHot', [...idx._shape, classes]);
  const n = classes;
  return tracedWhole('oneHot', [idx], { numClasses: n }, () => {
    const out = allocate('float32', values.length * n);
    for (let i = 0; i < values.length; i++) out[i * n + (values[i] as number)] = 1;
    return Tensor.fromData(out, [...idx._shape, n], 'float32');
  });
}
