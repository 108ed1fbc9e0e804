/**
 * Grad mode: whether ops record the graph. Recording is on by default; inside
 * `noGrad` ops compute values only, which is what evaluation and optimizer
 * updates want.
 */
import { ArgumentError } from './errors';

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
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/**
 * Runs `fn` without recording the graph; the previous mode comes back when `fn`
 * returns or throws, so calls nest.
 *
 * NOTE: the mode is restored when `fn` returns, not when a promise it returns
 * settles: code after an `await` inside `fn` runs with the caller's mode.
 * Wrap the synchronous parts instead.
 *
 * @example
 * const prediction = noGrad(() => model.forward(x)); // no graph is kept
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode('noGrad', false, fn);
}

/**
 * Runs `fn` with recording on, even inside `noGrad`; the previous mode comes
 * back afterwards. Same note on promises as {@link noGrad}.
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode('enableGrad', true, fn);
}
