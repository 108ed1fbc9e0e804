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
import { ArgumentError, ChainruleError } from '../errors';
import { refuseThenable } from './grad-mode';

/** A NaN or Infinity found by anomaly mode. */
export class AnomalyError extends ChainruleError {}

let enabled = false;
/** How many backward passes are running: their inner ops are checked as the rule's gradients instead. */
let backwardDepth = 0;

/** @internal True while a backward pass runs its rules (their inner ops are not checked one by one). */
export function isInBackwardPass(): boolean {
  return backwardDepth > 0;
}

/** True while anomaly detection is on (inside `detectAnomaly`). */
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

/** The line an anomaly message ends with: where the op was called (or created). */
export function stackNote(stack: string | undefined, verb: 'called' | 'created'): string {
  return stack === undefined || stack === '' ? '' : `\nthe op was ${verb} at:\n${stack}`;
}

/** The current call stack, formatted, when anomaly mode is on. */
export function recordStack(): string | undefined {
  return formatStack(captureStack());
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
  throw new AnomalyError(
    op,
    `forward produced ${data} ${cause} (inputs ${inputs.join(', ')})${stackNote(recordStack(), 'called')}`,
  );
}

/** @internal Where a Value node was made, if it was made in anomaly mode. */
export function valueCreationStack(node: object): Error | undefined {
  return valueStacks.get(node);
}
