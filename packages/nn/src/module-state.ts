/**
 * Where a module's state lives. Two ways in, one picture out:
 *
 * - found: properties holding a Module (children) or a `parameter(...)`
 *   tensor (parameters), or arrays of them, named by property path
 *   (`layers.0.weight`) — the textbook way of writing a layer;
 * - registered: `registerParameter`, `registerBuffer` and `registerModule`
 *   put state under a name of the caller's choosing, so a layer can keep
 *   PyTorch's names (`running_mean`, `weight_ih_l0`, `in_proj_weight`)
 *   whatever its JavaScript properties are called.
 *
 * A property that holds something registered is not found a second time, so
 * `readonly runningMean = this.registerBuffer('running_mean', zeros([n]))`
 * appears once, as `running_mean`. Registered state is kept in a WeakMap
 * rather than on the module so that it never shows up among the properties
 * the finder walks.
 */
import { ArgumentError, type Tensor } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';
import { isParameter } from './parameter';

/** What a module holds by name; `null` keeps a name with nothing in it (PyTorch's `bias=None`). */
export interface Registered<M> {
  parameters: Map<string, Tensor | null>;
  buffers: Map<string, Tensor | null>;
  modules: Map<string, M | null>;
  /** Buffers left out of the state dict (`{ persistent: false }`). */
  transient: Set<string>;
}

const registries = new WeakMap<object, Registered<object>>();

export function registry<M extends object>(module: M): Registered<M> {
  let found = registries.get(module);
  if (found === undefined) {
    found = { parameters: new Map(), buffers: new Map(), modules: new Map(), transient: new Set() };
    registries.set(module, found);
  }
  return found as Registered<M>;
}

export type StateKind = 'parameter' | 'buffer' | 'module';

/**
 * Checks a name given to a register method: a non-empty string without a
 * dot (the dot separates path parts), not already taken by state of another
 * kind. Re-registering the same kind replaces, as in PyTorch.
 */
export function checkStateName(op: string, module: object, name: unknown, kind: StateKind): string {
  if (typeof name !== 'string' || name === '') {
    throw new ArgumentError(op, `the name must be a non-empty string, got ${describeValue(name)}`);
  }
  if (name.includes('.')) {
    throw new ArgumentError(op, `the name '${name}' contains '.', which separates the parts of a state path`);
  }
  const r = registry(module);
  const taken: [StateKind, boolean][] = [
    ['parameter', r.parameters.has(name)],
    ['buffer', r.buffers.has(name)],
    ['module', r.modules.has(name)],
  ];
  for (const [other, has] of taken) {
    if (has && other !== kind) throw new ArgumentError(op, `'${name}' is already registered as a ${other}`);
  }
  return name;
}

/** One module's own state: found and registered, registered names winning a clash. */
export interface OwnState<M> {
  parameters: [string, Tensor][];
  /** Non-null buffers with whether they are saved. */
  buffers: [string, Tensor, boolean][];
  children: [string, M][];
}

export function ownState<M extends object>(module: M, isModule: (x: unknown) => x is M): OwnState<M> {
  const r = registry(module);
  const registeredValues = new Set<unknown>();
  for (const map of [r.parameters, r.buffers, r.modules]) for (const v of map.values()) registeredValues.add(v);
  const registeredNames = new Set([...r.parameters.keys(), ...r.buffers.keys(), ...r.modules.keys()]);

  const parameters: [string, Tensor][] = [];
  const children: [string, M][] = [];
  const take = (name: string, value: unknown): void => {
    if (registeredValues.has(value) || registeredNames.has(name)) return;
    if (isModule(value)) children.push([name, value]);
    else if (isParameter(value)) parameters.push([name, value]);
  };
  for (const [name, value] of Object.entries(module)) {
    if (Array.isArray(value)) value.forEach((item: unknown, i) => take(`${name}.${i}`, item));
    else take(name, value);
  }
  for (const [name, p] of r.parameters) if (p !== null) parameters.push([name, p]);
  for (const [name, m] of r.modules) if (m !== null) children.push([name, m]);
  const buffers: [string, Tensor, boolean][] = [];
  for (const [name, b] of r.buffers) if (b !== null) buffers.push([name, b, !r.transient.has(name)]);
  return { parameters, buffers, children };
}

export function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}
