/**
 * Module: the base class of layers and models. A module's state is found by
 * looking at its own properties: properties holding a Module (or an array of
 * Modules) are its children, properties holding a `parameter(...)` tensor (or
 * an array of them) are its parameters. Names are dotted paths of property
 * names and array indices, as in PyTorch: `layers.0.weight`. State can also
 * be registered under a chosen name (`registerParameter`, `registerBuffer`,
 * `registerModule`), which is how layers keep PyTorch's state-dict names.
 */
import { ArgumentError, DTypeError, ShapeError, Tensor, noGrad } from '@chainrule/core';
import { isParameter } from './parameter';
import {
  booleanOption,
  describeValue,
  notWritable,
  optionsObject,
  releaseGrad,
  sameShape,
} from '@chainrule/core/internal';
import { formatModule } from './summary';
import { withState } from './functional-call';
import { checkStateName, join, ownState, registry } from './module-state';
import { addPostHook, addPreHook, type ForwardHook, type ForwardPreHook, type HookHandle } from './hooks';

/** Parameter and buffer tensors by dotted name, in module order. */
export type StateDict = Record<string, Tensor>;

/** Options of `Module.loadStateDict`. */
export interface LoadStateDictOptions {
  /** Require the names to match exactly (default true). With false, missing and extra names are reported, not thrown. */
  strict?: boolean;
}

/** The names that did not match, as PyTorch's `load_state_dict` reports them. */
export interface LoadStateDictResult {
  /** Parameters and saved buffers of the module that the dict did not hold (left unchanged). */
  missingKeys: string[];
  /** Names in the dict that the module has no parameter or saved buffer for (ignored). */
  unexpectedKeys: string[];
}

/** Options of `Module.registerBuffer`. */
export interface RegisterBufferOptions {
  /** Saved in `stateDict()` and read by `loadStateDict` (default true); false for derived state such as a cached mask. */
  persistent?: boolean;
}

/**
 * Any module, whatever its inputs and output: the type of children and of
 * containers. (`never` inputs make every module's `forward` fit.)
 */
export type AnyModule = Module<never, unknown>;

/**
 * Base class of every layer and model. Subclasses create their parameters
 * with `parameter(...)` and their sublayers as properties, and implement
 * `forward`; everything else (listing, train/eval, saving) is found
 * automatically. `In` is the tuple of `forward`'s arguments and `Out` its
 * result: a plain layer is a `Module` (one tensor in, one out); an LSTM is a
 * `Module<[Tensor, LSTMState?], LSTMOutput>`.
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
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** True in training mode (the default), false after `eval()`; Dropout and BatchNorm read it. */
  training = true;

  /** Computes the module's output. */
  abstract forward(...inputs: In): Out;

  /**
   * Adds a parameter under `name` (PyTorch's `register_parameter`): it is
   * listed by `parameters()` and saved by `stateDict()` under that name,
   * whatever property (if any) holds it. `null` reserves the name with no
   * parameter (a layer built with `bias: false`). Returns the tensor, so a
   * field can hold it: `readonly weightIh = this.registerParameter('weight_ih_l0', w)`.
   *
   * @throws ArgumentError for a bad name, a name taken by a buffer or module, or a tensor not marked by `parameter()`
   */
  registerParameter<T extends Tensor | null>(name: string, value: T): T {
    const op = 'registerParameter';
    checkStateName(op, this, name, 'parameter');
    if (value !== null && !isParameter(value)) {
      throw new ArgumentError(
        op,
        `'${name}' must be a tensor marked by parameter(...) or null, got ${describeValue(value)}`,
      );
    }
    registry(this).parameters.set(name, value);
    return value;
  }

  /**
   * Adds a buffer under `name` (PyTorch's `register_buffer`): state that is
   * not trained — running statistics, step counters — but is saved by
   * `stateDict()` (unless `persistent: false`) and loaded by `loadStateDict`.
   * Layers update buffers in place, so the tensor a caller holds stays the
   * layer's. `null` reserves the name. Returns the tensor.
   *
   * @example
   * class Counter extends Module {
   *   readonly count = this.registerBuffer('count', zeros([], { dtype: 'int32' }));
   *   forward(x: Tensor) { noGrad(() => this.count.copyFrom(this.count.add(1))); return x; }
   * }
   * @throws ArgumentError for a bad name, a name taken by a parameter or module, or a value that is not a Tensor or null
   */
  registerBuffer<T extends Tensor | null>(name: string, value: T, options: RegisterBufferOptions = {}): T {
    const op = 'registerBuffer';
    checkStateName(op, this, name, 'buffer');
    const persistent = booleanOption(
      op,
      'persistent',
      optionsObject(op, options, { persistent: true }).persistent,
      true,
    );
    if (value !== null && !(value instanceof Tensor)) {
      throw new ArgumentError(op, `'${name}' must be a Tensor or null, got ${describeValue(value)}`);
    }
    const r = registry(this);
    r.buffers.set(name, value);
    if (persistent) r.transient.delete(name);
    else r.transient.add(name);
    return value;
  }

  /**
   * Adds a child module under `name` (PyTorch's `add_module`/`register_module`).
   * Returns the module.
   *
   * @throws ArgumentError for a bad name, a name taken by a parameter or buffer, or a value that is not a Module or null
   */
  registerModule<M extends AnyModule | null>(name: string, module: M): M {
    const op = 'registerModule';
    checkStateName(op, this, name, 'module');
    if (module !== null && !(module instanceof Module)) {
      throw new ArgumentError(op, `'${name}' must be a Module or null, got ${describeValue(module)}`);
    }
    registry<AnyModule>(this).modules.set(name, module);
    return module;
  }

  /** Direct sublayers with their names (array elements as `name.i`). */
  namedChildren(): [string, AnyModule][] {
    return ownState<AnyModule>(this, isModule).children;
  }

  /** Direct sublayers. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module (named '') and every module below it, each once, parents first. */
  namedModules(): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const visit = (prefix: string, module: AnyModule): void => {
      if (seen.has(module)) return;
      seen.add(module);
      out.push([prefix, module]);
      for (const [name, child] of module.namedChildren()) visit(join(prefix, name), child);
    };
    visit('', this as AnyModule);
    return out;
  }

  /** This module and every module below it. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * The module at a dotted path of child names (PyTorch's `get_submodule`);
   * '' is this module.
   *
   * @throws ArgumentError naming the first part of the path that is not a child
   */
  getSubmodule(path: string): AnyModule {
    const op = 'getSubmodule';
    if (typeof path !== 'string') throw new ArgumentError(op, `the path must be a string, got ${describeValue(path)}`);
    let current = this as AnyModule;
    if (path === '') return current;
    const walked: string[] = [];
    for (const part of path.split('.')) {
      const next = current.namedChildren().find(([name]) => name === part);
      if (next === undefined) {
        const here = walked.length === 0 ? 'the module' : `'${walked.join('.')}'`;
        const names = current.namedChildren().map(([n]) => `'${n}'`);
        throw new ArgumentError(
          op,
          `${here} (${current.constructor.name}) has no child '${part}'; its children are [${names.join(', ')}]`,
        );
      }
      walked.push(part);
      current = next[1];
    }
    return current;
  }

  /**
   * Every parameter with its dotted name; a parameter shared by two layers is
   * listed once. With `{ recurse: false }`, only this module's own.
   */
  namedParameters(options: { recurse?: boolean } = {}): [string, Tensor][] {
    const op = 'namedParameters';
    const recurse = booleanOption(op, 'recurse', optionsObject(op, options, { recurse: true }).recurse, true);
    const all = recurse ? allState(this, 'parameters') : ownState<AnyModule>(this, isModule).parameters;
    return onceEach(all);
  }

  /** Every parameter, each once: what an optimizer is given. */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Every buffer (saved or not) with its dotted name, each once. With
   * `{ recurse: false }`, only this module's own.
   */
  namedBuffers(options: { recurse?: boolean } = {}): [string, Tensor][] {
    const op = 'namedBuffers';
    const recurse = booleanOption(op, 'recurse', optionsObject(op, options, { recurse: true }).recurse, true);
    const own = (m: AnyModule) => ownState<AnyModule>(m, isModule).buffers.map(([n, b]): [string, Tensor] => [n, b]);
    const all = recurse
      ? this.namedModules().flatMap(([prefix, m]) => own(m).map(([n, b]): [string, Tensor] => [join(prefix, n), b]))
      : own(this as AnyModule);
    return onceEach(all);
  }

  /** Every buffer, each once. */
  buffers(): Tensor[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  /** The number of scalars in all parameters. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** Sets training mode on this module and all below it (Dropout and BatchNorm behave differently in training). */
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

  /**
   * Freezes (`false`) or unfreezes (`true`, the default) every parameter
   * below this module, as PyTorch's `requires_grad_`. A frozen parameter gets
   * no gradient, and optimizers skip parameters without one.
   *
   * @example
   * model.getSubmodule('features').requiresGrad(false); // fine-tune the head only
   */
  requiresGrad(flag = true): this {
    if (typeof flag !== 'boolean')
      throw new ArgumentError('requiresGrad', `flag must be a boolean, got ${describeValue(flag)}`);
    for (const p of this.parameters()) p.requiresGrad = flag;
    return this;
  }

  /**
   * Calls `fn` on every module below this one and then on this one, children
   * before parents, as PyTorch's `apply` (used for custom initialization).
   * Returns this module.
   *
   * @example
   * model.apply((m) => { if (m instanceof Linear) init.zeros(m.bias); });
   */
  apply(fn: (module: AnyModule) => void): this {
    if (typeof fn !== 'function') throw new ArgumentError('apply', `expected a function, got ${describeValue(fn)}`);
    const seen = new Set<AnyModule>();
    const visit = (module: AnyModule): void => {
      if (seen.has(module)) return;
      seen.add(module);
      for (const child of module.children()) visit(child);
      fn(module);
    };
    visit(this as AnyModule);
    return this;
  }

  /**
   * Registers `hook(module, inputs)` to run before every `forward` of this
   * module; returning an array replaces the inputs. Returns a handle whose
   * `remove()` unregisters it.
   */
  registerForwardPreHook(hook: ForwardPreHook<AnyModule>): HookHandle {
    if (typeof hook !== 'function')
      throw new ArgumentError('registerForwardPreHook', `expected a function, got ${describeValue(hook)}`);
    return addPreHook(this, hook as ForwardPreHook<unknown>);
  }

  /**
   * Registers `hook(module, inputs, output)` to run after every `forward` of
   * this module; returning a value replaces the output (e.g. to record
   * activations for a picture, or to clip them). Returns a handle whose
   * `remove()` unregisters it.
   *
   * @example
   * const seen: Tensor[] = [];
   * const handle = model.getSubmodule('0').registerForwardHook((_m, _in, out) => { seen.push(out as Tensor); return undefined; });
   * model.forward(x);
   * handle.remove();
   */
  registerForwardHook(hook: ForwardHook<AnyModule>): HookHandle {
    if (typeof hook !== 'function')
      throw new ArgumentError('registerForwardHook', `expected a function, got ${describeValue(hook)}`);
    return addPostHook(this, hook as ForwardHook<unknown>);
  }

  /** Clears every parameter's gradient (sets `.grad` to null, as PyTorch does by default). */
  zeroGrad(): void {
    // releaseGrad: p.grad = null, and the array back to core's pool when no one has read it (issue 20).
    for (const p of this.parameters()) releaseGrad(p);
  }

  /**
   * The parameters and saved buffers by dotted name (each module's
   * parameters, then its buffers, then its children's, as PyTorch orders
   * them), as tensors sharing their memory (cut from the graph). A tensor
   * shared by two layers appears under both names, as in PyTorch.
   */
  stateDict(): StateDict {
    const dict: StateDict = {};
    for (const [name, p] of allState(this, 'saved')) defineEntry(dict, name, p.detach());
    return dict;
  }

  /**
   * Copies the values of `dict` into the parameters and saved buffers of the
   * same names (converting between dtypes, as PyTorch's `copy_`). Every
   * name, type and shape is checked before the first value is copied: a load
   * that throws changes nothing.
   *
   * @throws ArgumentError when strict and names are missing or unexpected, or a value is not a Tensor
   * @throws ShapeError when a tensor's shape differs from its parameter's
   * @throws DTypeError for a bool tensor into a non-bool parameter or buffer
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
    const own = allState(this, 'saved');
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
    // parameter() refuses such tensors; checked again here so that the copies
    // below cannot throw half-way. Buffers may be of any dtype (a step count
    // is int32, a mask bool); only an expanded view cannot take a copy.
    for (const [name, p] of own) {
      const problem = notWritable(p);
      if (problem !== null && (problem.kind !== 'dtype' || isParameter(p)))
        throw new ArgumentError(op, `'${name}' ${problem.reason}; nothing was loaded`);
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
    return formatModule(this as AnyModule);
  }

  // ---- functionalCall: forward with other tensors in place of the state (torch.func.functional_call)

  /**
   * Runs `forward(...inputs)` with the tensors of `state` in place of the
   * parameters and buffers of those names (dotted, as `namedParameters()`
   * and `namedBuffers()` list them), as PyTorch's
   * `torch.func.functional_call(module, state, inputs)`. Names left out keep
   * the module's own tensors; every name of a shared tensor takes the one
   * given. The module's own tensors are back when the call returns or
   * throws, so the module is unchanged; a buffer forward updates in place
   * (BatchNorm's running statistics) is the one in `state`. Layers that
   * keep a tensor derived from a parameter elsewhere (a cached view) still
   * read that one.
   *
   * @example
   * const layer = new Linear(3, 2, { dtype: 'float64' });
   * const w = zeros([2, 3], { dtype: 'float64', requiresGrad: true });
   * layer.functionalCall({ weight: w }, x).sum().backward(); // w.grad is set; layer.weight is untouched
   * @throws ArgumentError for a name the module does not have, or a value that is not a Tensor
   * @throws ShapeError for a tensor whose shape differs from the module's one of that name
   */
  functionalCall(state: Readonly<Record<string, Tensor>>, ...inputs: In): Out {
    return withState('functionalCall', this, isModule, state, () => this.forward(...inputs));
  }
}

function isModule(x: unknown): x is AnyModule {
  return x instanceof Module;
}

/** The first name of each distinct tensor. */
function onceEach(all: [string, Tensor][]): [string, Tensor][] {
  const seen = new Set<Tensor>();
  return all.filter(([, t]) => (seen.has(t) ? false : (seen.add(t), true)));
}

/**
 * Every (name, tensor) pair below `module`, shared tensors under each of
 * their names: the parameters, or what a state dict holds (each module's
 * parameters, then its saved buffers).
 */
function allState(module: object, which: 'parameters' | 'saved'): [string, Tensor][] {
  const out: [string, Tensor][] = [];
  for (const [prefix, m] of (module as AnyModule).namedModules()) {
    const own = ownState<AnyModule>(m, isModule);
    for (const [name, p] of own.parameters) out.push([join(prefix, name), p]);
    if (which === 'saved') for (const [name, b, saved] of own.buffers) if (saved) out.push([join(prefix, name), b]);
  }
  return out;
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
    if (value.dtype === 'bool' && p.dtype !== 'bool') {
      throw new DTypeError(op, `'${name}' is a bool tensor; '${name}' is ${p.dtype} and takes numeric values`);
    }
    if (!sameShape(value.shape, p.shape)) {
      shapeProblems.push(`'${name}' has shape [${value.shape.join(',')}], the parameter has [${p.shape.join(',')}]`);
    }
    pairs.push([p, value]);
  }
  return { pairs, missingKeys, unexpectedKeys, shapeProblems };
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
