/**
 * The Tensor backward driver: walk the graph from the output in reverse
 * topological order (toposort.ts), give each node the sum of the gradients of
 * its consumers, run its rule, and pass the results on. Leaves accumulate into
 * `.grad`; `gradients()` returns the gradients of chosen tensors instead,
 * which is what the functional transforms (grad, vjp, ...) are built on.
 *
 * Everything that can be wrong (a freed graph, a saved tensor changed in
 * place) is checked before the first rule runs, and `.grad` fields are only
 * written after every rule has succeeded, so a failing backward changes
 * nothing.
 */
import { checkGradient as checkFinite, checkSeed, inBackwardPass } from './anomaly';
import { ArgumentError, DTypeError, GraphError, ShapeError, safeString } from './errors';
import { enableGrad, noGrad } from './grad-mode';
import type { Node } from './node';
import { arrayInputs, topologicalOrder } from './toposort';
import { formatShape, sameShape } from '../tensor/shape';
import { nextStorageId, type Storage } from '../tensor/storage';
import { recycle } from '../tensor/pool';
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../ops/define';
import { asTensor } from '../ops/define';
import { add } from '../ops/binary';
import { clone, copyOf } from '../ops/shape';
import { onesLike } from '../tensor/create';

/** Options of `backward`. */
export interface BackwardOptions {
  /** Keep saved tensors so backward can run through this graph again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, so the gradients can be differentiated again (default false). */
  createGraph?: boolean;
}

/** Options of {@link gradients}. */
export interface GradientsOptions extends BackwardOptions {
  /** The vector of the vector-Jacobian product; required when the output is not a scalar. */
  gradOutput?: TensorLike;
}

interface Pass {
  /** Nodes to visit, every node after its inputs. */
  order: Node[];
  /** With targets: the nodes whose gradient is wanted. */
  targets: ReadonlySet<Node> | null;
  /** With targets: the nodes from which a target can be reached (the others are skipped). */
  useful: ReadonlySet<Node> | null;
}

function plan(root: Node, targets: ReadonlySet<Node> | null): Pass {
  const order = topologicalOrder<Node>(root, arrayInputs((n) => n.inputs));
  if (targets === null) return { order, targets, useful: null };
  // NOTE: the walk does not stop at a target: another target may lie below it
  // (gradients(z, [y, x]) with y computed from x), as in torch.autograd.grad.
  const useful = new Set<Node>();
  for (const node of order) {
    if (targets.has(node) || node.inputs.some((e) => e !== null && useful.has(e))) useful.add(node);
  }
  return { order, targets, useful };
}

/** Whether the pass must run this node's rule (false for leaves and for nodes no target lies below). */
function runsRule(pass: Pass, node: Node): boolean {
  if (node.isLeaf) return false;
  if (pass.useful === null) return true;
  return node.inputs.some((e) => e !== null && pass.useful?.has(e) === true);
}

function validate(pass: Pass): void {
  for (const node of pass.order) {
    if (!runsRule(pass, node)) continue;
    if (node.freed) {
      throw new GraphError(
        node.name,
        'backward through a graph that was already freed: an earlier backward() released what this op saved. ' +
          'Pass { retainGraph: true } to the earlier backward() to run backward through the graph twice',
      );
    }
    const saved = node.saved ?? [];
    saved.forEach((t, i) => {
      const then = node.versions[i] as number;
      if (t.storage.version !== then) {
        throw new GraphError(
          node.name,
          `a tensor of shape ${formatShape(t.shape)} that this op saved for backward was changed in place ` +
            `(version ${then} when saved, ${t.storage.version} now), so its gradient would be wrong; ` +
            'clone() it before changing it, or change it after backward',
        );
      }
    });
  }
}

function checkGradient(node: Node, i: number, g: Tensor): void {
  const shape = node.inputShapes[i] ?? [];
  if (!sameShape(g.shape, shape)) {
    throw new GraphError(
      node.name,
      `backward returned a gradient of shape ${formatShape(g.shape)} for input ${i}, which has shape ${formatShape(shape)}`,
    );
  }
  if (g.dtype !== node.inputDTypes[i]) {
    throw new GraphError(node.name, `backward returned a ${g.dtype} gradient for input ${i}, which is ${node.inputDTypes[i]}`);
  }
  checkFinite(node.name, i, node.inputShapes, g, node.stack);
}

/**
 * Runs the rules from `root` (seeded with `seed`) and returns the total
 * gradient arriving at each leaf node (or at each target).
 */
function run(root: Node, seed: Tensor, pass: Pass, createGraph: boolean, retainGraph: boolean): Result {
  validate(pass);
  checkSeed(pass.targets === null ? 'backward' : 'gradients', seed);
  const pending = new Map<Node, Tensor>([[root, seed]]);
  const arrived = new Map<Node, Tensor>();
  const firstStorage = nextStorageId();
  const deliveries = new Map<Storage, number>();
  const accumulate = (map: Map<Node, Tensor>, node: Node, g: Tensor) => {
    const previous = map.get(node);
    map.set(node, previous === undefined ? g : add(previous, g));
  };
  const ran: Node[] = [];
  // After a rule has run, its incoming gradient is dead when this pass made
  // it, nobody else was handed it, and the rule did not pass it (or a view of
  // it) on: its memory can serve the next allocation.
  const dead = (g: Tensor, passedOn: readonly (Tensor | null)[]) =>
    g.storage.id >= firstStorage &&
    (deliveries.get(g.storage) ?? 0) <= 1 &&
    passedOn.every((t) => t === null || t === undefined || t.storage !== g.storage);
  const body = () => {
    for (let i = pass.order.length - 1; i >= 0; i--) {
      const node = pass.order[i] as Node;
      const g = pending.get(node);
      if (g === undefined) continue;
      pending.delete(node);
      const wanted = pass.targets === null ? node.isLeaf || node.retained !== null : pass.targets.has(node);
      if (wanted) accumulate(arrived, node, g);
      if (!runsRule(pass, node)) continue;
      const needs = node.inputs.map((e) => e !== null && (pass.useful === null || pass.useful.has(e)));
      const def = node.def;
      if (def === null) continue;
      const grads = def.backward(g, {
        saved: node.saved ?? [],
        params: node.params,
        needs,
        inputShapes: node.inputShapes,
        inputDTypes: node.inputDTypes,
      });
      ran.push(node);
      if (!createGraph && !wanted && !def.mayKeepGradient && dead(g, grads)) recycle(g.storage.data);
      node.inputs.forEach((edge, j) => {
        const gj = grads[j];
        if (edge === null || !needs[j] || gj === null || gj === undefined) return;
        checkGradient(node, j, gj);
        deliveries.set(gj.storage, (deliveries.get(gj.storage) ?? 0) + 1);
        accumulate(pending, edge, gj);
      });
    }
  };
  inBackwardPass(() => (createGraph ? enableGrad(body) : noGrad(body)));
  if (!retainGraph) {
    for (const node of ran) {
      node.saved = null;
      node.freed = true;
    }
  }
  // A gradient this pass allocated, laid out plainly and handed to exactly one
  // place, is referenced by nothing else: `.grad` may keep it without a copy.
  const owned = (g: Tensor) =>
    g.storage.id >= firstStorage &&
    deliveries.get(g.storage) === 1 &&
    g.offset === 0 &&
    g.storage.data.length === g.size &&
    g.isContiguous;
  return { arrived, owned };
}

interface Result {
  /** The total gradient reaching each leaf node (or target). */
  arrived: Map<Node, Tensor>;
  /** Whether a gradient in `arrived` can be kept without copying. */
  owned: (g: Tensor) => boolean;
}

/** Stores a gradient in `.grad`, adding to what is there. */
function store(t: Tensor, g: Tensor, createGraph: boolean, owned: boolean): void {
  if (createGraph) {
    // A fresh tensor either way: g may be a broadcast view, the caller's
    // gradOutput, or shared with another leaf, and optimizers update .grad in
    // place. clone keeps it differentiable.
    const previous = t.grad;
    t.grad = enableGrad(() => (previous === null ? clone(g) : add(previous, g)));
  } else if (t.grad === null || t.grad.requiresGrad || !sameShape(t.grad.shape, t.shape)) {
    // A gradient may alias another tensor (add passes g to both inputs, sum
    // passes a broadcast view): `.grad` gets its own copy, so optimizers can
    // update it in place.
    t.grad = owned ? g : copyOf(g.detach());
  } else {
    noGrad(() => t.grad?.addInPlace(g));
  }
}

function seedFor(op: string, root: Tensor, gradOutput: TensorLike | undefined): Tensor {
  if (gradOutput === undefined) {
    if (root.size !== 1) {
      throw new GraphError(
        op,
        `backward() needs a gradOutput for a tensor of shape ${formatShape(root.shape)}: only a scalar (one element) ` +
          'has an implicit gradient of 1. Reduce it first (e.g. .sum() or .mean()) or pass gradOutput',
      );
    }
    return onesLike(root);
  }
  const seed = asTensor(op, gradOutput, root.dtype, 'gradOutput');
  if (!sameShape(seed.shape, root.shape)) {
    throw new ShapeError(op, `gradOutput has shape ${formatShape(seed.shape)} but the output has shape ${formatShape(root.shape)}`);
  }
  return seed.dtype === root.dtype ? seed : seed.to(root.dtype);
}

function checkOptions(op: string, options: unknown): void {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(op, `options must be an object like { retainGraph: true }, got ${safeString(options)}`);
  }
}

function rootNode(op: string, root: Tensor): Node {
  if (!(root instanceof Tensor)) throw new ArgumentError(op, 'expected a Tensor output');
  const node = root._gradNode();
  if (node === null) {
    throw new GraphError(
      op,
      'this tensor does not require grad: no input of the ops that computed it requires grad, or it was computed under noGrad',
    );
  }
  return node;
}

/**
 * Adds d(root)/d(leaf) into `.grad` of every leaf that requires grad (and of
 * interior tensors that called retainGrad).
 */
export function backward(root: Tensor, gradOutput: TensorLike | undefined, options: BackwardOptions = {}): void {
  checkOptions('backward', options);
  const node = rootNode('backward', root);
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const seed = seedFor('backward', root, gradOutput);
  const { arrived, owned } = run(node, seed, plan(node, null), createGraph, retainGraph);
  for (const [n, g] of arrived) {
    const target = n.variable ?? n.retained;
    if (target !== null) store(target, g, createGraph, owned(g));
  }
}

/**
 * The gradients of `output` with respect to each of `inputs` (any tensors of
 * its graph, not only leaves), without touching any `.grad`; null for an
 * input the output does not depend on. The functional counterpart of
 * backward, as torch.autograd.grad.
 *
 * @example
 * const [dw, db] = gradients(loss, [w, b]);
 */
export function gradients(output: Tensor, inputs: readonly Tensor[], options: GradientsOptions = {}): (Tensor | null)[] {
  checkOptions('gradients', options);
  const node = rootNode('gradients', output);
  if (!Array.isArray(inputs)) throw new ArgumentError('gradients', 'inputs must be an array of tensors');
  const targets = new Map<Node, number[]>();
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError('gradients', `input ${i} is not a Tensor`);
    if (!t.requiresGrad) {
      throw new GraphError('gradients', `input ${i} does not require grad, so the output cannot depend on it through the graph`);
    }
    const target = t._gradNode() as Node;
    targets.set(target, [...(targets.get(target) ?? []), i]);
  });
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const seed = seedFor('gradients', output, options.gradOutput);
  const { arrived } = run(node, seed, plan(node, new Set(targets.keys())), createGraph, retainGraph);
  return inputs.map((t) => {
    const g = arrived.get(t._gradNode() as Node);
    if (g === undefined) return null;
    if (g.dtype !== t.dtype) throw new DTypeError('gradients', `internal: gradient dtype ${g.dtype} for a ${t.dtype} input`);
    return g;
  });
}
