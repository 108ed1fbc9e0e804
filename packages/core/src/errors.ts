/**
 * Every error a caller can cause is a `ChainruleError`; the subclasses say what
 * kind of mistake it was, so programs can catch them by type. Messages start
 * with the op's name and say what would have been accepted.
 */

/** Base class of every error chainrule throws on purpose. */
export class ChainruleError extends Error {
  /** The op or function that refused its input, e.g. `'matmul'`. */
  readonly op: string;

  constructor(op: string, message: string, options?: ErrorOptions) {
    super(`${op}: ${message}`, options);
    this.op = op;
    this.name = new.target.name;
  }
}

/** Shapes that do not fit together: broadcasting, matmul, reshape, axes. */
export class ShapeError extends ChainruleError {}

/** A dtype the op does not accept, or two dtypes it will not mix. */
export class DTypeError extends ChainruleError {}

/**
 * Misuse of the graph: a second backward through a freed graph, an in-place
 * change to a tensor that backward still needs, backward on a non-scalar
 * without a gradient, and so on.
 */
export class GraphError extends ChainruleError {}

/** An argument of the wrong type or with a value outside what the op accepts. */
export class ArgumentError extends ChainruleError {}

/** An index outside the dimension it indexes. */
export class IndexError extends ChainruleError {}

/**
 * A matrix the linear-algebra op cannot factor: a singular matrix given to
 * `linalg.inv`, `linalg.solve` or a negative `linalg.matrixPower`, a matrix
 * that is not positive-definite given to `linalg.cholesky`. PyTorch raises
 * `torch.linalg.LinAlgError` in the same places; catch this class where a
 * program would catch that one.
 *
 * @example
 * try {
 *   linalg.inv(tensor([[1, 2], [2, 4]]));
 * } catch (e) {
 *   if (e instanceof LinAlgError) useThePseudoInverse();
 * }
 */
export class LinAlgError extends ChainruleError {}

/**
 * A caller's argument as error messages show it. Never throws: `String()` of
 * a symbol works but `${symbol}` does not, and objects without a prototype
 * (or with a throwing toString) cannot be converted at all.
 */
export function safeString(x: unknown): string {
  try {
    return String(x);
  } catch {
    const name =
      typeof x === 'object' && x !== null ? (x as { constructor?: { name?: unknown } }).constructor?.name : undefined;
    return typeof name === 'string' ? `a ${name}` : `an ${typeof x}`;
  }
}

/** `JSON.stringify` for messages, falling back to {@link safeString} (bigints, cycles). */
export function safeJson(x: unknown): string {
  try {
    return JSON.stringify(x) ?? safeString(x);
  } catch {
    return safeString(x);
  }
}
