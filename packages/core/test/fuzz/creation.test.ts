/**
 * Creation functions with any dtype and any values: what each element holds
 * is what storing the value in that dtype means (float32 rounds, int32
 * truncates toward zero as JavaScript's Int32Array does, bool is "nonzero",
 * NaN included, as in PyTorch), whatever way the tensor was made.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, full, linspace, tensor, type DType, type Tensor } from '../../src/index';
import { arbElement, dtypes } from './arbitraries';
import { expectContract, fuzzRuns } from './contract';
import { store } from './reference';

const arbValue = fc.oneof(arbElement, fc.constantFrom(0.25, -0.75, 255, 256, -1, 2 ** 31, 1e10));

function expectStored(t: Tensor, dtype: DType, values: readonly number[], where: string): void {
  expect(t.dtype, where).toBe(dtype);
  const show = (xs: readonly number[]) => xs.map((x) => (Number.isNaN(x) ? 'NaN' : Object.is(x, -0) ? 0 : x));
  expect(show(Array.from(t.data())), where).toEqual(show(values.map((v) => store(dtype, v))));
}

describe('values stored by the creation functions', () => {
  it('tensor() from nested arrays and from typed arrays, with a dtype', () => {
    fc.assert(
      fc.property(fc.array(arbValue, { maxLength: 6 }), fc.constantFrom(...dtypes), (values, dtype) => {
        const nested = expectContract('tensor', () => tensor(values, { dtype }));
        if (nested.ok)
          expectStored(nested.value as Tensor, dtype, values, `tensor(${JSON.stringify(values)}, '${dtype}')`);
        const typed = expectContract('tensor', () => tensor(Float64Array.from(values), { dtype }));
        if (typed.ok)
          expectStored(
            typed.value as Tensor,
            dtype,
            values,
            `tensor(Float64Array ${JSON.stringify(values)}, '${dtype}')`,
          );
      }),
      { numRuns: fuzzRuns(100) },
    );
  });

  it('full, arange and linspace with a dtype', () => {
    fc.assert(
      fc.property(arbValue, fc.integer({ min: 0, max: 4 }), fc.constantFrom(...dtypes), (v, n, dtype) => {
        const filled = expectContract('full', () => full([n], v, { dtype }));
        if (filled.ok)
          expectStored(filled.value as Tensor, dtype, new Array<number>(n).fill(v), `full([${n}], ${v}, '${dtype}')`);
        if (!Number.isFinite(v)) return;
        const step = 0.75;
        const stop = v + n * step;
        // NumPy's count, ceil((stop - start) / step) in float64: stop - v is n·step only up to
        // rounding, so the count can be n + 1 (see the pinned example below), or n - 1.
        const count = Math.max(0, Math.ceil((stop - v) / step));
        const ranged = expectContract('arange', () => arange(v, stop, step, { dtype }));
        if (ranged.ok)
          expectStored(
            ranged.value as Tensor,
            dtype,
            Array.from({ length: count }, (_, i) => v + i * step),
            `arange(${v}, +${n}·${step}, '${dtype}')`,
          );
        const spaced = expectContract('linspace', () => linspace(v, v + 1, n, { dtype }));
        // start + i·(end - start)/(steps - 1), the end itself last: what is checked here is how each is stored.
        const delta = n > 1 ? (v + 1 - v) / (n - 1) : 0;
        const expected = Array.from({ length: n }, (_, i) => (n > 1 && i === n - 1 ? v + 1 : v + i * delta));
        if (spaced.ok)
          expectStored(spaced.value as Tensor, dtype, expected, `linspace(${v}, ${v + 1}, ${n}, '${dtype}')`);
      }),
      { numRuns: fuzzRuns(100) },
    );
  });
});

describe('arange counts elements as NumPy does', () => {
  it('arange(0.676919756592174, 0.676919756592174 + 0.75, 0.75) has 2 elements, not 1', () => {
    // Found by the property above. In float64, start = 0.676919756592174 is
    // 0.67691975659217396010802758610225282609462738037109375 and start + 0.75
    // rounds to 1.426919756592174071130330048617906868457794189453125, so
    // stop - start = 0.75000000000000011102230246251565404236316680908203125
    // (0.75 + 2⁻⁵³), whose quotient by 0.75 rounds to 1 + 2⁻⁵² and ceil(1 + 2⁻⁵²) = 2.
    // numpy.arange(0.676919756592174, 1.426919756592174, 0.75) returns 2 elements too.
    const start = 0.676919756592174;
    const t = arange(start, start + 0.75, 0.75, { dtype: 'float64' });
    expect(t.shape).toEqual([2]);
    expect(Array.from(t.data())).toEqual([0.676919756592174, 1.426919756592174]);
  });
});
