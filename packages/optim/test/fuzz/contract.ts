/**
 * The contract of every fuzzed call: it returns, or throws a ChainruleError
 * whose message starts with the name of an op the caller allows. Anything
 * else (a raw TypeError, RangeError, ...) fails the property.
 */
import { ChainruleError, Tensor } from '@chainrule/core';
import type { Optimizer } from '../../src/index';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ChainruleError };

export function attempt<T>(ops: readonly string[], call: () => T): Outcome<T> {
  try {
    return { ok: true, value: call() };
  } catch (e) {
    if (!(e instanceof ChainruleError)) {
      const name = e instanceof Error ? e.constructor.name : typeof e;
      throw new Error(`expected a ChainruleError naming one of ${ops.join(', ')}, got a raw ${name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (!e.message.startsWith(`${e.op}: `) || !ops.includes(e.op)) throw new Error(`the error names '${e.op}', expected one of ${ops.join(', ')}: ${e.message}`);
    return { ok: false, error: e };
  }
}

/** Like {@link attempt}; the call must succeed exactly when `valid`. */
export function attemptExpecting<T>(valid: boolean, ops: readonly string[], call: () => T): Outcome<T> {
  const outcome = attempt(ops, call);
  if (valid && !outcome.ok) throw new Error(`a valid call was refused: ${outcome.error.message}`);
  if (!valid && outcome.ok) throw new Error('an invalid call returned instead of throwing');
  return outcome;
}

type AnyOptimizer = Optimizer<{ lr: number }, object>;

/** Everything an optimizer holds, as plain data: every parameter's values, every option, every state entry. */
export function snapshot(opt: AnyOptimizer): string {
  const plain = (v: unknown): unknown => {
    if (v instanceof Tensor) return { shape: [...v.shape], values: Array.from(v.data(), String) };
    return typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function' ? typeof v : v;
  };
  const all = opt.paramGroups.flatMap((g) => (Array.isArray(g.params) ? g.params : []));
  const safe = (_key: string, v: unknown): unknown => (typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function' ? typeof v : v);
  return JSON.stringify({
    groups: opt.paramGroups.map(({ params, ...options }) => ({ options, params: params.map(plain), grads: params.map((p) => plain(p.grad)) })),
    state: [...opt.state].map(([p, s]) => [all.indexOf(p), Object.fromEntries(Object.entries(s).map(([k, v]) => [k, plain(v)]))]),
  }, safe);
}
