/**
 * The first half of every step: find the parameters that have a gradient,
 * check every gradient (type, shape, dtype, finiteness) and lay each pair out
 * as two contiguous runs of numbers for the update kernels. Nothing is
 * changed here, so a step that refuses its gradients changes nothing; the
 * kernels that follow cannot fail.
 */
import { ArgumentError, ChainruleError, DTypeError, ShapeError, Tensor, copyFrom, tensor } from '@chainrule/core';
import { describeValue, firstNonFinite, formatShape, peekGrad, sameShape } from '@chainrule/core/internal';
import { checkParam } from './param-groups';

/** The arrays behind float tensors: what the update kernels read and write. */
export type FloatArray = Float32Array | Float64Array;

/** What a step does when a gradient holds NaN or ±Infinity: throw, or skip the whole step. */
export type NonFiniteMode = 'throw' | 'skip';

/**
 * A parameter and its gradient as the kernels see them: `n` elements of the
 * parameter at `p[po..po+n)`, of the gradient at `g[go..go+n)`, in the same
 * order. State buffers the optimizer allocates are contiguous from 0.
 */
export interface Slot {
  readonly param: Tensor;
  /** The parameter's position in its group, for messages. */
  readonly index: number;
  readonly p: FloatArray;
  readonly po: number;
  readonly g: FloatArray;
  readonly go: number;
  readonly n: number;
  /** True when `p` is a contiguous copy of a strided parameter, to be written back. */
  readonly copied: boolean;
}

/** Thrown by `step()` when a gradient holds NaN or ±Infinity (and `nonFinite` is 'throw'). */
export class NonFiniteGradientError extends ChainruleError {
  constructor(
    op: string,
    message: string,
    /** The group and position in it of the parameter whose gradient is not finite. */
    readonly groupIndex: number,
    readonly paramIndex: number,
    /** The first offending element (row-major) and its value. */
    readonly element: number,
    readonly value: number,
  ) {
    super(op, message);
  }
}

function describe(p: Tensor, g: number, i: number): string {
  // A label is a string to TypeScript, but untyped code can set a Symbol,
  // which a template literal refuses with a TypeError.
  const label: unknown = p.label;
  const shown = label === undefined ? '' : typeof label === 'string' ? ` '${label}'` : ` ${describeValue(label)}`;
  return `param ${i}${shown} of group ${g} (shape ${formatShape(p.shape)})`;
}

// Runs for every parameter at every step: messages are built only on failure.
function checkGrad(op: string, p: Tensor, grad: unknown, g: number, i: number): Tensor {
  if (!(grad instanceof Tensor))
    throw new ArgumentError(
      op,
      `the gradient of ${describe(p, g, i)} is ${describeValue(grad)}, expected a Tensor or null`,
    );
  if (!sameShape(grad.shape, p.shape)) {
    throw new ShapeError(
      op,
      `the gradient of ${describe(p, g, i)} has shape ${formatShape(grad.shape)}; it must have the parameter's shape`,
    );
  }
  if (grad.dtype !== p.dtype) {
    throw new DTypeError(
      op,
      `the gradient of ${describe(p, g, i)} is ${grad.dtype}; it must be ${p.dtype} like the parameter`,
    );
  }
  return grad;
}

function makeSlot(p: Tensor, grad: Tensor, index: number): Slot {
  // A strided gradient, or one sharing the parameter's memory, is read from a
  // copy: the kernels read and write element k of both in one pass.
  const gDirect = grad.isContiguous && grad.storage !== p.storage;
  const g = (gDirect ? grad.buffer : grad.data()) as FloatArray;
  const copied = !p.isContiguous;
  const pa = (copied ? p.data() : p.buffer) as FloatArray;
  return { param: p, index, p: pa, po: copied ? 0 : p.offset, g, go: gDirect ? grad.offset : 0, n: p.size, copied };
}

/**
 * Throws unless a group's `params` (public, and so changeable by hand) is
 * still an array of float leaf tensors.
 */
export function checkGroupParams(op: string, params: unknown, g: number): readonly Tensor[] {
  if (!Array.isArray(params))
    throw new ArgumentError(op, `paramGroups[${g}].params must be an array of tensors, got ${describeValue(params)}`);
  for (let i = 0; i < params.length; i++) checkParam(op, params[i], `param ${i} of group ${g}`);
  return params as Tensor[];
}

/**
 * Per group, the slots of the parameters that have a gradient. Throws a
 * typed error for a malformed gradient; for a non-finite one, throws
 * NonFiniteGradientError or (mode 'skip') returns null. A malformed
 * gradient is reported in either mode, wherever it is: skipping is for bad
 * numbers, not for a gradient of the wrong shape or type.
 */
export function collectSlots(
  op: string,
  groups: readonly { readonly params: readonly Tensor[] }[],
  mode: NonFiniteMode,
): Slot[][] | null {
  const out: Slot[][] = [];
  let skip = false;
  for (let gi = 0; gi < groups.length; gi++) {
    const params = checkGroupParams(op, (groups[gi] as { readonly params: unknown }).params, gi);
    const slots: Slot[] = [];
    for (let i = 0; i < params.length; i++) {
      const p = params[i] as Tensor;
      // peekGrad: reading p.grad would mark the gradient seen, and zeroGrad could no longer recycle it.
      const given = peekGrad(p);
      if (given === null) continue;
      const grad = checkGrad(op, p, given, gi, i);
      if (skip) continue;
      const slot = makeSlot(p, grad, i);
      const bad = firstNonFinite(slot.g, slot.go, slot.n);
      if (bad >= 0) {
        if (mode === 'skip') {
          skip = true;
          continue;
        }
        const value = slot.g[slot.go + bad] as number;
        throw new NonFiniteGradientError(
          op,
          `the gradient of ${describe(p, gi, i)} holds ${value} at element ${bad}; nothing was updated. ` +
            "Construct the optimizer with { nonFinite: 'skip' } to skip such steps instead",
          gi,
          i,
          bad,
          value,
        );
      }
      slots.push(slot);
    }
    out.push(slots);
  }
  return skip ? null : out;
}

/** Makes a slot's update visible: writes a copied parameter back, and bumps the storage version. */
export function commitSlot(slot: Slot): void {
  const p = slot.param;
  if (slot.copied) {
    copyFrom(p, tensor(slot.p, { dtype: p.dtype, shape: p.shape }));
  } else {
    // The kernels wrote the memory directly; a backward rule that saved this
    // tensor must now refuse to run, as after any in-place op.
    p.storage.version++;
  }
}
