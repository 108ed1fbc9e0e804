/**
 * scatterReduce's op: x's element and the src elements sent to it reduced by
 * 'sum', 'prod', 'mean', 'amax' or 'amin', and its gradients in Tensor ops
 * (so they are differentiable again). scatter.ts checks the arguments and
 * computes the positions.
 */
import { hitCounts, scatterReduceInto, type ScatterReduction } from '../kernels/scatter';
import { isFloat, type DType } from '../tensor/dtype';
import type { Shape } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { apply, emptyLike, type Binary, type OpDef } from './define';
import { where } from './compare';
import { packedData } from './index-plan';
import type { Positions } from './index-primitives';
import { takeFlat } from './index-ops';

/** Where src's elements go, how they are reduced, and whether x's element takes part. */
export interface ReduceParams extends Positions {
  reduce: ScatterReduction;
  includeSelf: boolean;
}

/** A tensor of `shape` and `dtype` holding `values` (a constant of a backward rule). */
function constant(values: ArrayLike<number>, shape: Shape, dtype: DType): Tensor {
  const out = emptyLike(shape, dtype);
  const o = out.storage.data;
  for (let i = 0; i < values.length; i++) o[i] = values[i] as number;
  return out;
}

export const scatterReduceDef: OpDef<Binary, ReduceParams, readonly [Tensor, Tensor, Tensor]> = {
  name: 'scatterReduce',
  forward([x, v], { positions, reduce, includeSelf }, ctx) {
    const acc = Float64Array.from(packedData(x));
    const src = packedData(v);
    scatterReduceInto(acc, src, 0, positions.storage.data as Int32Array, reduce, includeSelf, !isFloat(x.dtype));
    const out = constant(acc, x._shape, x.dtype);
    ctx.save(x, v, out);
    return out;
  },
  backward: (g, { saved, params, needs, inputShapes: [shape] }) =>
    reduceGradients(g, saved, params, needs, shape as Shape),
};

/**
 * The gradients of scatterReduce, in Tensor ops (constants computed from the
 * saved values): at a position nothing was written to, out = x and the
 * gradient passes through to x.
 */
function reduceGradients(
  g: Tensor,
  saved: readonly [Tensor, Tensor, Tensor],
  params: ReduceParams,
  needs: readonly boolean[],
  shape: Shape,
): [Tensor | null, Tensor | null] {
  const [x, v] = saved;
  const { positions, reduce, includeSelf } = params;
  const p = positions.storage.data as Int32Array;
  const hits = hitCounts(p, x.size);
  const dtype = g.dtype;
  const self = includeSelf ? 1 : 0;
  // 1 where x is kept as it is (not written), and, with includeSelf, also where it takes part.
  const passes = constant(
    Array.from(hits, (h) => (h === 0 ? 1 : self)),
    shape,
    dtype,
  );
  if (reduce === 'sum') {
    // d/dx (x + Σ v) = 1, d/dv = 1.
    return [needs[0] ? g.mul(passes) : null, needs[1] ? takeFlat(g, positions) : null];
  }
  if (reduce === 'mean') {
    // out = (x + Σ v) / N at a written position, N the number of terms.
    const n = constant(
      Array.from(hits, (h) => (h === 0 ? 1 : h + self)),
      shape,
      dtype,
    );
    const share = g.div(n);
    return [needs[0] ? share.mul(passes) : null, needs[1] ? takeFlat(share, positions) : null];
  }
  if (reduce === 'prod') return prodGradients(g, x, v, params, needs, passes);
  return extremeGradients(g, saved, params, needs, hits);
}

/**
 * d/dx (x·Π v) = Π v and d/dvᵢ = x·Π_{j≠i} vⱼ, exact where elements are 0:
 * for vᵢ ≠ 0 the product of the others is (Π v)/vᵢ, which is 0 when another
 * element is 0 and has the right derivative in that element; for vᵢ = 0 it
 * is the product of the nonzero elements when vᵢ is the only zero, else 0.
 * NOTE: in that last case (two zeros at one position) the second derivative
 * between the two zeros comes out 0 instead of the product of the rest, as
 * in PyTorch's formula; first derivatives are exact everywhere.
 */
function prodGradients(
  g: Tensor,
  x: Tensor,
  v: Tensor,
  params: ReduceParams,
  needs: readonly boolean[],
  passes: Tensor,
): [Tensor | null, Tensor | null] {
  const { positions, includeSelf } = params;
  const ones = constant(new Float64Array(x.size).fill(1), x._shape, g.dtype);
  const product = (values: Tensor) => apply(scatterReduceDef, [ones, values], { ...params, includeSelf: true });
  const gx = needs[0] ? (includeSelf ? g.mul(product(v)) : g.mul(passes)) : null;
  if (!needs[1]) return [gx, null];
  const p = positions.storage.data as Int32Array;
  const vd = packedData(v);
  const zero = new Uint8Array(vd.length);
  const zeros = new Int32Array(x.size);
  for (let i = 0; i < vd.length; i++) {
    if (vd[i] === 0) {
      zero[i] = 1;
      const q = p[i] as number;
      zeros[q] = (zeros[q] as number) + 1;
    }
  }
  const isZero = Tensor.fromData(zero, v._shape, 'bool');
  const nonzero = where(isZero, 1, v);
  const all = takeFlat(product(v), positions);
  const lone = constant(
    Array.from(p, (q) => ((zeros[q] as number) === 1 ? 1 : 0)),
    v._shape,
    g.dtype,
  );
  const rest = takeFlat(product(nonzero), positions).mul(lone);
  const factor = where(isZero, rest, all.div(nonzero));
  const scale = includeSelf ? g.mul(x) : g;
  return [gx, takeFlat(scale, positions).mul(factor)];
}

/**
 * amax and amin: g goes to the elements equal to the result, split evenly
 * among ties. NOTE: without includeSelf, x takes no part and gets no share
 * at a written position. PyTorch 1.13 counts x among the ties there anyway
 * (when it equals the result), so its shares then add up to less than g;
 * here they add up to g.
 */
function extremeGradients(
  g: Tensor,
  [x, v, out]: readonly [Tensor, Tensor, Tensor],
  { positions, includeSelf }: ReduceParams,
  needs: readonly boolean[],
  hits: Int32Array,
): [Tensor | null, Tensor | null] {
  const p = positions.storage.data as Int32Array;
  const xd = packedData(x);
  const vd = packedData(v);
  const od = packedData(out);
  const selfTies = new Float64Array(x.size);
  const count = new Float64Array(x.size);
  for (let q = 0; q < x.size; q++) {
    if (hits[q] === 0) continue;
    selfTies[q] = includeSelf && xd[q] === od[q] ? 1 : 0;
    count[q] = selfTies[q] as number;
  }
  const srcTies = new Float64Array(vd.length);
  for (let i = 0; i < vd.length; i++) {
    const q = p[i] as number;
    if (vd[i] === od[q]) {
      srcTies[i] = 1;
      count[q] = (count[q] as number) + 1;
    }
  }
  // Positions nothing was written to pass g through; a NaN result has no ties (count 0): nothing gets g.
  const share = g.div(
    constant(
      Array.from(count, (c, q) => (hits[q] === 0 || c === 0 ? 1 : c)),
      x._shape,
      g.dtype,
    ),
  );
  const keep = constant(
    Array.from(selfTies, (s, q) => (hits[q] === 0 ? 1 : s)),
    x._shape,
    g.dtype,
  );
  return [
    needs[0] ? share.mul(keep) : null,
    needs[1] ? takeFlat(share, positions).mul(constant(srcTies, v._shape, g.dtype)) : null,
  ];
}
