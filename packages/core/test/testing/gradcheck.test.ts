import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import {
  ArgumentError,
  customOp,
  randn,
  tensor,
  value,
  zeros,
  Generator,
  type Tensor,
  type Value,
} from '../../src/index';
import {
  assertGradcheck,
  assertGradgradcheck,
  formatReport,
  gradcheck,
  gradgradcheck,
  GradcheckError,
} from '../../src/testing/index';

const generator = new Generator(7);
const f64 = (shape: number[]) => randn(shape, { dtype: 'float64', generator });

/** Swish x·σ(x) with its hand-derived derivative σ(x)(1 + x(1 - σ(x))). */
const swish = customOp({
  name: 'swish',
  forward(ctx, x) {
    ctx.save(x);
    return x.mul(x.sigmoid());
  },
  backward({ saved: [x] }, g) {
    const s = x!.sigmoid();
    return g.mul(s.mul(x!.mul(s.neg().add(1)).add(1)));
  },
});

/** a·b whose b-gradient is off by exactly 1 at element [1,2] and right everywhere else. */
const mulWithOneBadEntry = customOp({
  name: 'mulWithOneBadEntry',
  forward(ctx, a, b) {
    ctx.save(a, b);
    return a.mul(b);
  },
  backward({ saved: [a, b] }, g) {
    const bump = zeros([2, 3], { dtype: 'float64' });
    bump.buffer[5] = 1; // row-major position of [1,2] in a [2,3] tensor
    return [g.mul(b!), g.mul(a!).add(bump)];
  },
});

describe('gradcheck on functions of Tensors', () => {
  it('passes a custom op whose backward is right', () => {
    const report = gradcheck((x: Tensor) => swish(x), [f64([3, 4])]);
    expect(report.ok).toBe(true);
    expect(report.checked).toBe(12);
    expect(report.mismatches).toBe(0);
    expect(report.maxAbsError).toBeLessThan(1e-7);
    expect(report.order).toBe(1);
  });

  it('reports the input and the element where a backward rule is wrong', () => {
    const report = gradcheck((a: Tensor, b: Tensor) => mulWithOneBadEntry(a, b), [f64([2, 3]), f64([2, 3])]);
    expect(report.ok).toBe(false);
    expect(report.mismatches).toBe(1);
    expect(report.checked).toBe(12);
    const worst = report.worst!;
    expect(worst.input).toBe(1);
    expect(worst.index).toEqual([1, 2]);
    expect(worst.flatIndex).toBe(5);
    // The bug adds exactly 1 to the vector-Jacobian product at that entry.
    expect(worst.analytic - worst.numeric).toBeAllClose(1, { atol: 1e-6 });
    expect(report.failures).toEqual([worst]);
    const text = formatReport(report);
    expect(text).toContain('1 of 12 entries are off');
    expect(text).toContain('worst: input 1, element [1,2]: analytic ');
  });

  it('checks the vector-Jacobian product of a non-scalar output with a seeded random cotangent', () => {
    const inputs = [f64([2, 3]), f64([2, 3])] as const;
    const first = gradcheck((a: Tensor, b: Tensor) => mulWithOneBadEntry(a, b), inputs, { seed: 3 });
    const again = gradcheck((a: Tensor, b: Tensor) => mulWithOneBadEntry(a, b), inputs, { seed: 3 });
    const other = gradcheck((a: Tensor, b: Tensor) => mulWithOneBadEntry(a, b), inputs, { seed: 4 });
    expect(first.output.cotangent).toBe('a random normal cotangent (seed 3)');
    expect(again.worst).toEqual(first.worst);
    expect(other.worst!.numeric).not.toBe(first.worst!.numeric);
  });

  it('checks only the inputs argnums names, and passes other arguments through', () => {
    const inputs = [f64([2, 3]), f64([2, 3])] as const;
    expect(gradcheck((a: Tensor, b: Tensor) => mulWithOneBadEntry(a, b), inputs, { argnums: 0 }).ok).toBe(true);
    expect(gradcheck((a: Tensor, b: Tensor) => mulWithOneBadEntry(a, b), inputs, { argnums: [-1] }).ok).toBe(false);
    // An int32 index tensor and a number are arguments too, never checked.
    const index = tensor([[2, 0]], { dtype: 'int32' });
    const report = gradcheck((x: Tensor, i: Tensor, k: number) => x.gather(1, i).mul(k), [f64([1, 3]), index, 3]);
    expect(report.ok).toBe(true);
    expect(report.inputs.map((i) => i.position)).toEqual([0]);
  });

  it('checks float32 inputs as float64 copies and says so', () => {
    const x = randn([4], { generator });
    const report = gradcheck((t: Tensor) => t.sin().sum(), [x]);
    expect(report.ok).toBe(true);
    expect(report.inputs[0]!.upcast).toBe(true);
    expect(formatReport(report)).toContain('float32 [4], checked as a float64 copy');
  });

  it('explains when f itself computes in float32', () => {
    const report = gradcheck((t: Tensor) => t.to('float32').sin(), [f64([4])]);
    expect(report.output.dtype).toBe('float32');
    expect(report.notes.join('\n')).toContain('part of f computes in float32');
  });

  it("leaves the caller's tensors as they were", () => {
    const x = f64([3]).requireGrad();
    const before = Array.from(x.data());
    gradcheck((t: Tensor) => t.exp().sum(), [x]);
    expect(Array.from(x.data())).toEqual(before);
    expect(x.grad).toBeNull();
  });

  it('tells a kink from a wrong rule', () => {
    // relu at exactly 0: the central difference is 1/2, the rule says 0 (PyTorch's convention).
    const report = gradcheck((t: Tensor) => t.relu().sum(), [tensor([0, 1], { dtype: 'float64' })]);
    expect(report.ok).toBe(false);
    expect(report.worst!.index).toEqual([0]);
    expect(report.worst!.numeric).toBeAllClose(0.5, { atol: 1e-6 });
    expect(report.notes.join('\n')).toContain(
      'one-sided differences at the worst entry disagree (1 from the right, 0 from the left)',
    );
  });

  it('points out a constant factor in a wrong rule', () => {
    const doubled = customOp({
      name: 'doubledSin',
      forward(ctx, x) {
        ctx.save(x);
        return x.sin();
      },
      backward: ({ saved: [x] }, g) => g.mul(x!.cos()).mul(2),
    });
    const report = gradcheck((t: Tensor) => doubled(t), [tensor([0.1, 0.5, 1], { dtype: 'float64' })]);
    expect(report.notes.join('\n')).toContain(
      "the engine's derivative is 2 times the finite difference at every mismatch",
    );
  });

  it("reports a finite difference that is not finite, outside f's domain", () => {
    const report = gradcheck((t: Tensor) => t.sqrt().sum(), [tensor([0, 1], { dtype: 'float64' })]);
    expect(report.ok).toBe(false);
    expect(report.notes.join('\n')).toContain('the finite difference is not finite');
  });
});

describe('gradcheck on functions of Values', () => {
  it("passes the engine's Value ops", () => {
    const report = gradcheck((a: Value, b: Value) => a.mul(b).tanh().add(a.exp()), [value(0.3), value(-1.2)]);
    expect(report.ok).toBe(true);
    expect(report.checked).toBe(2);
  });

  it('catches a gradient that does not reach an input', () => {
    // detach() cuts b from the graph, yet f still depends on b: the engine says 0, f moves by a = 0.5.
    const report = gradcheck((a: Value, b: Value) => a.mul(b.detach()), [value(0.5), value(2)]);
    expect(report.ok).toBe(false);
    expect(report.worst!.input).toBe(1);
    expect(report.worst!.analytic).toBe(0);
    expect(report.worst!.numeric).toBeAllClose(0.5, { atol: 1e-8 });
  });
});

describe('gradgradcheck', () => {
  it('passes second derivatives of ops built from primitives', () => {
    const report = gradgradcheck((x: Tensor, w: Tensor) => x.matmul(w).tanh(), [f64([2, 3]), f64([3, 2])]);
    expect(report.ok).toBe(true);
    expect(report.order).toBe(2);
    expect(report.checked).toBe(12);
  });

  it('catches a backward rule that is right but not differentiable (it detaches what it reads)', () => {
    const sinDetached = customOp({
      name: 'sinDetached',
      forward(ctx, x) {
        ctx.save(x);
        return x.sin();
      },
      // First derivatives are right; the second derivative -sin(x) is lost.
      backward: ({ saved: [x] }, g) => g.mul(x!.detach().cos()),
    });
    const x = tensor([0.5, 1, 2], { dtype: 'float64' });
    expect(gradcheck((t: Tensor) => sinDetached(t), [x]).ok).toBe(true);
    const report = gradgradcheck((t: Tensor) => sinDetached(t), [x]);
    expect(report.ok).toBe(false);
    expect(report.mismatches).toBe(3);
    expect(formatReport(report)).toContain(
      'the second derivative does not match finite differences: 3 of 3 entries are off',
    );
  });

  it('refuses Values, which are first-order only', () => {
    expect(() => gradgradcheck((a: Value) => a.mul(a), [value(1)])).toThrow(ArgumentError);
  });
});

describe('assertGradcheck and assertGradgradcheck', () => {
  it('return the report when the check passes', () => {
    expect(assertGradcheck((x: Tensor) => swish(x), [f64([3])]).ok).toBe(true);
    expect(assertGradgradcheck((x: Tensor) => swish(x), [f64([3])]).ok).toBe(true);
  });

  it('throw a GradcheckError whose message is the report', () => {
    const inputs = [f64([2, 3]), f64([2, 3])] as const;
    let error: unknown;
    try {
      assertGradcheck((a: Tensor, b: Tensor) => mulWithOneBadEntry(a, b), inputs);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GradcheckError);
    const e = error as GradcheckError;
    expect(e.op).toBe('gradcheck');
    expect(e.message).toBe(`gradcheck: ${formatReport(e.report)}`);
    expect(e.report.worst!.index).toEqual([1, 2]);
    // Test runners print an error's serialized form after its message; the report is not repeated there.
    expect(JSON.parse(JSON.stringify(e))).toEqual({ name: 'GradcheckError', op: 'gradcheck', message: e.message });
  });
});

describe('gradcheck refuses what it cannot check, with a typed error', () => {
  const x = f64([2]);
  it.each([
    ['no checkable input', () => gradcheck((_n: number, _s: string) => x.sum(), [1, 'a']), 'no input to check'],
    [
      'Tensors mixed with Values',
      () => gradcheck((t: Tensor, v: Value) => t.mul(v.data), [x, value(1)]),
      'mix Tensors and Values',
    ],
    [
      'argnums naming an int32 tensor',
      () => gradcheck((t: Tensor) => t.sum(), [tensor([1], { dtype: 'int32' })], { argnums: 0 }),
      'input 0, which is an int32 Tensor',
    ],
    [
      'argnums out of range',
      () => gradcheck((t: Tensor) => t.sum(), [x], { argnums: 1 }),
      'argnums 1 is out of range for 1 input(s)',
    ],
    [
      'a non-finite input',
      () => gradcheck((t: Tensor) => t.sum(), [tensor([1, NaN], { dtype: 'float64' })]),
      'holds NaN at element 1',
    ],
    ['an eps of 0', () => gradcheck((t: Tensor) => t.sum(), [x], { eps: 0 }), 'eps must be a finite number > 0'],
    [
      'f returning a number',
      () => gradcheck(((t: Tensor) => t.sum().item()) as unknown as (t: Tensor) => Tensor, [x]),
      'f must return a Tensor',
    ],
    ['f returning a bool tensor', () => gradcheck((t: Tensor) => t.gt(0), [x]), 'f returned a bool tensor'],
  ])('%s', (_, run, message) => {
    expect(run).toThrow(ArgumentError);
    expect(run).toThrow(message);
  });
});
