/**
 * Helpers of optim's fuzz tests: the error contract every fuzzed call must
 * keep (shared with nn, in test/support), and a snapshot of everything an
 * optimizer holds, to show a refused call changed nothing.
 */
import { Tensor } from '@chainrule/core';
import type { Optimizer } from '../../src/index';

export { attempt, attemptExpecting, type Outcome } from '../../../../test/support/error-contract';

type AnyOptimizer = Optimizer<{ lr: number }, object>;

/** Everything an optimizer holds, as plain data: every parameter's values, every option, every state entry. */
export function snapshot(opt: AnyOptimizer): string {
  const plain = (v: unknown): unknown => {
    if (v instanceof Tensor) return { shape: [...v.shape], values: Array.from(v.data(), String) };
    return typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function' ? typeof v : v;
  };
  const all = opt.paramGroups.flatMap((g) => (Array.isArray(g.params) ? g.params : []));
  const safe = (_key: string, v: unknown): unknown =>
    typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function' ? typeof v : v;
  return JSON.stringify(
    {
      groups: opt.paramGroups.map(({ params, ...options }) => ({
        options,
        params: params.map(plain),
        grads: params.map((p) => plain(p.grad)),
      })),
      state: [...opt.state].map(([p, s]) => [
        all.indexOf(p),
        Object.fromEntries(Object.entries(s).map(([k, v]) => [k, plain(v)])),
      ]),
    },
    safe,
  );
}
