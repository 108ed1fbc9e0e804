/**
 * An optimizer's state dict, as in PyTorch: the groups' options with their
 * parameters replaced by indices (counting through the groups in order), and
 * the per-parameter state (momentum buffers, moment estimates, step counts)
 * keyed by those indices. Saving copies every tensor, so a state dict is a
 * snapshot; loading checks everything before anything is applied.
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, noGrad } from '@chainrule/core';
import { describeValue, formatShape } from '@chainrule/core/internal';
import { copyValue, resolveOptions, type OptionRules } from './options';
import type { ParamGroup } from './param-groups';
import { checkGroupParams, type FloatArray } from './slots';

/** How one entry of the per-parameter state is kept: a tensor shaped like the parameter, or a count. */
export interface StateRule {
  readonly kind: 'tensor' | 'count';
  /** Whether every state of this optimizer has the entry (others are created when first needed). */
  readonly required: boolean;
}

/** One rule per entry of the per-parameter state S. */
export type StateTable<S> = { readonly [K in keyof S]-?: StateRule };

/** A group in a state dict: its options, and its parameters as indices. */
export type SavedGroup<O> = O & { params: number[]; initialLr?: number };

/** What `stateDict()` returns and `loadStateDict()` takes. */
export interface OptimizerStateDict<O, S> {
  /** Per-parameter state, keyed by the parameter's index (see `paramGroups[i].params`). */
  state: Record<number, S>;
  paramGroups: SavedGroup<O>[];
}

/** What an optimizer declares about itself, for checking options and state. */
export interface OptimizerSpec<O, S> extends OptionRules<O> {
  readonly name: string;
  readonly state: StateTable<S>;
}

function copyTensor(t: Tensor, dtype: Tensor['dtype']): Tensor {
  return noGrad(() => (t.dtype === dtype ? t.clone() : t.to(dtype)).detach());
}

/** A snapshot of the groups and the state. */
export function saveState<O extends object, S extends object>(
  spec: OptimizerSpec<O, S>,
  groups: readonly ParamGroup<O>[],
  state: ReadonlyMap<Tensor, S>,
): OptimizerStateDict<O, S> {
  let next = 0;
  const saved: OptimizerStateDict<O, S> = { state: {}, paramGroups: [] };
  for (const group of groups) {
    const options: Record<string, unknown> = {};
    for (const key of Object.keys(spec.options)) options[key] = copyValue((group as Record<string, unknown>)[key]);
    const indices: number[] = [];
    for (const p of group.params) {
      const s = state.get(p);
      if (s !== undefined) saved.state[next] = copyState(s, p.dtype);
      indices.push(next++);
    }
    const savedGroup = { ...options, params: indices } as SavedGroup<O>;
    if (group.initialLr !== undefined) savedGroup.initialLr = group.initialLr;
    saved.paramGroups.push(savedGroup);
  }
  return saved;
}

function copyState<S extends object>(s: S, dtype: Tensor['dtype']): S {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s)) out[key] = value instanceof Tensor ? copyTensor(value, dtype) : value;
  return out as S;
}

/** A state dict checked against the optimizer it is loaded into, ready to apply. */
export interface LoadedState<O, S> {
  readonly options: (O & { initialLr?: number })[];
  readonly state: Map<Tensor, S>;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Tensor);
}

/**
 * Checks `dict` against the current groups (same number of groups, same
 * sizes), the option table and the state table, and builds the new options
 * and state (tensors copied, cast to their parameter's dtype). Throws a typed
 * error naming the first problem; changes nothing either way.
 */
export function loadState<O extends object, S extends object>(
  spec: OptimizerSpec<O, S>,
  groups: readonly ParamGroup<O>[],
  dict: unknown,
): LoadedState<O, S> {
  const op = `${spec.name}.loadStateDict`;
  if (!isRecord(dict) || !isRecord(dict['state']) || !Array.isArray(dict['paramGroups'])) {
    throw new ArgumentError(op, 'expected a state dict { state, paramGroups } as returned by stateDict()');
  }
  // The groups' params are public: checked first, so that the load's commit (options and state) cannot meet a bad one.
  groups.forEach((group, g) => checkGroupParams(op, (group as { params: unknown }).params, g));
  const savedGroups = dict['paramGroups'] as unknown[];
  if (savedGroups.length !== groups.length) {
    throw new ArgumentError(
      op,
      `the state dict has ${savedGroups.length} parameter groups, this optimizer has ${groups.length}`,
    );
  }
  const byIndex = new Map<string, Tensor>();
  const options = savedGroups.map((saved, g) => loadGroup(op, spec, saved, groups[g] as ParamGroup<O>, g, byIndex));
  const state = new Map<Tensor, S>();
  for (const [key, value] of Object.entries(dict['state'] as Record<string, unknown>)) {
    const p = byIndex.get(key);
    if (p === undefined)
      throw new ArgumentError(
        op,
        `state[${key}] belongs to no parameter: the groups list indices ${[...byIndex.keys()].join(', ')}`,
      );
    state.set(p, loadEntry(op, spec.state, value, p, `state[${key}]`));
  }
  return { options, state };
}

function loadGroup<O extends object, S>(
  op: string,
  spec: OptimizerSpec<O, S>,
  saved: unknown,
  group: ParamGroup<O>,
  g: number,
  byIndex: Map<string, Tensor>,
): O & { initialLr?: number } {
  const where = `paramGroups[${g}]`;
  if (!isRecord(saved) || !Array.isArray(saved['params']))
    throw new ArgumentError(op, `${where} must be an object with a params array of indices`);
  const { params, initialLr, ...rest } = saved as { params: unknown[]; initialLr?: unknown };
  if (params.length !== group.params.length) {
    throw new ArgumentError(
      op,
      `${where} has ${params.length} parameters, but group ${g} of this optimizer has ${group.params.length}`,
    );
  }
  params.forEach((id, i) => {
    if (!Number.isInteger(id) || (id as number) < 0 || byIndex.has(String(id))) {
      throw new ArgumentError(
        op,
        `${where}.params[${i}] is ${describeValue(id)}; parameter indices must be distinct integers ≥ 0`,
      );
    }
    byIndex.set(String(id), group.params[i] as Tensor);
  });
  // Options missing from an older state dict take the table's defaults, as
  // PyTorch's optimizers fill in options added after a checkpoint was saved.
  const options: O & { initialLr?: number } = resolveOptions(op, spec, rest, {}, ` (${where})`);
  if (initialLr !== undefined) {
    if (typeof initialLr !== 'number' || !Number.isFinite(initialLr) || initialLr < 0) {
      throw new ArgumentError(op, `${where}.initialLr must be a finite number ≥ 0, got ${describeValue(initialLr)}`);
    }
    options.initialLr = initialLr;
  }
  return options;
}

function loadEntry<S>(op: string, table: StateTable<S>, value: unknown, p: Tensor, where: string): S {
  if (!isRecord(value)) throw new ArgumentError(op, `${where} must be an object, got ${describeValue(value)}`);
  const rules = table as Record<string, StateRule>;
  const out: Record<string, Tensor | number> = {};
  for (const [key, rule] of Object.entries(rules)) {
    if (rule.required && value[key] === undefined) throw new ArgumentError(op, `${where} lacks '${key}'`);
  }
  for (const [key, v] of Object.entries(value)) {
    const rule = rules[key];
    if (rule === undefined)
      throw new ArgumentError(
        op,
        `${where} has '${key}', which is not part of this optimizer's state (${Object.keys(rules).join(', ')})`,
      );
    if (v === undefined) continue;
    out[key] = rule.kind === 'count' ? loadCount(op, v, `${where}.${key}`) : loadTensor(op, v, p, `${where}.${key}`);
  }
  return out as S;
}

function loadCount(op: string, v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new ArgumentError(op, `${where} must be an integer ≥ 0, got ${describeValue(v)}`);
  return v;
}

function loadTensor(op: string, v: unknown, p: Tensor, where: string): Tensor {
  if (!(v instanceof Tensor)) throw new ArgumentError(op, `${where} must be a Tensor, got ${describeValue(v)}`);
  if (v.shape.length !== p.shape.length || v.shape.some((d, k) => d !== p.shape[k])) {
    throw new ShapeError(
      op,
      `${where} has shape ${formatShape(v.shape)}, but its parameter has shape ${formatShape(p.shape)}`,
    );
  }
  if (v.dtype !== 'float32' && v.dtype !== 'float64')
    throw new DTypeError(op, `${where} is ${v.dtype}; state tensors are float32 or float64`);
  const copy = copyTensor(v, p.dtype);
  // NOTE: ±Infinity is accepted: a step with finite gradients can overflow a
  // second moment (g² above 3.4e38 in float32), and the dict saved after it
  // must load again. NaN is refused: no step from finite gradients makes it
  // while the parameters are finite, and it would poison every later update.
  const values = copy.buffer as FloatArray;
  for (let k = 0; k < copy.size; k++) {
    if (Number.isNaN(values[k]))
      throw new ArgumentError(op, `${where} holds NaN at element ${k}; state must not be NaN`);
  }
  return copy;
}
