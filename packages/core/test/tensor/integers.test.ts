/**
 * Integer dtypes and type promotion against PyTorch 1.13
 * (fixtures/integers.json, made by fixtures/integers.py): the promotion of
 * every dtype pair and operand kind, exact arithmetic that wraps on
 * overflow, bitwise ops, bool arithmetic and float-to-integer casts.
 * chainrule has no int64: where PyTorch answers int64 (a bool tensor plus an
 * integer), int32 is expected instead.
 */
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import { DTypeError, resultType, tensor, type DType, type Tensor } from '../../src/index';
import fixture from './fixtures/integers.json';

type Kind = 'tensor' | 'scalar' | 'number';
const asOurs = (d: string): DType => (d === 'int64' ? 'int32' : (d as DType));

function operand(spec: [string | number, Kind]): Tensor | number {
  const [what, kind] = spec;
  if (kind === 'number') return what as number;
  return tensor(kind === 'tensor' ? [1, 1] : 1, { dtype: what as DType });
}

describe('type promotion matches torch.result_type', () => {
  it(`for all ${fixture.promotion.length} pairs of dtypes and operand kinds`, () => {
    const wrong: string[] = [];
    for (const c of fixture.promotion) {
      const a = operand(c.a as [string, Kind]);
      const b = operand(c.b as [string | number, Kind]);
      const got = resultType(a, b);
      // The op computes in the same dtype (comparisons aside) as resultType says.
      const sum = core.add(a, b);
      if (got !== asOurs(c.result) || (sum.dtype !== got && got !== 'bool'))
        wrong.push(`${JSON.stringify(c.a)} + ${JSON.stringify(c.b)}: ${got}/${sum.dtype}, PyTorch ${c.result}`);
    }
    expect(wrong).toEqual([]);
  });

  it('a float64 0-d tensor does not widen a float32 tensor, as in PyTorch (hand-checked)', () => {
    expect(core.mul(tensor([1, 2]), tensor(2, { dtype: 'float64' })).dtype).toBe('float32');
    expect(core.mul(tensor(1), tensor(2, { dtype: 'float64' })).dtype).toBe('float64');
  });
});

const values = (t: Tensor) => Array.from(t.data());
const ints = (v: readonly (number | boolean)[], dtype: DType) => tensor(Float64Array.from(v, Number), { dtype });

describe('integer arithmetic is exact and wraps as PyTorch', () => {
  for (const c of fixture.arithmetic) {
    const dtype = c.dtype as DType;
    it(`${dtype}: add, sub, mul, maximum, minimum, bitwise ops over every pair of edge values`, () => {
      const a = ints(c.a, dtype);
      const b = ints(c.b, dtype);
      for (const [name, got] of [
        ['add', a.add(b)],
        ['sub', a.sub(b)],
        ['mul', a.mul(b)],
        ['maximum', a.maximum(b)],
        ['minimum', a.minimum(b)],
        ['bitwiseAnd', a.bitwiseAnd(b)],
        ['bitwiseOr', a.bitwiseOr(b)],
        ['bitwiseXor', a.bitwiseXor(b)],
      ] as const) {
        expect([name, got.dtype, values(got)]).toEqual([name, dtype, c[name]]);
      }
      const quotient = a.div(b);
      expect(quotient.dtype).toBe('float32');
      // NOTE: PyTorch converts both to float32 and divides there (two
      // roundings); chainrule divides the exact integers and rounds once, so
      // past 2²⁴ the two may differ by one float32 ulp (ours is the correctly
      // rounded quotient).
      const got = values(quotient);
      const off = c.div.flatMap((v, i) => {
        const want = Number(v);
        const have = got[i] as number;
        if (Object.is(want, have) || (Number.isNaN(want) && Number.isNaN(have))) return [];
        const ulp = Math.abs(Math.fround(want * (1 + 2 ** -23)) - Math.fround(want)) || 2 ** -149;
        return Math.abs(have - want) <= ulp ? [] : [`${c.a[i]}/${c.b[i]}: ${have}, PyTorch ${want}`];
      });
      expect(off).toEqual([]);
    });

    it(`${dtype}: neg, abs, square, bitwiseNot, shifts, pow and a number past the range`, () => {
      const t = ints(c.values, dtype);
      for (const [name, got] of [
        ['neg', t.neg()],
        ['abs', t.abs()],
        ['square', t.square()],
        ['bitwiseNot', t.bitwiseNot()],
      ] as const) {
        expect([name, got.dtype, values(got)]).toEqual([name, dtype, c[name]]);
      }
      const [sa, sb] = [ints(c.shiftA, dtype), ints(c.shiftB, dtype)];
      expect(values(sa.bitwiseLeftShift(sb))).toEqual(c.leftShift);
      expect(values(sa.bitwiseRightShift(sb))).toEqual(c.rightShift);
      for (const { exponent, result } of c.powNumber) {
        const got = t.pow(exponent);
        expect([exponent, got.dtype, values(got)]).toEqual([exponent, dtype, result]);
      }
      const wide = t.unsqueeze(1).pow(tensor(c.powInt32.exponents, { dtype: 'int32' }));
      expect([wide.dtype, wide.toArray()]).toEqual([c.powInt32.dtype, c.powInt32.result]);
      const plus = t.add(c.plusNumber.number);
      expect([plus.dtype, values(plus)]).toEqual([dtype, c.plusNumber.result]);
    });
  }

  for (const c of fixture.arithmetic) {
    it(`${c.dtype}: floorDivide, remainder and fmod exactly, and division by zero refused`, () => {
      const dtype = c.dtype as DType;
      const [a, b] = [ints(c.divA, dtype), ints(c.divB, dtype)];
      for (const [name, got] of [
        ['floorDivide', core.floorDivide(a, b)],
        ['remainder', core.remainder(a, b)],
        ['fmod', core.fmod(a, b)],
      ] as const) {
        expect([name, got.dtype, values(got)]).toEqual([name, dtype, c[name]]);
      }
      expect(() =>
        core.floorDivide(a, ints([1, 0], dtype).reshape([2, 1]).expand([2, a.size]).slice(0, 1, 2).flatten()),
      ).toThrow(/^floorDivide: integer division by zero/);
      expect(() => core.remainder(a, 0)).toThrow(/^remainder: integer division by zero/);
    });
  }

  it('refuses a negative or out-of-range number exponent, as PyTorch', () => {
    const t = tensor([3], { dtype: 'uint8' });
    expect(() => t.pow(-1)).toThrow(DTypeError);
    expect(() => t.pow(300)).toThrow(/^pow: the exponent 300 does not fit uint8 \(0\.\.255\)/);
    expect(() => tensor([3], { dtype: 'int32' }).pow(-2)).toThrow(
      /^pow: an int32 tensor to the negative integer power -2/,
    );
  });
});

describe('bool arithmetic', () => {
  const { a, b } = fixture.bools;
  it('add is OR, mul is AND, maximum and the bitwise ops are logical, as PyTorch', () => {
    const [x, y] = [tensor(a), tensor(b)];
    const bools = (t: Tensor) => [t.dtype, values(t).map((v) => v !== 0)];
    expect(bools(x.add(y))).toEqual(['bool', fixture.bools.add]);
    expect(bools(x.mul(y))).toEqual(['bool', fixture.bools.mul]);
    expect(bools(x.maximum(y))).toEqual(['bool', fixture.bools.maximum]);
    expect(bools(x.bitwiseXor(y))).toEqual(['bool', fixture.bools.bitwiseXor]);
    expect(bools(x.bitwiseNot())).toEqual(['bool', fixture.bools.bitwiseNot]);
    const plusOne = x.add(1);
    expect([plusOne.dtype, values(plusOne)]).toEqual([
      asOurs(fixture.bools.plusOne.dtype),
      fixture.bools.plusOne.values,
    ]);
  });

  it('refuses mask - mask and -mask with what to use instead, as PyTorch', () => {
    expect(() => tensor(a).sub(tensor(b))).toThrow(/^sub: two bool operands are not accepted; use logicalXor/);
    expect(() => tensor(a).neg()).toThrow(/^neg: a bool tensor is not accepted; use logicalNot/);
  });
});

describe('to(dtype) from floats, as PyTorch 1.13 on x86', () => {
  const { casts } = fixture;
  for (const dtype of ['uint8', 'int8', 'int16', 'int32'] as const) {
    it(`to ${dtype}: truncation toward zero and PyTorch's answers out of range`, () => {
      expect(values(tensor(casts.values, { dtype: 'float64' }).to(dtype))).toEqual(casts[dtype]);
    });
  }
  it('NaN and ±Infinity to int32 are -2³¹', () => {
    expect(values(tensor([NaN, Infinity, -Infinity]).to('int32'))).toEqual(casts.special.int32);
  });
});

describe('bitwise ops refuse floats', () => {
  it('with a typed error naming the dtype and what is accepted', () => {
    expect(() => core.bitwiseAnd(tensor([1.5]), tensor([1], { dtype: 'int32' }))).toThrow(
      /^bitwiseAnd: float32 is not an integer or bool dtype; bitwiseAnd takes uint8, int8, int16, int32 or bool tensors/,
    );
    expect(() => core.bitwiseOr(tensor([1], { dtype: 'int32' }), 0.5)).toThrow(DTypeError);
    expect(() => tensor([1]).bitwiseNot()).toThrow(/^bitwiseNot: float32 is not an integer or bool dtype/);
  });
});
