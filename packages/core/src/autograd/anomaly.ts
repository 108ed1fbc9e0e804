/**
 * Anomaly mode: while it is on, every op records where it was called from,
 * and the first op whose forward output or backward gradient holds a NaN or
 * an Infinity throws an AnomalyError naming the op, its input shapes and that
 * creation stack. It costs a stack trace per op and a scan of every result,
 * so it is for debugging, not for training runs.
 */
import { ChainruleError } from './errors';

/** A NaN or Infinity found by anomaly mode. */
export class AnomalyError extends ChainruleError {}

let enabled = false;

export function isAnomalyEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` (which may build a graph and call backward) in anomaly mode.
 *
 * @example
 * detectAnomaly(() => model.forward(x).sum().backward());
 * // AnomalyError: log: forward produced NaN ... (inputs [32,10]) ... created at ...
 */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** The current call stack when anomaly mode is on (kept on graph nodes). */
export function recordStack(): string | undefined {
  if (!enabled) return undefined;
  const stack = new Error().stack ?? '';
  // Drop the "Error" line and chainrule's own frames above the user's call.
  return stack.split('\n').slice(1).join('\n');
}

/** The first non-finite element of an array-like, or -1. */
export function firstNonFinite(data: ArrayLike<number>, count: number): number {
  for (let i = 0; i < count; i++) {
    const v = data[i] as number;
    if (v - v !== 0) return i;
  }
  return -1;
}
