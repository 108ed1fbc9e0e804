/**
 * Parameter groups, as in PyTorch: an optimizer takes either tensors (one
 * group with the constructor's options) or a list of `{ params, ...options }`
 * groups, each option falling back to the constructor's value.
 */
import { ArgumentError, DTypeError, GraphError, Tensor } from '@chainrule/core';
import { notWritable } from '@chainrule/core/internal';

/**
 * A parameter group as an optimizer holds it: its tensors and its options.
 * Both are public and may be changed between steps (e.g. `group.lr = 0.01`);
 * `step()` checks the options again before it changes anything.
 */
export type ParamGroup<O> = O & {
  params: Tensor[];
  /** The lr that schedulers start from, set by the first one attached (PyTorch's `initial_lr`). */
  initialLr?: number;
};

/** A group as written by users: its tensors, and the options in which it differs from the defaults. */
export type ParamGroupSpec<O> = { params: Iterable<Tensor> } & Partial<O>;

/** What an optimizer's constructor takes: tensors, or groups of tensors with their own options. */
export type Params<O> = Iterable<Tensor> | Iterable<ParamGroupSpec<O>>;

/** One group as given: its tensors and its own options, before checking. */
export interface RawGroup {
  readonly params: Tensor[];
  readonly options: object;
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return (
    x !== null && typeof x === 'object' && typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

function describeParams(x: unknown): string {
  if (x instanceof Tensor) return 'a single Tensor (wrap it in an array: [w])';
  if (x === null || x === undefined) return String(x);
  return typeof x === 'object' ? 'an object that is not iterable' : typeof x;
}

/** Checks one tensor that is to be optimized. */
export function checkParam(op: string, t: unknown, where: string): Tensor {
  if (!(t instanceof Tensor)) {
    throw new ArgumentError(op, `${where} is ${t === null ? 'null' : typeof t}, expected a Tensor`);
  }
  if (t.dtype !== 'float32' && t.dtype !== 'float64') {
    throw new DTypeError(op, `${where} is ${t.dtype}; only float32 and float64 tensors can be optimized`);
  }
  // Refused here, not when the step writes it: the step would have updated
  // the parameters before it by then.
  const problem = notWritable(t);
  if (problem !== null) throw new ArgumentError(op, `${where} ${problem.reason}`);
  if (!t.isLeaf) {
    throw new GraphError(
      op,
      `${where} was computed by '${t.gradFn?.name ?? 'an op'}', so it is not a leaf and its value is not its own to change; ` +
        'optimize the leaf tensors it was computed from (or a detach()ed copy)',
    );
  }
  return t;
}

function tensorList(op: string, x: unknown, where: string): Tensor[] {
  if (!isIterable(x)) throw new ArgumentError(op, `${where} must be an iterable of tensors, got ${describeParams(x)}`);
  return [...x].map((t, i) => checkParam(op, t, `${where}[${i}]`));
}

/**
 * Splits the constructor's `params` into groups, checking every tensor.
 * Options are returned as given; the optimizer checks them against its table.
 */
export function splitGroups(op: string, params: unknown): RawGroup[] {
  if (!isIterable(params)) {
    throw new ArgumentError(
      op,
      `params must be an iterable of tensors or an array of { params, ...options } groups, got ${describeParams(params)}`,
    );
  }
  const items = [...params];
  if (items.length === 0) throw new ArgumentError(op, 'got an empty parameter list; pass the tensors to optimize');
  if (items.every((x) => x instanceof Tensor)) return [{ params: tensorList(op, items, 'params'), options: {} }];
  return items.map((item, i) => rawGroup(op, item, `params[${i}]`));
}

/** Checks one `{ params, ...options }` group. */
export function rawGroup(op: string, item: unknown, where: string): RawGroup {
  if (item === null || typeof item !== 'object' || item instanceof Tensor || !('params' in item)) {
    throw new ArgumentError(
      op,
      `${where} is ${item instanceof Tensor ? 'a Tensor' : describeParams(item)}, but params must be all tensors or all { params, ...options } groups`,
    );
  }
  const { params, ...options } = item as { params: unknown };
  return { params: tensorList(op, params, `${where}.params`), options };
}

/** Throws if a tensor appears twice, within a group or across groups. */
export function checkDistinct(op: string, groups: readonly { readonly params: readonly Tensor[] }[]): void {
  const seen = new Map<Tensor, string>();
  groups.forEach((group, g) =>
    group.params.forEach((p, i) => {
      const first = seen.get(p);
      if (first !== undefined) {
        throw new ArgumentError(
          op,
          `the same tensor is param ${i} of group ${g} and ${first}; each parameter may appear only once`,
        );
      }
      seen.set(p, `param ${i} of group ${g}`);
    }),
  );
}
