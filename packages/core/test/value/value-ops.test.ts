/**
 * Every Value op's gradient, checked two independent ways on random inputs in
 * its domain: against the derivative written out by hand (calculus tables),
 * and against a central finite difference of the op's own forward value.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { value, type Value, type ValueLike } from '../../src/index';
// The Value ops as functions (Values use them as methods; the functions take a number on either side).
import { add, div, mul, sub } from '../../src/value/ops';

interface UnaryCase {
  name: string;
  apply: (x: Value) => Value;
  /** The derivative from a calculus table, not from the engine. */
  derivative: (x: number) => number;
  min: number;
  max: number;
  /** Points to stay away from (kinks), by at least 1e-3. */
  avoid?: number;
}

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

const unary: UnaryCase[] = [
  { name: 'neg', apply: (x) => x.neg(), derivative: () => -1, min: -10, max: 10 },
  { name: 'exp', apply: (x) => x.exp(), derivative: (x) => Math.exp(x), min: -5, max: 5 },
  { name: 'log', apply: (x) => x.log(), derivative: (x) => 1 / x, min: 0.1, max: 10 },
  { name: 'tanh', apply: (x) => x.tanh(), derivative: (x) => 1 - Math.tanh(x) ** 2, min: -4, max: 4 },
  { name: 'sigmoid', apply: (x) => x.sigmoid(), derivative: (x) => sigma(x) * (1 - sigma(x)), min: -8, max: 8 },
  { name: 'relu', apply: (x) => x.relu(), derivative: (x) => (x > 0 ? 1 : 0), min: -5, max: 5, avoid: 0 },
  { name: 'pow 3', apply: (x) => x.pow(3), derivative: (x) => 3 * x * x, min: -3, max: 3 },
  { name: 'pow -1.5', apply: (x) => x.pow(-1.5), derivative: (x) => -1.5 * x ** -2.5, min: 0.2, max: 5 },
  { name: 'pow 0.5', apply: (x) => x.pow(0.5), derivative: (x) => 0.5 / Math.sqrt(x), min: 0.1, max: 9 },
];

interface BinaryCase {
  name: string;
  apply: (a: ValueLike, b: ValueLike) => Value;
  da: (a: number, b: number) => number;
  db: (a: number, b: number) => number;
  bMin: number;
}

const binary: BinaryCase[] = [
  { name: 'add', apply: add, da: () => 1, db: () => 1, bMin: -5 },
  { name: 'sub', apply: sub, da: () => 1, db: () => -1, bMin: -5 },
  { name: 'mul', apply: mul, da: (_a, b) => b, db: (a) => a, bMin: -5 },
  { name: 'div', apply: div, da: (_a, b) => 1 / b, db: (a, b) => -a / (b * b), bMin: 0.2 },
];

function centralDifference(f: (x: number) => number, x: number, h = 1e-5): number {
  return (f(x + h) - f(x - h)) / (2 * h);
}

const close = (actual: number, expected: number, tol: number) =>
  Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));

function arbIn(min: number, max: number, avoid?: number) {
  return fc.double({ min, max, noNaN: true }).filter((x) => avoid === undefined || Math.abs(x - avoid) > 1e-3);
}

describe('Value unary ops', () => {
  for (const op of unary) {
    it(`${op.name}: gradient = hand-derived derivative = central difference`, () => {
      fc.assert(
        fc.property(arbIn(op.min, op.max, op.avoid), (x0) => {
          const x = value(x0);
          op.apply(x).backward();
          const numeric = centralDifference((t) => op.apply(value(t)).data, x0);
          expect(close(x.grad, op.derivative(x0), 1e-12)).toBe(true);
          expect(close(x.grad, numeric, 1e-6)).toBe(true);
        }),
        { numRuns: 60 },
      );
    });
  }
});

describe('Value binary ops', () => {
  for (const op of binary) {
    it(`${op.name}: both gradients = hand-derived = central difference`, () => {
      fc.assert(
        fc.property(arbIn(-5, 5), arbIn(op.bMin, 5), (a0, b0) => {
          const a = value(a0);
          const b = value(b0);
          op.apply(a, b).backward();
          expect(close(a.grad, op.da(a0, b0), 1e-12)).toBe(true);
          expect(close(b.grad, op.db(a0, b0), 1e-12)).toBe(true);
          expect(
            close(
              a.grad,
              centralDifference((t) => op.apply(value(t), value(b0)).data, a0),
              1e-6,
            ),
          ).toBe(true);
          expect(
            close(
              b.grad,
              centralDifference((t) => op.apply(value(a0), value(t)).data, b0),
              1e-6,
            ),
          ).toBe(true);
        }),
        { numRuns: 60 },
      );
    });
  }

  it("all binary ops: a plain number on either side is a constant; the Value side's gradient is unchanged", () => {
    fc.assert(
      fc.property(arbIn(-5, 5), arbIn(0.2, 5), (a0, b0) => {
        for (const op of binary) {
          const a = value(a0);
          op.apply(a, b0).backward();
          expect(close(a.grad, op.da(a0, b0), 1e-12)).toBe(true);
          const b = value(b0);
          op.apply(a0, b).backward();
          expect(close(b.grad, op.db(a0, b0), 1e-12)).toBe(true);
          const both = op.apply(a0, b0);
          expect(both.requiresGrad).toBe(false);
          expect(both.data).toBe(op.apply(value(a0), value(b0)).data);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('accepts plain numbers on either side and gives them no place in the gradient', () => {
    const x = value(3);
    const y = x.mul(2).add(1).sub(4).div(2); // (2x + 1 - 4) / 2, dy/dx = 1
    y.backward();
    expect(y.data).toBe(1.5);
    expect(x.grad).toBe(1);
  });
});
