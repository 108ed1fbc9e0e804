/**
 * The per-parameter state is public (`optimizer.state`), so a step checks
 * the entries it is about to use before it updates anything: an update rule
 * reads a buffer's memory from element 0 for the parameter's size and adds
 * to a count, and a buffer of another shape or dtype, a view, or a number in
 * its place would make it throw half-way (or write wrong numbers).
 */
import { ArgumentError, Tensor } from '@chainrule/core';
import { describeValue, formatShape, sameShape } from '@chainrule/core/internal';
import type { Slot } from './slots';
import type { StateRule, StateTable } from './state-dict';

/** Throws an ArgumentError naming the first state entry of an updated parameter that its update could not use. */
export function checkSlotState<S extends object>(
  op: string,
  table: StateTable<S>,
  state: ReadonlyMap<Tensor, S>,
  slots: readonly (readonly Slot[])[],
): void {
  const rules = Object.entries(table) as [string, StateRule][];
  slots.forEach((group, g) => {
    for (const slot of group) {
      const s = state.get(slot.param) as Record<string, unknown> | undefined;
      if (s === undefined) continue; // created at the first update
      for (const [key, rule] of rules) {
        const problem = entryProblem(s[key], rule, slot.param);
        if (problem !== null)
          throw new ArgumentError(
            op,
            `the state '${key}' of param ${slot.index} of group ${g} ${problem}; nothing was updated`,
          );
      }
    }
  });
}

function entryProblem(value: unknown, rule: StateRule, p: Tensor): string | null {
  if (value === undefined) return rule.required ? 'is missing' : null;
  if (rule.kind === 'count')
    return Number.isSafeInteger(value) && (value as number) >= 0
      ? null
      : `is ${describeValue(value)}, expected an integer ≥ 0`;
  if (!(value instanceof Tensor)) return `is ${describeValue(value)}, expected a Tensor`;
  if (!sameShape(value.shape, p.shape) || value.dtype !== p.dtype) {
    return `is a ${value.dtype} tensor of shape ${formatShape(value.shape)}; it must be ${p.dtype} of shape ${formatShape(p.shape)} like its parameter`;
  }
  if (!value.isContiguous || value.offset !== 0 || value.storage === p.storage)
    return 'must be a contiguous tensor of its own (clone() it)';
  return null;
}
