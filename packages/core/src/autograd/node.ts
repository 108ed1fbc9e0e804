/**
 * A node of the Tensor graph, in the spirit of PyTorch's grad_fn: one per op
 * application, holding what its backward rule needs and, per input, the node
 * that input's gradient is passed to. Leaves that require grad get a node too
 * (created on first use) whose job is to accumulate into the leaf's `.grad`.
 *
 * A node holds no references to the intermediate tensors themselves, only to
 * what its rule saved (released after backward) and to the next nodes, so a
 * finished graph costs little memory even while its root is still referenced.
 */
import type { DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import type { OpDef } from '../ops/define';
import { formatStack } from './anomaly';

let nextId = 0;

export class Node {
  /** Creation order: a node's inputs always have smaller ids. */
  readonly id = ++nextId;
  /** Scratch field of the topological walk. */
  mark = 0;
  /** Released by backward (without retainGraph): running backward again is an error. */
  freed = false;
  /** The tensor that asked for `retainGrad()`, if any. */
  retained: Tensor | null = null;
  /** Where the op was called (anomaly mode only), captured but not yet formatted. */
  creation: Error | undefined = undefined;

  constructor(
    /** The op's name, e.g. `'matmul'`; `'leaf'` for a leaf's accumulator. */
    readonly name: string,
    /** Per input: the node its gradient goes to, or null when no gradient is needed. */
    readonly inputs: readonly (Node | null)[],
    /** Per input: its shape and dtype, which its gradient must have. */
    readonly inputShapes: readonly Shape[],
    readonly inputDTypes: readonly DType[],
    /** The output's shape and dtype. */
    readonly shape: Shape,
    readonly dtype: DType,
    /** The op (null for a leaf's node). */
    readonly def: OpDef<unknown, readonly Tensor[]> | null,
    readonly params: unknown,
    /** What backward reads; null after release. */
    public saved: readonly Tensor[] | null,
    /** The storage versions of `saved` when they were saved. */
    readonly versions: readonly number[],
    /** For a leaf's node: the leaf. */
    readonly variable: Tensor | null,
  ) {}

  /** Where the op was called, from the caller's first frame (recorded in anomaly mode only). */
  get stack(): string | undefined {
    return formatStack(this.creation);
  }

  /** True when this node accumulates into a leaf instead of running a rule. */
  get isLeaf(): boolean {
    return this.def === null;
  }
}

/** The accumulator node of a leaf tensor that requires grad. */
export function leafNode(variable: Tensor): Node {
  return new Node('leaf', [], [], [], variable.shape, variable.dtype, null, undefined, null, [], variable);
}
