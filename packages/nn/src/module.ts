/**
 * Module: the base class of layers and models. A module's state is found by
 * looking at its own properties: properties holding a Module (or an array of
 * Modules) are its children, properties holding a `parameter(...)` tensor (or
 * an array of them) are its parameters. Names are dotted paths of property
 * names and array indices, as in PyTorch: `layers.0.weight`.
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, noGrad } from '@chainrule/core';
import { isParameter } from './parameter';
import { booleanOption, describeValue, notWritable, optionsObject, sameShape } from '@chainrule/core/internal';
import { formatModule } from './summary';

/** Parameter tensors by dotted name, in module order. */
export type StateDict = Record<string, Tensor>;

export interface LoadStateDictOptions {
  /** Require the names to match exactly (default true). With false, missing and extra names are reported, not thrown. */
  strict?: boolean;
}

/** The names that did not match, as PyTorch's `load_state_dict` reports them. */
export interface LoadStateDictResult {
  /** Parameters of the module that the dict did not hold (left unchanged). */
  missingKeys: string[];
  /** Names in the dict that the module has no parameter for (ignored). */
  unexpectedKeys: string[];
}

/**
 * Base class of every layer and model. Subclasses create their parameters
 * with `parameter(...)` and their sublayers as properties, and implement
 * `forward`; everything else (listing, train/eval, saving) is found
 * automatically.
 *
 * @example
 * class TwoLayer extends Module {
 *   readonly hidden = new Dense(2, 4);
 *   readonly output = new Dense(4, 1);
 *   forward(x: Tensor) { return this.output.forward(this.hidden.forward(x)); }
 * }
 * new TwoLayer().namedParameters().map(([name]) => name);
 * // ['hidden.weight', 'hidden.bias', 'output.weight', 'output.bias']
 */
export abstract class Module {
  /** True in training mode (the default), false after `eval()`; Dropout reads it. */
  training = true;

  /** Computes the module's output for input `x`. */
  abstract forward(x: Tensor): Tensor;

  /** Direct sublayers with their property names (array elements as `name.i`). */
  namedChildren(): [string, Module][] {
    return ownState(this).children;
  }

  /** Direct sublayers. */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module (named '') and every module below it, each once, parents first. */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (prefix: string, module: Module): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([prefix, module]);
      for (const [name, child] of module.namedChildren()) visit(join(prefix, name), child);
    };
    visit('', this);
    return out;
  }

  /** This module and every module below it. */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * Every parameter with its dotted name; a parameter shared by two layers is
   * listed once. With `{ recurse: false }`, only this module's own.
   */
  namedParameters(options: { recurse?: boolean } = {}): [string, Tensor][] {
    const op = 'namedParameters';
    const recurse = booleanOption(op, 'recurse', optionsObject(op, options, { recurse: true }).recurse, true);
    const all = recurse ? allParameters(this) : ownState(this).parameters;
    const seen = new Set<Tensor>();
    return all.filter(([, p]) => (seen.has(p) ? false : (seen.add(p), true)));
  }

  /** Every parameter, each once: what an optimizer is given. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** The number of scalars in all parameters. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode on this module and all below it (Dropout is active only in training). */
  train(mode = true): this {
    if (typeof mode !== 'boolean')
      throw new ArgumentError('train', `mode must be a boolean, got ${describeValue(mode)}`);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Sets evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Clears every parameter's gradient (sets `.grad` to null, as PyTorch does by default). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * The parameters by dotted name, as tensors sharing the parameters' memory
   * (cut from the graph). A parameter shared by two layers appears under both
   * names, as in PyTorch.
   */
  stateDict(): StateDict {
    const dict: StateDict = {};
    for (const [name, p] of allParameters(this)) defineEntry(dict, name, p.detach());
    return dict;
  }

  /**
   * Copies the values of `dict` into the parameters of the same names
   * (converting between float dtypes). Every name, type and shape is checked
   * before the first value is copied: a load that throws changes nothing.
   *
   * @throws ArgumentError when strict and names are missing or unexpected, or a value is not a Tensor
   * @throws ShapeError when a tensor's shape differs from its parameter's
   * @throws DTypeError for a bool tensor
   */
  loadStateDict(dict: StateDict, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const op = 'loadStateDict';
    if (dict === null || typeof dict !== 'object' || Array.isArray(dict) || dict instanceof Tensor) {
      throw new ArgumentError(
        op,
        `expected an object of tensors by name (as stateDict() returns), got ${describeValue(dict)}`,
      );
    }
    const strict = booleanOption(op, 'strict', optionsObject(op, options, { strict: true }).strict, true);
    const own = allParameters(this);
    const { pairs, missingKeys, unexpectedKeys, shapeProblems } = planLoad(op, own, dict);
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts = [];
      if (missingKeys.length > 0) parts.push(`missing keys ${list(missingKeys)}`);
      if (unexpectedKeys.length > 0) parts.push(`unexpected keys ${list(unexpectedKeys)}`);
      throw new ArgumentError(
        op,
        `the state dict does not match the module: ${parts.join('; ')} (expected ${list(own.map(([name]) => name))}; pass { strict: false } to load the matching names only)`,
      );
    }
    if (shapeProblems.length > 0) throw new ShapeError(op, `shapes differ: ${shapeProblems.join('; ')}`);
    // parameter() refuses such tensors; checked again here so that the copies below cannot throw half-way.
    for (const [name, p] of own) {
      const problem = notWritable(p);
      if (problem !== null)
        throw new ArgumentError(op, `the parameter '${name}' ${problem.reason}; nothing was loaded`);
    }
    // A value that shares memory with a parameter (a dict from this very
    // module, with names swapped or a view of another parameter) is copied
    // first: otherwise an earlier copy would change what a later one reads.
    const storages = new Set(own.map(([, p]) => p.storage));
    noGrad(() => {
      const sources = pairs.map(([, value]) => (storages.has(value.storage) ? value.clone() : value));
      pairs.forEach(([p], i) => p.copyFrom(sources[i] as Tensor));
    });
    return { missingKeys, unexpectedKeys };
  }

  /** This module's own settings, shown in `toString()` (e.g. `in=2, out=4, sigmoid`). Override in layers. */
  extraRepr(): string {
    return '';
  }

  /** A tree of the layers with their settings, parameter shapes and parameter counts. */
  toString(): string {
    return formatModule(this);
  }
}

/** The module's own parameters and children, found from its properties. */
function ownState(module: Module): { parameters: [string, Tensor][]; children: [string, Module][] } {
  const parameters: [string, Tensor][] = [];
  const children: [string, Module][] = [];
  const take = (name: string, value: unknown): void => {
    if (value instanceof Module) children.push([name, value]);
    else if (isParameter(value)) parameters.push([name, value]);
  };
  for (const [name, value] of Object.entries(module)) {
    if (Array.isArray(value)) value.forEach((item: unknown, i) => take(`${name}.${i}`, item));
    else take(name, value);
  }
  return { parameters, children };
}

/** Matches a state dict against the module's parameters, checking each value's type; copies nothing. */
function planLoad(op: string, own: [string, Tensor][], dict: StateDict) {
  const ownNames = new Set(own.map(([name]) => name));
  const missingKeys = own.map(([name]) => name).filter((name) => !Object.hasOwn(dict, name));
  const unexpectedKeys = Object.keys(dict).filter((name) => !ownNames.has(name));
  const pairs: [Tensor, Tensor][] = [];
  const shapeProblems: string[] = [];
  for (const [name, p] of own) {
    if (!Object.hasOwn(dict, name)) continue;
    const value: unknown = dict[name];
    if (!(value instanceof Tensor))
      throw new ArgumentError(op, `'${name}' must be a Tensor, got ${describeValue(value)}`);
    if (value.dtype === 'bool') {
      throw new DTypeError(op, `'${name}' is a bool tensor; parameters take float32, float64 or int32 values`);
    }
    if (!sameShape(value.shape, p.shape)) {
      shapeProblems.push(`'${name}' has shape [${value.shape.join(',')}], the parameter has [${p.shape.join(',')}]`);
    }
    pairs.push([p, value]);
  }
  return { pairs, missingKeys, unexpectedKeys, shapeProblems };
}

/** Every (name, parameter) pair, shared tensors under each of their names. */
function allParameters(module: Module): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  for (const [prefix, m] of module.namedModules()) {
    for (const [name, p] of ownState(m).parameters) out.push([join(prefix, name), p]);
  }
  return out;
}

function join(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}.${name}`;
}

/** Adds an own property even for names like `__proto__` that assignment would not create. */
export function defineEntry(dict: StateDict, name: string, value: Tensor): void {
  Object.defineProperty(dict, name, { value, enumerable: true, writable: true, configurable: true });
}

function list(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((n) => `'${n}'`);
  if (names.length > 20) shown.push(`... ${names.length - 20} more`);
  return `[${shown.join(', ')}]`;
}
