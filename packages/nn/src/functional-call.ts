/**
 * Running a module with other tensors in place of its parameters and
 * buffers, as PyTorch's `torch.func.functional_call`: each given tensor is
 * put wherever the module keeps the one of that name (a property, an array
 * slot, the registry of `registerParameter`), forward runs, and the module's
 * own tensors are put back, whatever forward did. Gradient checks run a
 * module on float64 copies this way (`gradcheckModule` in
 * @chainrule/core/testing), and so do meta-learning and per-example
 * gradients.
 */
import { ArgumentError, ShapeError, Tensor } from '@chainrule/core';
import { describeValue, formatShape } from '@chainrule/core/internal';
import { join, ownState, registry } from './module-state';

/** What a swap needs of a module (Module itself; a structural type keeps this file free of an import cycle). */
interface Walkable {
  namedModules(): [string, object][];
}

/** One place that holds a tensor: a property, an array slot, or a registry entry. */
interface Slot {
  write(t: Tensor): void;
  old: Tensor;
}

/**
 * Runs `body` with the tensors of `state` in place of the module's
 * parameters and buffers of those names; names not in `state` keep the
 * module's own tensors. Everything is checked before anything changes, and
 * the module's own tensors are back when this returns or throws.
 */
export function withState<T>(
  op: string,
  module: Walkable,
  isModule: (x: unknown) => boolean,
  state: Readonly<Record<string, Tensor>>,
  body: () => T,
): T {
  if (state === null || typeof state !== 'object' || Array.isArray(state) || state instanceof Tensor) {
    throw new ArgumentError(op, `state must be an object of tensors by name, got ${describeValue(state)}`);
  }
  // Every name of every tensor, shared tensors under each of their names.
  const named = new Map<string, Tensor>();
  for (const [prefix, m] of module.namedModules()) {
    const own = ownState(m, isModule as (x: unknown) => x is object);
    for (const [name, p] of own.parameters) named.set(join(prefix, name), p);
    for (const [name, b] of own.buffers) named.set(join(prefix, name), b);
  }
  const replacement = new Map<Tensor, Tensor>();
  for (const [name, value] of Object.entries(state)) {
    const own = named.get(name);
    if (own === undefined) {
      const known = [...named.keys()].slice(0, 20).map((n) => `'${n}'`);
      throw new ArgumentError(
        op,
        `the module has no parameter or buffer '${name}'; its names are [${known.join(', ')}${named.size > 20 ? ', ...' : ''}]`,
      );
    }
    if (!(value instanceof Tensor))
      throw new ArgumentError(op, `state '${name}' must be a Tensor, got ${describeValue(value)}`);
    if (formatShape(value.shape) !== formatShape(own.shape)) {
      throw new ShapeError(
        op,
        `state '${name}' has shape ${formatShape(value.shape)}, the module's tensor has ${formatShape(own.shape)}`,
      );
    }
    const earlier = replacement.get(own);
    if (earlier !== undefined && earlier !== value) {
      throw new ArgumentError(
        op,
        `'${name}' is shared with another name given a different tensor; give every name of a shared tensor the same one`,
      );
    }
    replacement.set(own, value);
  }
  const slots = findSlots(op, module, replacement);
  slots.forEach((s) => s.write(replacement.get(s.old) as Tensor));
  try {
    return body();
  } finally {
    for (let i = slots.length - 1; i >= 0; i--) (slots[i] as Slot).write((slots[i] as Slot).old);
  }
}

/** Every place below `module` that holds a tensor to replace; throws before anything is written if one cannot be written. */
function findSlots(op: string, module: Walkable, replacement: ReadonlyMap<Tensor, Tensor>): Slot[] {
  const slots: Slot[] = [];
  for (const [prefix, m] of module.namedModules()) {
    const r = registry(m);
    for (const map of [r.parameters, r.buffers]) {
      for (const [name, t] of map) {
        if (t !== null && replacement.has(t)) slots.push({ old: t, write: (v) => map.set(name, v) });
      }
    }
    const target = m as Record<string, unknown>;
    for (const key of Object.keys(m)) {
      const value = target[key];
      if (value instanceof Tensor && replacement.has(value)) {
        const d = Object.getOwnPropertyDescriptor(m, key);
        if (d !== undefined && d.writable !== true && d.set === undefined) {
          throw new ArgumentError(
            op,
            `'${join(prefix, key)}' is a read-only property, so its tensor cannot be replaced`,
          );
        }
        slots.push({
          old: value,
          write: (v) => {
            target[key] = v;
          },
        });
      } else if (Array.isArray(value)) {
        value.forEach((item: unknown, i) => {
          if (item instanceof Tensor && replacement.has(item)) {
            if (Object.isFrozen(value))
              throw new ArgumentError(
                op,
                `'${join(prefix, key)}' is a frozen array, so its tensors cannot be replaced`,
              );
            slots.push({
              old: item,
              write: (v) => {
                value[i] = v;
              },
            });
          }
        });
      }
    }
  }
  return slots;
}
