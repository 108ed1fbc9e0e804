/**
 * A node of the Tensor graph, in the spirit of PyTorch's grad_fn: one per op
 * application, holding what its backward rule needs and, per input, the node
 * that input's gradient is passed to. Leaves that require grad get a node too
 * (created on first use) whose job is to receive the leaf's gradient.
 *
 * A node holds no references to the intermediate tensors themselves, only to
 * what its rule saved (released after backward) and to the next nodes, so a
 * finished graph costs little memory even while its root is still referenced.
 */
import { formatStack } from '../autograd/anomaly';
import type { WalkNode } from '../autograd/driver';
import type { AnyOpDef, Inputs } from '../ops/define';
import type { DType } from './dtype';
import type { Shape } from './shape';
import type { Tensor } from './tensor';

/** What an op node is made from. */
export interface OpNodeParts {
  readonly def: AnyOpDef;
  /** The op's inputs: their nodes, shapes and dtypes are kept, not the tensors. */
  readonly inputs: Inputs;
  readonly params: unknown;
  /** What forward saved for backward. */
  readonly saved: Inputs;
  readonly output: Tensor;
}

/**
 * One node of the Tensor graph (a tensor's `gradFn`): the op that made the
 * tensor, the nodes its inputs' gradients go to, and what its backward rule
 * saved. Read it to walk or draw a graph; the engine builds it.
 */
export class Node implements WalkNode {
  /** The op's name, e.g. `'matmul'`; `'leaf'` for a leaf's node. */
  readonly name: string;
  /** Per input: the node its gradient goes to, or null when no gradient is needed. */
  readonly inputs: readonly (Node | null)[];
  /** Per input: its shape and dtype, which its gradient must have. */
  readonly inputShapes: readonly Shape[];
  readonly inputDTypes: readonly DType[];
  /** The output's shape (drawings show it). */
  readonly shape: Shape;
  /** The op (null for a leaf's node). */
  readonly def: AnyOpDef | null;
  readonly params: unknown;
  /** What backward reads; null once released. */
  saved: Inputs | null;
  /** The storage versions of `saved` when they were saved. */
  readonly versions: readonly number[];
  /** For a leaf's node: the leaf. */
  readonly variable: Tensor | null;
  /** The tensor that asked for `retainGrad()`, if any. */
  retained: Tensor | null = null;
  /** Released by backward (without retainGraph): running backward again is an error. */
  freed = false;
  /** Where the op was called (anomaly mode only), captured but not yet formatted. */
  creation: Error | undefined = undefined;
  /** The walks' scratch (toposort.ts, driver.ts). */
  mark = 0;
  pending = 0;

  /** An op's node, or with a Tensor alone, a leaf's. */
  constructor(parts: OpNodeParts | Tensor) {
    if ('def' in parts) {
      const { def, inputs, params, saved, output } = parts;
      this.name = def.name;
      this.inputs = inputs.map((t) => t._gradNode());
      this.inputShapes = inputs.map((t) => t._shape);
      this.inputDTypes = inputs.map((t) => t.dtype);
      this.shape = output._shape;
      this.def = def;
      this.params = params;
      this.saved = saved;
      this.versions = saved.map((t) => t.storage.version);
      this.variable = null;
    } else {
      this.name = 'leaf';
      this.inputs = this.inputShapes = this.inputDTypes = this.versions = [];
      this.shape = parts._shape;
      this.def = null;
      this.params = undefined;
      this.saved = null;
      this.variable = parts;
    }
  }

  /** Where the op was called, from the caller's first frame (recorded in anomaly mode only). */
  get stack(): string | undefined {
    return formatStack(this.creation);
  }

  /** True when this node receives a leaf's gradient instead of running a rule. */
  get isLeaf(): boolean {
    return this.def === null;
  }
}
