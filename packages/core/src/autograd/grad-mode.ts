/**
 * Grad mode: whether ops record the graph. Recording is on by default; inside
 * `noGrad` ops compute values only, which is what evaluation and optimizer
 * updates want.
 */
import { ArgumentError } from '../errors';

let enabled = true;

/** True when ops record the graph for backward. */
export function isGradEnabled(): boolean {
  return enabled;
}

function withGradMode<T>(op: string, mode: boolean, fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new ArgumentError(op, `expected a function to run, got ${fn === null ? 'null' : typeof fn}`);
  }
  const previous = enabled;
  enabled = mode;
  let result: T;
  try {
    result = fn();
  } finally {
    enabled = previous;
  }
  refuseThenable(op, result);
  return result;
}

/**
 * Throws when `fn` returned a promise (any thenable): a mode set around it
 * would have been restored at its first `await`, so the code after it ran in
 * the caller's mode, silently. Called after the mode is restored.
 *
 * NOTE: the async work has already started and cannot be stopped. Its
 * rejection, if any, is marked handled: the error thrown here already says
 * what is wrong, and an unhandled rejection would end the Node process.
 */
export function refuseThenable(op: string, result: unknown): void {
  if (
    (typeof result === 'object' || typeof result === 'function') &&
    result !== null &&
    typeof (result as { then?: unknown }).then === 'function'
  ) {
    (result as PromiseLike<unknown>).then(undefined, () => undefined);
    throw new ArgumentError(
      op,
      'the function returned a promise: the mode would be undone at its first await, silently. ' +
        `Pass a synchronous function, and wrap the synchronous part of async code instead, e.g. await load(); const y = ${op}(() => model.forward(x));`,
    );
  }
}

/**
 * Runs `fn` without recording the graph; the previous mode comes back when `fn`
 * returns or throws, so calls nest.
 *
 * `fn` must be synchronous: one that returns a promise (an async function)
 * is refused with an ArgumentError, because the mode would be undone at its
 * first `await`. Wrap the synchronous parts of async code instead.
 *
 * @example
 * const prediction = noGrad(() => model.forward(x)); // no graph is kept
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode('noGrad', false, fn);
}

/**
 * Runs `fn` with recording on, even inside `noGrad`; the previous mode comes
 * back afterwards. `fn` must be synchronous, as for {@link noGrad}.
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode('enableGrad', true, fn);
}
