/**
 * Anomaly mode: while it is on, every op records where it was called from,
 * and the first op whose forward output or backward gradient holds a NaN or
 * an Infinity throws an AnomalyError naming the op, its input shapes (for a
 * Value, its input numbers) and where the op was called (the user's frames
 * of the creation stack). Tensor and Value graphs alike. It costs a stack
 * trace per op and a scan of every result, so it is for debugging, not for
 * training runs; when it is off, each op pays one boolean test.
 *
 * NOTE: ±Infinity counts as an anomaly too (PyTorch's anomaly mode looks for
 * NaN in backward only), so a mask of -Infinity (attention) trips it.
 */
import { ArgumentError, ChainruleError } from './errors';
import { refuseThenable } from './grad-mode';
import { forEachRow } from '../kernels/strided';
import { formatShape, type Shape } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { elementAt } from '../tensor/format';

/** A NaN or Infinity found by anomaly mode. */
export class AnomalyError extends ChainruleError {}

let enabled = false;
/** How many backward passes are running: their inner ops are checked as the rule's gradients instead. */
let backwardDepth = 0;

export function isAnomalyEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` (which may build a graph and call backward) in anomaly mode.
 * `fn` must be synchronous: one that returns a promise is refused with an
 * ArgumentError (the mode would be off again after its first `await`).
 *
 * @example
 * detectAnomaly(() => model.forward(x).sum().backward());
 * // AnomalyError: log: forward produced NaN ... (input shapes [32,10]) ... the op was called at: ...
 */
export function detectAnomaly<T>(fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new ArgumentError('detectAnomaly', `expected a function to run, got ${fn === null ? 'null' : typeof fn}`);
  }
  const previous = enabled;
  enabled = true;
  let result: T;
  try {
    result = fn();
  } finally {
    enabled = previous;
  }
  refuseThenable('detectAnomaly', result);
  return result;
}

/** @internal Runs a backward pass: ops its rules call are not checked one by one (the rule's gradient is). */
export function inBackwardPass<T>(fn: () => T): T {
  backwardDepth++;
  try {
    return fn();
  } finally {
    backwardDepth--;
  }
}

/** Where chainrule's own files live (src/ or dist/), to tell its stack frames from the caller's. */
const ownRoot: string | null = (() => {
  const frame = (new Error().stack ?? '').split('\n')[1] ?? '';
  const file = /\(?((?:file:\/\/)?\/[^():]*|[A-Za-z]:[^():]*):\d+:\d+\)?\s*$/.exec(frame)?.[1];
  if (file === undefined) return null;
  const dir = file.slice(0, Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')));
  return dir.endsWith('autograd') ? dir.slice(0, -'autograd'.length) : `${dir}/`;
})();

/** Frames of the caller kept in a creation stack. */
const framesKept = 12;

/**
 * The call stack now, unformatted (anomaly mode only; undefined otherwise).
 * Capturing is a few microseconds; formatting it (source maps, strings) is
 * ten times that, so graph nodes keep this and format only for a message.
 */
export function captureStack(): Error | undefined {
  if (!enabled) return undefined;
  const limit = Error.stackTraceLimit;
  // Composite ops sit several chainrule frames deep: look past the default 10.
  Error.stackTraceLimit = 40;
  try {
    return new Error();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * A captured stack as messages show it: from the first frame outside
 * chainrule (the line of user code that called the op) on, or the whole
 * stack if no frame is outside (a bundle).
 */
export function formatStack(captured: Error | undefined): string | undefined {
  if (captured === undefined) return undefined;
  const frames = (captured.stack ?? '').split('\n').slice(1);
  const first = ownRoot === null ? -1 : frames.findIndex((f) => !f.includes(ownRoot));
  return (first < 0 ? frames : frames.slice(first, first + framesKept)).join('\n');
}

/** The current call stack, formatted, when anomaly mode is on. */
export function recordStack(): string | undefined {
  return formatStack(captureStack());
}

/** The row-major position of the first NaN or ±Infinity of `t` (any layout), or -1. */
export function firstNonFinite(t: Tensor): number {
  const data = t.storage.data;
  let found = -1;
  forEachRow(t.shape, [t.strides], [t.offset], (off, n, inner, start) => {
    if (found >= 0) return;
    const o = off[0] as number;
    const s = inner[0] as number;
    for (let k = 0; k < n; k++) {
      const v = data[o + k * s] as number;
      if (v - v !== 0) {
        found = start + k;
        return;
      }
    }
  });
  return found;
}

function where(stack: string | undefined, verb: string): string {
  return stack === undefined || stack === '' ? '' : `\nthe op was ${verb} at:\n${stack}`;
}

function shapes(inputs: readonly Shape[]): string {
  return `input shapes ${inputs.length === 0 ? 'none' : inputs.map(formatShape).join(', ')}`;
}

/**
 * @internal Throws when an op's forward output holds a NaN or ±Infinity
 * (anomaly mode, outside backward). Says whether an input held one already:
 * then it came from outside the ops (data, a leaf, an in-place update).
 */
export function checkForward(op: string, inputs: readonly Tensor[], out: Tensor): void {
  if (!enabled || backwardDepth > 0 || (out.dtype !== 'float32' && out.dtype !== 'float64')) return;
  const bad = firstNonFinite(out);
  if (bad < 0) return;
  const given = inputs.findIndex((t) => firstNonFinite(t) >= 0);
  const cause =
    given < 0
      ? 'from finite inputs'
      : `because input ${given} already held ${elementAt(inputs[given] as Tensor, firstNonFinite(inputs[given] as Tensor))} ` +
        '(made outside the recorded ops: data, a leaf, or an in-place update)';
  throw new AnomalyError(
    op,
    `forward produced ${elementAt(out, bad)} at element ${bad} of its output of shape ${formatShape(out.shape)} ${cause}; ` +
      shapes(inputs.map((t) => t.shape)) +
      where(recordStack(), 'called'),
  );
}

/** @internal Throws when a backward rule returned a gradient holding a NaN or ±Infinity (anomaly mode). */
export function checkGradient(op: string, input: number, inputShapes: readonly Shape[], g: Tensor, stack: string | undefined): void {
  if (!enabled) return;
  const bad = firstNonFinite(g);
  if (bad < 0) return;
  throw new AnomalyError(
    op,
    `backward produced ${elementAt(g, bad)} in the gradient of input ${input} (shape ${formatShape(g.shape)}, element ${bad}) ` +
      `from a finite incoming gradient; ${shapes(inputShapes)}` +
      where(stack, 'created'),
  );
}

/** @internal Throws when the gradient backward starts from (gradOutput) holds a NaN or ±Infinity (anomaly mode). */
export function checkSeed(op: string, seed: Tensor): void {
  if (!enabled) return;
  const bad = firstNonFinite(seed);
  if (bad < 0) return;
  throw new AnomalyError(op, `gradOutput holds ${elementAt(seed, bad)} at element ${bad} (shape ${formatShape(seed.shape)})`);
}

// ---- the scalar Value graph: the same checks, on numbers ------------------

/** Creation stacks of Value nodes made in anomaly mode (a Value has no field for it: it stays small). */
const valueStacks = new WeakMap<object, Error>();

/** @internal Remembers where a Value node was made (anomaly mode only). */
export function rememberStack(node: object): void {
  const stack = captureStack();
  if (stack !== undefined) valueStacks.set(node, stack);
}

/** @internal Throws when a Value op's result is NaN or ±Infinity (anomaly mode). */
export function checkValueForward(op: string, data: number, inputs: readonly number[]): void {
  if (!enabled || data - data === 0) return;
  const given = inputs.findIndex((v) => v - v !== 0);
  const cause = given < 0 ? 'from finite inputs' : `because input ${given} already held ${inputs[given]}`;
  throw new AnomalyError(op, `forward produced ${data} ${cause} (inputs ${inputs.join(', ')})${where(recordStack(), 'called')}`);
}

/** @internal Throws when a Value op's backward turned an input's finite gradient into NaN or ±Infinity (anomaly mode). */
export function checkValueGradient(op: string, node: object, input: number, before: number, after: number, data: number): void {
  if (!enabled || before - before !== 0 || after - after === 0) return;
  throw new AnomalyError(
    op,
    `backward produced ${after} in the gradient of input ${input} (which holds ${data}) from a finite incoming gradient` +
      where(formatStack(valueStacks.get(node)), 'created'),
  );
}
