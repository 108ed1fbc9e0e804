/**
 * ModuleList and ModuleDict: containers that hold modules (so their state is
 * found, saved and trained) without deciding how they are called — the
 * owner's `forward` does that. Children are named by position or key, as in
 * PyTorch, so `blocks.0.attn.in_proj_weight` reads the same in both.
 */
import { ArgumentError } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';
import { Module, type AnyModule } from '../module';

function checkModule(op: string, what: string, m: unknown): asserts m is AnyModule {
  if (!(m instanceof Module)) throw new ArgumentError(op, `${what} is not a Module, got ${describeValue(m)}`);
}

/**
 * An ordered list of modules, named '0', '1', ... A container has no
 * `forward` of its own (calling it is a typed error): its owner iterates it.
 *
 * @example
 * class Tower extends Module {
 *   readonly blocks = new ModuleList(Array.from({ length: 3 }, () => new Linear(8, 8)));
 *   forward(x: Tensor) { for (const b of this.blocks) x = relu(b.forward(x)); return x; }
 * }
 */
export class ModuleList<M extends AnyModule = Module> extends Module<never, never> {
  readonly #items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    this.extend(modules);
  }

  /** The number of modules. */
  get length(): number {
    return this.#items.length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): M {
    const m = Number.isInteger(index) ? this.#items.at(index) : undefined;
    if (m === undefined) {
      throw new ArgumentError(
        'ModuleList.at',
        `index ${describeValue(index)} is out of range for ${this.#items.length} modules`,
      );
    }
    return m;
  }

  /** Appends a module; returns this list. */
  append(module: M): this {
    checkModule('ModuleList.append', 'the argument', module);
    this.#items.push(module);
    return this;
  }

  /** Appends every module of `modules` (all are checked first); returns this list. */
  extend(modules: Iterable<M>): this {
    if (modules === null || typeof (modules as Partial<Iterable<M>>)[Symbol.iterator] !== 'function') {
      throw new ArgumentError('ModuleList', `expected an iterable of modules, got ${describeValue(modules)}`);
    }
    const list = [...modules];
    list.forEach((m, i) => checkModule('ModuleList', `item ${i}`, m));
    this.#items.push(...list);
    return this;
  }

  /** Inserts a module before position `index` (PyTorch's `insert`); returns this list. */
  insert(index: number, module: M): this {
    checkModule('ModuleList.insert', 'the argument', module);
    const n = this.#items.length;
    if (!Number.isInteger(index) || index < -n || index > n) {
      throw new ArgumentError('ModuleList.insert', `index ${describeValue(index)} is out of range [-${n}, ${n}]`);
    }
    this.#items.splice(index < 0 ? n + index : index, 0, module);
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.#items[Symbol.iterator]();
  }

  override namedChildren(): [string, AnyModule][] {
    return this.#items.map((m, i) => [String(i), m]);
  }

  forward(): never {
    throw new ArgumentError('ModuleList', 'a ModuleList has no forward; call its modules from the owner’s forward');
  }
}

/**
 * Modules by name, in insertion order, named by their keys.
 *
 * @example
 * const heads = new ModuleDict({ digit: new Linear(64, 10), parity: new Linear(64, 2) });
 * heads.get('digit').forward(h);
 */
export class ModuleDict<M extends AnyModule = Module> extends Module<never, never> {
  readonly #items = new Map<string, M>();

  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    this.update(modules);
  }

  /** The number of modules. */
  get size(): number {
    return this.#items.size;
  }

  /** The module under `key`. */
  get(key: string): M {
    const m = this.#items.get(key);
    if (m === undefined) {
      const keys = [...this.#items.keys()].map((k) => `'${k}'`);
      throw new ArgumentError(
        'ModuleDict.get',
        `no module under ${describeValue(key)}; the keys are [${keys.join(', ')}]`,
      );
    }
    return m;
  }

  has(key: string): boolean {
    return this.#items.has(key);
  }

  /** Puts `module` under `key` (replacing, keeping the key's place); returns this dict. */
  set(key: string, module: M): this {
    checkKey('ModuleDict.set', key);
    checkModule('ModuleDict.set', `'${key}'`, module);
    this.#items.set(key, module);
    return this;
  }

  /** Removes and returns the module under `key` (PyTorch's `pop`). */
  delete(key: string): M {
    const m = this.get(key);
    this.#items.delete(key);
    return m;
  }

  /** Adds every entry of `modules` (all are checked first); returns this dict. */
  update(modules: Record<string, M> | Iterable<[string, M]>): this {
    if (modules === null || typeof modules !== 'object') {
      throw new ArgumentError(
        'ModuleDict',
        `expected an object or iterable of [key, module], got ${describeValue(modules)}`,
      );
    }
    const entries =
      typeof (modules as Partial<Iterable<[string, M]>>)[Symbol.iterator] === 'function'
        ? [...(modules as Iterable<[string, M]>)]
        : Object.entries(modules as Record<string, M>);
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw new ArgumentError('ModuleDict', `expected [key, module] pairs, got ${describeValue(entry)}`);
      }
      checkKey('ModuleDict', entry[0]);
      checkModule('ModuleDict', `'${entry[0]}'`, entry[1]);
    }
    for (const [k, m] of entries) this.#items.set(k, m);
    return this;
  }

  keys(): IterableIterator<string> {
    return this.#items.keys();
  }

  values(): IterableIterator<M> {
    return this.#items.values();
  }

  entries(): IterableIterator<[string, M]> {
    return this.#items.entries();
  }

  [Symbol.iterator](): Iterator<[string, M]> {
    return this.#items.entries();
  }

  override namedChildren(): [string, AnyModule][] {
    return [...this.#items];
  }

  forward(): never {
    throw new ArgumentError('ModuleDict', 'a ModuleDict has no forward; call its modules from the owner’s forward');
  }
}

function checkKey(op: string, key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '' || key.includes('.')) {
    throw new ArgumentError(op, `a key must be a non-empty string without '.', got ${describeValue(key)}`);
  }
}
