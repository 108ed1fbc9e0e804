/**
 * `backward()` and `gradients()` for tensors: how the backward driver
 * (autograd/driver.ts) reads the Tensor graph, and what happens around a pass.
 *
 * A pass (`TensorPass`) keeps each node's gradient in a map while the
 * driver runs, checks every gradient a rule returns (its shape must be its
 * input's; its dtype is cast to the input's; in anomaly mode it must be
 * finite), and hands gradients out only after every rule has succeeded:
 * `.grad` is written, all or nothing, once the pass is over.
 *
 * Memory recycling follows one ownership rule (docs/architecture.md): an
 * array goes back to the pool only if this pass allocated it inside the
 * engine's own rules, it reached exactly one node, that node's rule did not
 * pass it on, and nobody outside can reach it — never a gradient that a
 * custom op's backward was given or made, never one handed out as `.grad`,
 * a retained gradient or a result of `gradients()`. (A `.grad` may come back
 * later, through zeroGrad's `releaseGrad`, if no one has read it: tensor.ts.)
 */
import { checkGradient as checkFinite, checkSeed } from './anomaly-checks';
import { inBackwardPass } from '../autograd/anomaly';
import { plantedFaults } from '../autograd/planted-faults';
import { inRule, isTracing } from '../ops/trace';
import { runBackward, type BackwardGraph } from '../autograd/driver';
import { ArgumentError, GraphError, ShapeError, safeString } from '../errors';
import { enableGrad, noGrad } from '../autograd/grad-mode';
import { arrayInputs, topologicalOrder } from '../autograd/toposort';
import { checkOptionKeys, optionalBoolean } from '../internal/options';
import { asTensor, type TensorLike } from '../ops/define';
import { add } from '../ops/binary';
import { clone, copyOf } from '../ops/shape';
import { onesLike } from './create';
import { isFloat } from './dtype';
import type { Node } from './node';
import { recycle } from './pool';
import { formatShape, sameShape, type Shape } from './shape';
import { nextStorageId, type Storage } from './storage';
import { adoptGrad, peekGrad, Tensor } from './tensor';

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

/** One backward pass over a Tensor graph. */
class TensorPass implements BackwardGraph<Node, Tensor> {
  /** The gradient each node has received so far (a node's entry goes once its rule has run). */
  readonly grads = new Map<Node, Tensor>();
  /** Storages made by this pass have ids from here on. */
  private readonly firstStorage = nextStorageId();
  /** How many nodes each storage made by this pass was delivered to. */
  private readonly deliveries = new Map<Storage, number>();
  /** The nodes whose rules ran, in order. */
  private readonly done: Node[] = [];
  /** Ids of storages made while user code ran (custom backward rules): [from, to) ranges. */
  private readonly userMade: number[] = [];

  constructor(
    /** Whether the pass records a graph of its own (then nothing is recycled). */
    readonly createGraph: boolean,
    /** With gradients(): the nodes whose gradients are wanted. */
    private readonly targets: ReadonlySet<Node> | null,
    /** With gradients(): the nodes a target lies behind (the others are skipped). */
    private readonly useful: ReadonlySet<Node> | null,
  ) {}

  inputCount(node: Node): number {
    return node.inputs.length;
  }

  input(node: Node, i: number): Node | null {
    const edge = node.inputs[i] ?? null;
    return edge === null || this.useful === null || this.useful.has(edge) ? edge : null;
  }

  hasRule(node: Node): boolean {
    if (node.def === null) return false;
    return this.useful === null || node.inputs.some((e) => e !== null && this.useful?.has(e) === true);
  }

  check(node: Node): void {
    if (node.freed) {
      throw new GraphError(
        node.name,
        'backward through a graph that was already freed: an earlier backward() released what this op saved. ' +
          'Pass { retainGraph: true } to the earlier backward() to run backward through the graph twice',
      );
    }
    (node.saved ?? []).forEach((t, i) => {
      const then = node.versions[i] as number;
      if (t.storage.version !== then) {
        throw new GraphError(
          node.name,
          `a tensor of shape ${formatShape(t._shape)} that this op saved for backward was changed in place ` +
            `(version ${then} when saved, ${t.storage.version} now), so its gradient would be wrong; ` +
            'clone() it before changing it, or change it after backward',
        );
      }
    });
  }

  rule(node: Node, g: Tensor, out: (Tensor | null)[]): void {
    const def = node.def;
    if (def === null) return;
    const needs = node.inputs.map((_, i) => this.input(node, i) !== null);
    const before = nextStorageId();
    const context = { saved: node.saved ?? [], params: node.params, needs, inputShapes: node.inputShapes };
    // Tracing (findDivergence) wants to know which node's rule each gradient op belongs to; a closure per rule costs nothing only when it is not made.
    const grads = isTracing() ? inRule(node, () => def.backward(g, context)) : def.backward(g, context);
    if (def.userCode === true) this.userMade.push(before, nextStorageId());
    for (let i = 0; i < needs.length; i++) out[i] = needs[i] ? (grads[i] ?? null) : null;
    if (!this.handedOut(node)) {
      this.grads.delete(node);
      if (def.userCode !== true && this.dead(g, out)) recycle(g.storage.data);
    }
  }

  accept(node: Node, i: number, g: Tensor): Tensor {
    const shape = node.inputShapes[i] as Shape;
    if (!sameShape(g._shape, shape)) {
      throw new GraphError(
        node.name,
        `backward returned a gradient of shape ${formatShape(g._shape)} for input ${i}, which has shape ${formatShape(shape)}`,
      );
    }
    const dtype = node.inputDTypes[i] as Tensor['dtype'];
    let fit = g.dtype === dtype ? g : g.to(dtype);
    // A gradient that carries a graph (a custom rule computed it from tensors
    // that require grad) is only a number here unless the pass records.
    if (!this.createGraph && fit.requiresGrad) fit = fit.detach();
    checkFinite(node.name, i, node.inputShapes, fit, node.stack);
    this.deliveries.set(fit.storage, (this.deliveries.get(fit.storage) ?? 0) + 1);
    return fit;
  }

  gradient(node: Node): Tensor | undefined {
    return this.grads.get(node);
  }

  setGradient(node: Node, g: Tensor): void {
    this.grads.set(node, g);
  }

  add(a: Tensor, b: Tensor): Tensor {
    return plantedFaults.dropSharedGradient ? b : add(a, b);
  }

  ran(node: Node): void {
    this.done.push(node);
  }

  abort(): void {}

  /** After a pass that succeeded without retainGraph: lets go of what the nodes that ran saved. */
  release(): void {
    for (const node of this.done) {
      node.saved = null;
      node.freed = true;
    }
  }

  /** Whether `node`'s gradient leaves the pass: a leaf's, a retained one, a target's. */
  private handedOut(node: Node): boolean {
    return this.targets === null ? node.isLeaf || node.retained !== null : this.targets.has(node);
  }

  /** Whether nobody can read `s` after the pass but this pass: made by the engine's rules, during it. */
  private engineOwned(s: Storage): boolean {
    if (this.createGraph || s.id < this.firstStorage) return false;
    for (let k = 0; k < this.userMade.length; k += 2) {
      if (s.id >= (this.userMade[k] as number) && s.id < (this.userMade[k + 1] as number)) return false;
    }
    return true;
  }

  /** After a rule ran: its incoming gradient is dead when the engine owns it, it reached one node, and it was not passed on. */
  private dead(g: Tensor, passedOn: readonly (Tensor | null)[]): boolean {
    return (
      this.engineOwned(g.storage) &&
      (this.deliveries.get(g.storage) ?? 0) <= 1 &&
      passedOn.every((t) => t === null || t === undefined || t.storage !== g.storage)
    );
  }

  /** Whether a gradient handed out can be kept without a copy: the engine owns it, and it lies plainly in one array that went to one place. */
  owned(g: Tensor): boolean {
    return (
      this.engineOwned(g.storage) &&
      this.deliveries.get(g.storage) === 1 &&
      g.offset === 0 &&
      g.storage.data.length === g.size &&
      g.isContiguous
    );
  }
}

/** The nodes from which a target can be reached, for a pass that wants only the targets' gradients. */
function usefulNodes(root: Node, targets: ReadonlySet<Node>): Set<Node> {
  // NOTE: the walk does not stop at a target: another target may lie below it
  // (gradients(z, [y, x]) with y computed from x), as in torch.autograd.grad.
  const useful = new Set<Node>();
  for (const node of topologicalOrder<Node>(
    root,
    arrayInputs((n) => n.inputs),
  )) {
    if (targets.has(node) || node.inputs.some((e) => e !== null && useful.has(e))) useful.add(node);
  }
  return useful;
}

function run(pass: TensorPass, root: Node, seed: Tensor, retainGraph: boolean, op: string): void {
  checkSeed(op, seed);
  const body = () => runBackward(pass, root, seed);
  inBackwardPass(() => (pass.createGraph ? enableGrad(body) : noGrad(body)));
  if (!retainGraph) pass.release();
}

/** Why `.grad` of `t` cannot take a gradient, or null when it can. */
function gradProblem(t: Tensor): string | null {
  const g: unknown = peekGrad(t);
  if (g === null) return null;
  if (!(g instanceof Tensor)) return `it holds ${safeString(g)}, not a Tensor`;
  if (!isFloat(g.dtype) || g.dtype !== t.dtype) return `it is ${g.dtype}, but the tensor is ${t.dtype}`;
  if (!sameShape(g._shape, t._shape))
    return `it has shape ${formatShape(g._shape)}, but the tensor has shape ${formatShape(t._shape)}`;
  if (g.size > 0 && g._shape.some((d, i) => d > 1 && g._strides[i] === 0)) {
    return 'it is an expanded view whose elements share memory, so a gradient cannot be added into it';
  }
  return null;
}

/** Adds a gradient into `.grad`, as PyTorch accumulates. */
function store(t: Tensor, g: Tensor, createGraph: boolean, owned: boolean): void {
  const previous = peekGrad(t);
  if (createGraph) {
    // A fresh tensor either way: g may be a broadcast view, the caller's
    // gradOutput, or shared with another leaf, and optimizers update .grad in
    // place. clone keeps it differentiable.
    t.grad = enableGrad(() => (previous === null ? clone(g) : add(previous, g)));
  } else if (previous === null) {
    // A gradient may alias another tensor (add passes g to both inputs, sum
    // passes a broadcast view): `.grad` gets its own copy unless the pass owns it.
    // Either way no one else holds that array, so zeroGrad may recycle it,
    // unless a tracer has recorded the tensors the rules made.
    const own = owned ? g : copyOf(g);
    if (isTracing()) t.grad = own;
    else adoptGrad(t, own);
  } else {
    // In place, also into a .grad that carries a graph (PyTorch does the same
    // when the later pass does not record).
    noGrad(() => previous.addInPlace(g));
  }
}

function seedFor(op: string, root: Tensor, gradOutput: TensorLike | undefined): Tensor {
  if (gradOutput === undefined) {
    if (root.size !== 1) {
      throw new GraphError(
        op,
        `backward() needs a gradOutput for a tensor of shape ${formatShape(root._shape)}: only a scalar (one element) ` +
          'has an implicit gradient of 1. Reduce it first (e.g. .sum() or .mean()) or pass gradOutput',
      );
    }
    return onesLike(root);
  }
  const seed = asTensor(op, gradOutput, root.dtype, 'gradOutput');
  if (!sameShape(seed._shape, root._shape)) {
    throw new ShapeError(
      op,
      `gradOutput has shape ${formatShape(seed._shape)} but the output has shape ${formatShape(root._shape)}`,
    );
  }
  return seed.dtype === root.dtype ? seed : seed.to(root.dtype);
}

/** The keys each pass's options object takes. */
const passOptions = {
  backward: ['retainGraph', 'createGraph'],
  gradients: ['retainGraph', 'createGraph', 'gradOutput'],
} as const;

function checkOptions(op: keyof typeof passOptions, options: unknown): asserts options is GradientsOptions {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(op, `options must be an object like { retainGraph: true }, got ${safeString(options)}`);
  }
  checkOptionKeys(op, options, passOptions[op]);
  const { retainGraph, createGraph } = options as GradientsOptions;
  optionalBoolean(op, 'retainGraph', retainGraph);
  optionalBoolean(op, 'createGraph', createGraph);
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
 * interior tensors that called retainGrad). All or nothing: if any rule, or
 * any `.grad` that cannot take the gradient, makes it fail, no `.grad` has
 * changed.
 */
export function backward(root: Tensor, gradOutput: TensorLike | undefined, options: BackwardOptions = {}): void {
  checkOptions('backward', options);
  const node = rootNode('backward', root);
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const seed = seedFor('backward', root, gradOutput);
  const pass = new TensorPass(createGraph, null, null);
  run(pass, node, seed, retainGraph, 'backward');
  const writes: [Tensor, Tensor][] = [];
  for (const [n, g] of pass.grads) {
    const target = n.variable ?? n.retained;
    if (target !== null) writes.push([target, g]);
  }
  for (const [t] of writes) {
    const problem = gradProblem(t);
    if (problem !== null) {
      const name = t.label === undefined ? `a tensor of shape ${formatShape(t._shape)}` : `'${t.label}'`;
      throw new GraphError(
        'backward',
        `cannot add the gradient into .grad of ${name}: ${problem}; set .grad = null to start afresh`,
      );
    }
  }
  for (const [t, g] of writes) store(t, g, createGraph, pass.owned(g));
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
export function gradients(
  output: Tensor,
  inputs: readonly Tensor[],
  options: GradientsOptions = {},
): (Tensor | null)[] {
  checkOptions('gradients', options);
  const node = rootNode('gradients', output);
  if (!Array.isArray(inputs)) throw new ArgumentError('gradients', 'inputs must be an array of tensors');
  const targets = new Set<Node>();
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new ArgumentError('gradients', `input ${i} is not a Tensor`);
    if (!t.requiresGrad) {
      throw new GraphError(
        'gradients',
        `input ${i} does not require grad, so the output cannot depend on it through the graph`,
      );
    }
    targets.add(t._gradNode() as Node);
  });
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const seed = seedFor('gradients', output, options.gradOutput);
  const pass = new TensorPass(createGraph, targets, usefulNodes(node, targets));
  run(pass, node, seed, retainGraph, 'gradients');
  return inputs.map((t) => pass.grads.get(t._gradNode() as Node) ?? null);
}
