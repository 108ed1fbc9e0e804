/** chainrule's side of the op cases (issues 17 and 18), written as a user would write each call. */
import * as core from '@chainrule/core';
import type { BackendName, Tensor } from '@chainrule/core';
import { topkK, type OpCase } from '../cases';
import type { Contender } from '../harness';
import { opInputs } from '../op-data';
import { withBackend } from './chainrule-training';

function opContender(engine: string, backend: BackendName, c: OpCase): Contender {
  return {
    engine,
    async setup() {
      const { x: xs, y: ys, index: is } = opInputs(c);
      const shape = [...c.shape];
      const x = core.tensor(xs, { shape });
      const y = ys.length > 0 ? core.tensor(ys, { shape }) : x;
      const index = core.tensor(is, { dtype: 'int32' });
      const target = core.zeros([xs.length]);
      const run: () => Tensor = {
        gelu: () => core.gelu(x),
        erf: () => core.erf(x),
        silu: () => core.silu(x),
        prod: () => core.prod(x),
        norm: () => core.norm(x),
        sort: () => core.sort(x).values,
        topk: () => core.topk(x, topkK).values,
        cumsum: () => core.cumsum(x, -1),
        einsum: () => core.einsum('bij,bjk->bik', x, y),
        bmm: () => core.matmul(x, y),
        scatterAdd: () => core.scatterAdd(target, 0, index, x),
      }[c.op];
      return withBackend(backend, () => {
        run();
      });
    },
  };
}

/**
 * The default configuration and the JavaScript kernels alone. The einsum case also times matmul on the
 * same operands ('chainrule-matmul'), alternating with the others: comparing two cases measured minutes
 * apart on a shared machine would compare the load as much as the ops (the other engines' garbage
 * collections land in whichever case they share).
 */
export function chainruleOpContenders(c: OpCase): Contender[] {
  const ours = [opContender('chainrule', 'wasm', c), opContender('chainrule-js', 'js', c)];
  if (c.op !== 'einsum') return ours;
  return [...ours, { ...opContender('chainrule', 'wasm', { ...c, op: 'bmm' }), engine: 'chainrule-matmul' }];
}
