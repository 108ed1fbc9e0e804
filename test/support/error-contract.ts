/**
 * The contract every fuzzed call must keep, shared by nn's and optim's fuzz
 * tests: it returns, or it throws a ChainruleError whose message starts with
 * the name of the op that refused (one of the names the caller allows). A raw
 * TypeError or RangeError, or any other error, fails the property with the
 * offending call's description.
 */
import { ChainruleError } from '@chainrule/core';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ChainruleError };

/**
 * Runs `call`: returns its value, or the typed error it threw after checking
 * that the error is a ChainruleError naming one of `ops`.
 */
export function attempt<T>(ops: readonly string[], call: () => T): Outcome<T> {
  try {
    return { ok: true, value: call() };
  } catch (e) {
    if (!(e instanceof ChainruleError)) {
      const name = e instanceof Error ? e.constructor.name : typeof e;
      throw new Error(
        `expected a ChainruleError naming one of ${ops.join(', ')}, got a raw ${name}: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    if (!e.message.startsWith(`${e.op}: `) || !ops.includes(e.op)) {
      throw new Error(`the error names '${e.op}', expected one of ${ops.join(', ')}: ${e.message}`);
    }
    return { ok: false, error: e };
  }
}

/** Like {@link attempt}, and the call must succeed exactly when `valid`. */
export function attemptExpecting<T>(valid: boolean, ops: readonly string[], call: () => T): Outcome<T> {
  const outcome = attempt(ops, call);
  if (valid && !outcome.ok) throw new Error(`a valid call was refused: ${outcome.error.message}`);
  if (!valid && outcome.ok) throw new Error('an invalid call returned instead of throwing');
  return outcome;
}
