/**
 * jax-js's side of the op cases, each op in `jit` on its WebAssembly device, where jax-js has the op: it
 * has no scatter-add in its public API (no `.at[...]`). Its gelu defaults to the tanh form, so the exact
 * one is asked for; its einsum is given the equation's sublist form (its string parser calls
 * `matchAll(...).map`, an iterator helper Node 20 lacks).
 */
import { topkK, type OpCase } from '../cases';
import type { Contender } from '../harness';
import { opInputs } from '../op-data';

(globalThis as { navigator?: object }).navigator ??= {};
const jax = await import('@jax-js/jax');
await jax.init('wasm');
jax.defaultDevice('wasm');
const { numpy: np, nn, lax, scipySpecial, jit } = jax;
type JArray = InstanceType<typeof jax.Array>;

export function jaxOpContenders(c: OpCase): Contender[] {
  const ops: Partial<Record<OpCase['op'], (x: JArray, y: JArray) => JArray>> = {
    gelu: (x) => nn.gelu(x, { approximate: false }),
    erf: (x) => scipySpecial.erf(x),
    silu: (x) => nn.silu(x),
    prod: (x) => np.prod(x),
    norm: (x) => np.linalg.vectorNorm(x),
    sort: (x) => np.sort(x),
    topk: (x) => (lax.topK(x, topkK) as [JArray, JArray])[0],
    cumsum: (x) => np.cumsum(x, -1),
    // 'bij,bjk->bik' in einsum's sublist form: its string parser needs Node 22's iterator helpers.
    einsum: (x, y) => np.einsum(x, [0, 1, 2], y, [0, 2, 3], [0, 1, 3]),
    bmm: (x, y) => np.matmul(x, y),
  };
  const f = ops[c.op];
  if (f === undefined) return [];
  return [
    {
      engine: 'jax-js',
      async setup() {
        const { x: xs, y: ys } = opInputs(c);
        const shape = [...c.shape];
        const x = np.array(xs).reshape(shape);
        const two = ys.length > 0;
        const y = two ? np.array(ys).reshape(shape) : np.array([0]);
        const run = jit((a: JArray, b: JArray) => f(a, b));
        return async () => {
          await (run(x.ref, y.ref) as JArray).data();
        };
      },
    },
  ];
}
