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
