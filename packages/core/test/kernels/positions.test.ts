/**
 * The position kernels of the indexing ops against their definitions:
 * stridedOffsets (a row-major walk with any strides, negative and 0 too)
 * against base + Σ cᵈ·strideᵈ computed from each flat index on its own.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineOffsets, stridedOffsets, truePositions } from '../../src/kernels/positions';

/** base + Σ c[d]·strides[d] for the coordinates c of flat index i, one at a time. */
function definition(shape: number[], strides: number[], base: number): number[] {
  const size = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: size }, (_, i) => {
    let rest = i;
    let offset = base;
    for (let d = shape.length - 1; d >= 0; d--) {
      offset += (rest % (shape[d] as number)) * (strides[d] as number);
      rest = Math.floor(rest / (shape[d] as number));
    }
    return offset;
  });
}

describe('stridedOffsets', () => {
  it('equals the definition for any shape (0-sized and 0-d too) and strides', () => {
    const layout = fc
      .array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 })
      .chain((shape) =>
        fc.tuple(
          fc.constant(shape),
          fc.array(fc.integer({ min: -20, max: 20 }), { minLength: shape.length, maxLength: shape.length }),
          fc.integer({ min: 0, max: 100 }),
        ),
      );
    fc.assert(
      fc.property(layout, ([shape, strides, base]) => {
        expect(Array.from(stridedOffsets(shape, strides, base))).toEqual(definition(shape, strides, base));
      }),
    );
  });
});

describe('combineOffsets and truePositions', () => {
  it('add every (outer, middle, inner) triple in row-major order; find the nonzero (NaN too) elements', () => {
    const got = combineOffsets(Int32Array.of(0, 100), Int32Array.of(10, 20), Int32Array.of(1, 2));
    expect(Array.from(got)).toEqual([11, 12, 21, 22, 111, 112, 121, 122]);
    expect(Array.from(truePositions([0, 1, 0, Number.NaN, -0, 2]))).toEqual([1, 3, 5]);
  });
});
