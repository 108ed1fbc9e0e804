/**
 * Initializers with structure rather than independent draws (PyTorch's
 * `zeros_`, `ones_`, `eye_`, `dirac_` and `orthogonal_`): the identity map of
 * a linear or convolutional layer, and orthogonal weights. Like the others
 * they fill a float tensor in place, outside the graph, and return it.
 *
 * `zeros`, `ones` and `eye` share their names with core's creation functions,
 * so the package exports them only in the `init` namespace
 * (`init.eye(weight)`); their messages name them `init.zeros` and so on.
 */
import { ArgumentError, ShapeError, Tensor, defaultGenerator, linalg, noGrad, tensor, where } from '@chainrule/core';
import { describeValue, formatShape, optionsObject, valueOr } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { checkTarget, finite, writeValues, type RandomInitOptions } from './fill';

/**
 * Fills `t` with 0 (PyTorch's `zeros_`).
 *
 * @example
 * init.zeros(layer.bias);
 */
export function zeros(t: Tensor): Tensor {
  const target = checkTarget('init.zeros', t);
  noGrad(() => target.fill(0));
  return target;
}

/** Fills `t` with 1 (PyTorch's `ones_`). */
export function ones(t: Tensor): Tensor {
  const target = checkTarget('init.ones', t);
  noGrad(() => target.fill(1));
  return target;
}

/**
 * Fills the matrix `t` with the identity: 1 on the main diagonal, 0 elsewhere
 * (PyTorch's `eye_`; `t` may be rectangular). A Linear layer with this
 * weight passes its first min(in, out) inputs through unchanged.
 *
 * @example
 * init.eye(zeros([2, 3])); // [[1, 0, 0], [0, 1, 0]]
 */
export function eye(t: Tensor): Tensor {
  const op = 'init.eye';
  const target = checkTarget(op, t);
  if (target.ndim !== 2)
    throw new ShapeError(op, `fills a matrix [rows, cols] only, got shape ${formatShape(target.shape)}`);
  const [rows, cols] = target.shape as [number, number];
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) values[i * cols + i] = 1;
  return writeValues(target, values);
}

/** Options of {@link dirac}. */
export interface DiracOptions {
  /** Split the output channels into this many groups, each an identity of its own (default 1). */
  groups?: number;
}

/**
 * Fills the convolution weight `t` ([out, in, k...], rank 3 to 5) with the
 * Dirac delta (PyTorch's `dirac_`): output channel d of each of the `groups`
 * groups copies input channel d, through a 1 at the kernel's centre
 * (index ⌊k/2⌋ on each spatial axis), for d < min(out / groups, in). A
 * convolution with this weight and "same" padding returns its input (its
 * first channels, when out and in differ).
 *
 * @example
 * const w = dirac(zeros([3, 3, 3]));                // conv1d weight
 * conv1d(x, w, { padding: 1 });                      // equals x for 3 channels
 * dirac(zeros([4, 2, 3]), { groups: 2 });            // two identities of 2 channels
 */
export function dirac(t: Tensor, options: DiracOptions = {}): Tensor {
  const op = 'dirac';
  const target = checkTarget(op, t);
  const o = optionsObject(op, options, { groups: true });
  const groups: unknown = valueOr<unknown>(o.groups, 1);
  if (!Number.isSafeInteger(groups) || (groups as number) < 1)
    throw new ArgumentError(op, `groups must be a positive integer, got ${describeValue(groups)}`);
  const shape = target.shape;
  if (shape.length < 3 || shape.length > 5) {
    throw new ShapeError(
      op,
      `fills a convolution weight of rank 3, 4 or 5 ([out, in, k...] for conv1d, conv2d or conv3d), got shape ${formatShape(shape)}`,
    );
  }
  const out = shape[0] as number;
  const g = groups as number;
  if (out % g !== 0)
    throw new ArgumentError(op, `the ${out} output channels (shape[0]) do not split into ${g} groups evenly`);
  const perGroup = out / g;
  const inputs = shape[1] as number;
  const kernel = shape.slice(2);
  const kernelSize = kernel.reduce((n, d) => n * d, 1);
  // The row-major offset of the kernel's centre inside one [k...] block.
  const centre = kernel.reduce((offset, d) => offset * d + Math.floor(d / 2), 0);
  const values = new Float64Array(target.size);
  for (let group = 0; group < g; group++) {
    for (let d = 0; d < Math.min(perGroup, inputs); d++) {
      values[((group * perGroup + d) * inputs + d) * kernelSize + centre] = 1;
    }
  }
  return writeValues(target, values);
}

/** Options of {@link orthogonal}. */
export interface OrthogonalOptions extends RandomInitOptions {
  /** Scale of the result (default 1). */
  gain?: number;
}

/**
 * Fills `t` (rank ≥ 2, seen as a matrix [shape[0], rest]) with a random
 * (semi-)orthogonal matrix times `gain` (Saxe et al. 2013; PyTorch's
 * `orthogonal_`): the Q of the QR decomposition of a standard normal matrix,
 * with each column's sign chosen so that R has a positive diagonal, which
 * makes Q uniformly distributed over the orthogonal matrices (Haar). A tall
 * result has orthonormal columns (WᵀW = gain²·I), a wide one orthonormal
 * rows (WWᵀ = gain²·I).
 *
 * @example
 * const w = orthogonal(zeros([64, 64], { dtype: 'float64' }), { gain: calculateGain('relu') });
 */
export function orthogonal(t: Tensor, options: OrthogonalOptions = {}): Tensor {
  const op = 'orthogonal';
  const target = checkTarget(op, t);
  const o = optionsObject(op, options, { gain: true, generator: true });
  // NOTE: any finite gain, negative included (−Q is orthogonal too), as PyTorch accepts.
  const gain = finite(op, 'gain', valueOr(o.gain, 1));
  const generator = checkGenerator(op, o.generator) ?? defaultGenerator;
  if (target.ndim < 2)
    throw new ShapeError(op, `needs a tensor of rank 2 or more, got shape ${formatShape(target.shape)}`);
  // NOTE: nothing to fill in an empty tensor, and nothing drawn (PyTorch warns and returns it).
  if (target.size === 0) return target;
  const rows = target.shape[0] as number;
  const cols = target.size / rows;
  const values = new Float64Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = generator.normal();
  noGrad(() => {
    const a = tensor(values, { shape: [rows, cols], dtype: 'float64' });
    // QR of the tall orientation, so that Q has min(rows, cols) orthonormal columns.
    const { Q, R } = linalg.qr(rows < cols ? a.transpose(0, 1) : a);
    // NOTE: PyTorch multiplies by sign(diag(R)), which would zero a column
    // where R's diagonal is exactly 0; that needs a singular normal draw
    // (probability 0), and taking +1 there keeps Q orthogonal anyway.
    const signs = where(R.diagonal().ge(0), 1, -1);
    const q = Q.mul(signs);
    const w = (rows < cols ? q.transpose(0, 1) : q).mul(gain);
    target.copyFrom(w.reshape(target.shape));
  });
  return target;
}
