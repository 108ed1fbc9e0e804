/**
 * Forward hooks. PyTorch runs hooks in `__call__`; chainrule's layers are
 * called through `forward` itself (Sequential calls `layer.forward(x)`, and
 * so do users), so registering the first hook gives the module an own,
 * non-enumerable `forward` that runs the hooks around the class's method,
 * and removing the last hook takes it away again. A module without hooks
 * pays nothing.
 */

/** Returned by the register-hook methods: `remove()` unregisters the hook (a second call does nothing). */
export interface HookHandle {
  remove(): void;
}

// NOTE: hooks see inputs as `unknown[]` and the output as `unknown`, not as
// the module's own `In` and `Out`: a hook type that mentioned them would make
// `Module<[Tensor], Tensor>` no longer an `AnyModule` (the type every child
// list and container uses). Hooks are usually written for many kinds of
// module at once (record every layer's output), where the loose type is the
// honest one; narrow with `instanceof Tensor` inside.

/** Runs before `forward`; may return replacement inputs (an array, as `forward` takes them). */
export type ForwardPreHook<M> = (module: M, inputs: unknown[]) => unknown[] | undefined;

/** Runs after `forward`; may return a replacement output. */
export type ForwardHook<M> = (module: M, inputs: unknown[], output: unknown) => unknown;

interface Hooks {
  /** The own `forward` the module had before (a field holding a function), restored on removal. */
  original: PropertyDescriptor | undefined;
  pre: Map<number, (module: unknown, inputs: unknown[]) => unknown[] | undefined>;
  post: Map<number, (module: unknown, inputs: unknown[], output: unknown) => unknown>;
}

const hooksOf = new WeakMap<object, Hooks>();
let nextId = 0;

type Forward = (...inputs: unknown[]) => unknown;

function install(module: object): Hooks {
  const existing = hooksOf.get(module);
  if (existing !== undefined) return existing;
  const original = Object.getOwnPropertyDescriptor(module, 'forward');
  const hooks: Hooks = { original, pre: new Map(), post: new Map() };
  hooksOf.set(module, hooks);
  const forward = (module as { forward: Forward }).forward;
  Object.defineProperty(module, 'forward', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: function hooked(this: object, ...given: unknown[]): unknown {
      let inputs = given;
      // Copies: a hook that removes itself (or adds another) must not change this call's list.
      for (const pre of [...hooks.pre.values()]) {
        const replaced = pre(this, inputs);
        if (replaced !== undefined) inputs = replaced;
      }
      let output = forward.apply(this, inputs);
      for (const post of [...hooks.post.values()]) {
        const replaced = post(this, inputs, output);
        if (replaced !== undefined) output = replaced;
      }
      return output;
    },
  });
  return hooks;
}

function handle(module: object, hooks: Hooks, id: number): HookHandle {
  return {
    remove(): void {
      hooks.pre.delete(id);
      hooks.post.delete(id);
      if (hooks.pre.size === 0 && hooks.post.size === 0 && hooksOf.get(module) === hooks) {
        hooksOf.delete(module);
        if (hooks.original === undefined) delete (module as { forward?: unknown }).forward;
        else Object.defineProperty(module, 'forward', hooks.original);
      }
    },
  };
}

export function addPreHook(module: object, hook: (module: unknown, inputs: unknown[]) => unknown[] | undefined) {
  const hooks = install(module);
  const id = nextId++;
  hooks.pre.set(id, hook);
  return handle(module, hooks, id);
}

export function addPostHook(module: object, hook: (module: unknown, inputs: unknown[], output: unknown) => unknown) {
  const hooks = install(module);
  const id = nextId++;
  hooks.post.set(id, hook);
  return handle(module, hooks, id);
}
