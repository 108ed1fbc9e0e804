/**
 * Broadcasting made explicit: broadcastTo, broadcastTensors and meshgrid.
 * Every result is an expanded view (stride 0 along the broadcast axes), and
 * its gradient is summed back by expand's backward.
 */
import { ArgumentError, DTypeError, ShapeError, safeJson } from '../errors';
import { describeValue } from '../internal/describe';
import { optionsObject, type OptionKeys } from '../internal/options';
import { broadcastShapes, checkShape, checkSize, formatShape, maxRank } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { asTensor, describeOperand, type TensorLike } from './define';
import { expand, reshape } from './shape';
import { splitAxis } from './shape-toolbox';

/**
 * x broadcast to `shape` as a view, by NumPy's rules: x's axes line up with
 * the last ones of `shape`, and only size-1 axes stretch. -1 keeps an axis
 * of x as it is (not allowed for the new leading axes). PyTorch's
 * `broadcast_to`; the elements of the view alias each other, so do not
 * write through it.
 *
 * @example
 * broadcastTo(tensor([1, 2, 3]), [2, 3]); // [[1, 2, 3], [1, 2, 3]]
 */
export function broadcastTo(x: TensorLike, shape: readonly number[]): Tensor {
  const t = asTensor('broadcastTo', x);
  if (!Array.isArray(shape)) {
    throw new ArgumentError('broadcastTo', `the shape must be an array of integers, got ${describeValue(shape)}`);
  }
  if (shape.length < t.ndim) {
    throw new ShapeError(
      'broadcastTo',
      `cannot broadcast ${formatShape(t._shape)} to ${safeJson(shape)}: the target needs at least ${t.ndim} dimensions`,
    );
  }
  const lead = shape.length - t.ndim;
  const target = checkShape(
    'broadcastTo',
    shape.map((d, i) => (d === -1 && i >= lead ? (t._shape[i - lead] as number) : d)),
  );
  target.forEach((d, i) => {
    const own = i >= lead ? (t._shape[i - lead] as number) : 1;
    if (own !== 1 && own !== d) {
      throw new ShapeError(
        'broadcastTo',
        `cannot broadcast ${formatShape(t._shape)} to ${formatShape(shape)}: dimension ${i} is ${own}, and only a size-1 dimension can become ${d}`,
      );
    }
  });
  return expand(t, target);
}

/**
 * The tensors broadcast against each other, each as a view of the common
 * shape (NumPy's rules). PyTorch's `broadcast_tensors`.
 *
 * @example
 * const [a, b] = broadcastTensors(zeros([3, 1]), zeros([4])); // both [3, 4]
 */
export function broadcastTensors(...tensors: Tensor[]): Tensor[] {
  const list = tensors.map((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new ArgumentError('broadcastTensors', `argument ${i} must be a Tensor, got ${describeOperand(t)}`);
    }
    return t;
  });
  const shape = list.reduce<number[]>((s, t) => broadcastShapes('broadcastTensors', s, t._shape), []);
  return list.map((t) => expand(t, shape));
}

/** Options of {@link meshgrid}. */
export interface MeshgridOptions {
  /**
   * 'ij' (the default): output axis i runs along input i (matrix indexing).
   * 'xy': the first two output axes are swapped (Cartesian indexing, as
   * NumPy's default and plotting libraries expect).
   *
   * NOTE: 'ij' is PyTorch's default (which warns that it wants it given);
   * NumPy's is 'xy'.
   */
  indexing?: 'ij' | 'xy';
}

const meshgridKeys = { indexing: true } as const satisfies OptionKeys<MeshgridOptions>;

/** meshgrid's arguments: the tensors, and the options when the last argument is a plain object. */
function meshgridArguments(args: readonly unknown[]): { tensors: Tensor[]; indexing: 'ij' | 'xy' } {
  const last = args[args.length - 1];
  const hasOptions =
    args.length > 0 && !(last instanceof Tensor) && typeof last === 'object' && last !== null && !Array.isArray(last);
  const options = optionsObject('meshgrid', hasOptions ? (last as MeshgridOptions) : undefined, meshgridKeys);
  const indexing = options.indexing ?? 'ij';
  if (indexing !== 'ij' && indexing !== 'xy') {
    throw new ArgumentError('meshgrid', `option 'indexing' must be 'ij' or 'xy', got ${describeValue(indexing)}`);
  }
  const given = hasOptions ? args.slice(0, -1) : args;
  const tensors = given.map((t, i) => {
    if (!(t instanceof Tensor)) {
      throw new ArgumentError('meshgrid', `argument ${i} must be a 0-d or 1-D Tensor, got ${describeOperand(t)}`);
    }
    return t;
  });
  return { tensors, indexing };
}

/**
 * Coordinate grids from 1-D (or 0-d, counted as length 1) tensors: with
 * inputs of lengths n0, n1, ..., every output has shape [n0, n1, ...] and
 * output i repeats input i along axis i. With `{ indexing: 'xy' }` the
 * first two axes are swapped ([n1, n0, ...]). All inputs share one dtype.
 * Each output is an expanded view. PyTorch's `meshgrid`.
 *
 * @example
 * const [ys, xs] = meshgrid(arange(2), arange(3)); // both [2, 3]: ys[i][j] = i, xs[i][j] = j
 * const [gx, gy] = meshgrid(arange(3), arange(2), { indexing: 'xy' }); // both [2, 3]
 */
export function meshgrid(...tensors: Tensor[]): Tensor[];
export function meshgrid(...args: [...Tensor[], MeshgridOptions]): Tensor[];
export function meshgrid(...args: unknown[]): Tensor[] {
  const { tensors, indexing } = meshgridArguments(args);
  if (tensors.length === 0) throw new ArgumentError('meshgrid', 'expected at least one tensor');
  if (tensors.length > maxRank) {
    throw new ShapeError(
      'meshgrid',
      `${tensors.length} tensors make grids of rank ${tensors.length}, above the maximum rank ${maxRank}`,
    );
  }
  const first = tensors[0] as Tensor;
  tensors.forEach((t, i) => {
    if (t.ndim > 1)
      throw new ShapeError('meshgrid', `tensor ${i} has shape ${formatShape(t._shape)}; expected 0-d or 1-D tensors`);
    if (t.dtype !== first.dtype) {
      throw new DTypeError(
        'meshgrid',
        `tensor ${i} is ${t.dtype} and tensor 0 ${first.dtype}; all must have one dtype (convert with .to())`,
      );
    }
  });
  // Input i runs along output axis i; 'xy' swaps the first two.
  const place = tensors.map((_, i) => (indexing === 'xy' && tensors.length > 1 && i < 2 ? 1 - i : i));
  const sizes = tensors.map((t) => t.size);
  const shape = place.map((_, axis) => sizes[place.indexOf(axis)] as number);
  checkSize('meshgrid', shape);
  return tensors.map((t, i) => {
    const ones = new Array<number>(shape.length).fill(1);
    ones[place[i] as number] = t.size;
    const lined = t.ndim === 0 ? reshape(t, ones) : splitAxis(t, 0, ones);
    return expand(lined, shape);
  });
}
