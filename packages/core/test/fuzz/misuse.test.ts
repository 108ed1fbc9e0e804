/**
 * Misuse that used to pass silently or fail with an untyped error (issue 25,
 * the core-input and resource part), one block per kind: each case failed
 * before its fix. Threads and dying workers are in misuse-threads.test.ts
 * (they change the process's worker pool).
 */
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import {
  ArgumentError,
  DTypeError,
  ShapeError,
  detectAnomaly,
  enableGrad,
  grad,
  isAnomalyEnabled,
  isGradEnabled,
  noGrad,
  ones,
  setBackend,
  tensor,
  toDot,
  toMermaid,
  value,
  valueAndGrad,
  zeros,
  type Tensor,
} from '../../src/index';
import { gradcheck } from '../../src/testing/index';
import { gemmDirect, gemmPacked, packedFloats, setMaxPanelFloats } from '../../src/kernels/matmul';

type Loose = (...args: unknown[]) => unknown;
const call = (f: unknown, ...args: unknown[]) => (f as Loose)(...args);

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the call to throw');
}

describe('strict inputs: holes, mixed data, non-boolean flags, unknown option keys', () => {
  it('refuses holes of sparse arrays, naming the position (they read as zeros at the end)', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the input under test
    const e1 = errorOf(() => tensor([1, , 3] as number[]));
    expect(e1).toBeInstanceOf(ArgumentError);
    expect(e1.message).toMatch(/^tensor: element \[1\] is a hole/);
    const e2 = errorOf(() => tensor(Array(3) as number[]));
    expect(e2).toBeInstanceOf(ArgumentError);
    expect(e2.message).toMatch(/^tensor: element \[0\] is a hole/);
    const e3 = errorOf(() =>
      tensor([
        [1, 2],
        // biome-ignore lint/suspicious/noSparseArray: the hole is the input under test
        [3, ,],
      ] as number[][]),
    );
    expect(e3.message).toMatch(/^tensor: element \[1\]\[1\] is a hole/);
    // An explicit undefined is not a hole, and was already refused.
    expect(() => tensor([1, undefined, 3] as unknown as number[])).toThrow(/^tensor: element \[1\] is undefined/);
  });

  it('refuses data mixing booleans and numbers ([true, 2] was bool [1, 1])', () => {
    for (const data of [
      [true, 2],
      [2, true],
      [[false], [1]],
    ]) {
      const e = errorOf(() => tensor(data as never));
      expect(e).toBeInstanceOf(DTypeError);
      expect(e.message).toMatch(/^tensor: element .* the data must be all numbers or all booleans/);
    }
    // Uniform data still makes its dtype.
    expect(tensor([true, false]).dtype).toBe('bool');
    expect(tensor([true, false]).toArray()).toEqual([1, 0]);
    expect(tensor([[1], [2]]).toArray()).toEqual([[1], [2]]);
  });

  it('refuses flags that are not booleans (requiresGrad: "yes" was false, "no" was true)', () => {
    expect(errorOf(() => tensor([1], { requiresGrad: 'yes' as never }))).toBeInstanceOf(ArgumentError);
    expect(errorOf(() => tensor([1], { requiresGrad: 'yes' as never })).message).toMatch(
      /^tensor: option 'requiresGrad' must be true or false, got "yes"/,
    );
    expect(errorOf(() => zeros([1], { requiresGrad: 1 as never })).message).toMatch(/^zeros: option 'requiresGrad'/);
    expect(errorOf(() => value(1, { requiresGrad: 'no' as never })).message).toMatch(
      /^value: option 'requiresGrad' must be true or false, got "no"/,
    );
    const y = tensor([1], { requiresGrad: true }).mul(2);
    expect(errorOf(() => y.backward(undefined, { retainGraph: 'yes' as never })).message).toMatch(
      /^backward: option 'retainGraph'/,
    );
    const v = value(2).mul(3);
    expect(errorOf(() => v.backward({ retainGraph: 1 as never })).message).toMatch(/^backward: option 'retainGraph'/);
    // Real booleans still work both ways.
    expect(tensor([1], { requiresGrad: false }).requiresGrad).toBe(false);
    expect(value(1, { requiresGrad: false }).requiresGrad).toBe(false);
  });

  const t = () => tensor([1, 2]);
  const y = () => tensor([1, 2], { requiresGrad: true }).mul(2).sum();
  const create = 'dtype, requiresGrad';
  const random = 'dtype, requiresGrad, generator';
  // [name in the message, the call with one misspelt key, the accepted keys].
  const cases: [string, (o: object) => unknown, string][] = [
    ['tensor', (o) => call(core.tensor, [1], o), 'dtype, requiresGrad, shape'],
    ['zeros', (o) => call(core.zeros, [2], o), create],
    ['ones', (o) => call(core.ones, [2], o), create],
    ['full', (o) => call(core.full, [2], 1, o), create],
    ['zerosLike', (o) => call(core.zerosLike, t(), o), create],
    ['onesLike', (o) => call(core.onesLike, t(), o), create],
    ['fullLike', (o) => call(core.fullLike, t(), 3, o), create],
    ['eye', (o) => call(core.eye, 2, 2, o), create],
    ['arange', (o) => call(core.arange, 0, 3, 1, o), create],
    ['linspace', (o) => call(core.linspace, 0, 1, 3, o), create],
    ['rand', (o) => call(core.rand, [2], o), random],
    ['randn', (o) => call(core.randn, [2], o), random],
    ['randLike', (o) => call(core.randLike, t(), o), random],
    ['randnLike', (o) => call(core.randnLike, t(), o), random],
    ['randperm', (o) => call(core.randperm, 3, o), 'generator'],
    ['value', (o) => call(core.value, 1, o), 'label, requiresGrad'],
    ['backward', (o) => y().backward(undefined, o as never), 'retainGraph, createGraph'],
    [
      'backward',
      (o) =>
        value(2)
          .mul(3)
          .backward(o as never),
      'retainGraph',
    ],
    ['grad', (o) => call(grad, (x: Tensor) => x.sum(), o), 'argnums'],
    ['grad', (o) => call(valueAndGrad, (x: Tensor) => x.sum(), o), 'argnums'],
    [
      'gradcheck',
      (o) => call(gradcheck, (x: Tensor) => x.sum(), [tensor([1], { dtype: 'float64' })], o),
      'eps, atol, rtol, argnums, seed',
    ],
    ['toDot', (o) => call(toDot, y(), o), 'maxNodes, maxElements'],
    ['toMermaid', (o) => call(toMermaid, y(), o), 'maxNodes, maxElements'],
  ];
  it.each(cases)('%s: an unknown option key is an ArgumentError listing the accepted ones', (name, f, accepted) => {
    const e = errorOf(() => f({ requiresgrad: true }));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe(`${name}: unknown option 'requiresgrad'; accepted: ${accepted}`);
    // The accepted keys, given valid values, are accepted: only unknown keys are refused.
    expect(() => f({})).not.toThrow();
  });
});

describe('argnums naming an argument twice', () => {
  it('gives the same gradient twice, as JAX does (one of them was zero)', () => {
    // f(x, y) = Σ x²·y, so ∂f/∂x = 2xy = [2·1·3, 2·2·4] = [6, 16] and ∂f/∂y = x² = [1, 4].
    const f = (x: Tensor, y: Tensor) => x.square().mul(y).sum();
    const x = tensor([1, 2], { dtype: 'float64' });
    const y = tensor([3, 4], { dtype: 'float64' });
    const twice = grad(f, { argnums: [0, 0] })(x, y);
    expect(twice.map((g) => g.toArray())).toEqual([
      [6, 16],
      [6, 16],
    ]);
    expect(twice[0]).not.toBe(twice[1]); // separate tensors: updating one in place must not change the other
    const [loss, mixed] = valueAndGrad(f, { argnums: [1, 0, 1] })(x, y);
    expect(loss.item()).toBe(19); // 1·3 + 4·4
    expect(mixed.map((g) => g.toArray())).toEqual([
      [1, 4],
      [6, 16],
      [1, 4],
    ]);
  });
});

describe('grad mode and anomaly mode refuse async functions', () => {
  const modes: [string, (fn: () => unknown) => unknown][] = [
    ['noGrad', noGrad],
    ['enableGrad', (fn) => noGrad(() => enableGrad(fn))],
    ['detectAnomaly', detectAnomaly],
  ];
  it.each(modes)(
    '%s: a function returning a promise is an ArgumentError thrown with the mode already restored',
    async (name, run) => {
      let after: boolean[] = [];
      const e = errorOf(() =>
        run(async () => {
          await Promise.resolve();
        }),
      );
      after = [isGradEnabled(), isAnomalyEnabled()];
      expect(e).toBeInstanceOf(ArgumentError);
      expect(e.message).toMatch(new RegExp(`^${name}: the function returned a promise`));
      expect(after).toEqual([true, false]);
      // Any thenable, not only native promises.
      // biome-ignore lint/suspicious/noThenProperty: a hand-made thenable is the input under test
      expect(() => run(() => ({ then: () => undefined }))).toThrow(ArgumentError);
      await Promise.resolve();
    },
  );

  it('still runs synchronous functions, nested, and restores each level', () => {
    const seen = noGrad(() => {
      const inner = enableGrad(() => detectAnomaly(() => [isGradEnabled(), isAnomalyEnabled()]));
      return [isGradEnabled(), isAnomalyEnabled(), ...inner];
    });
    expect(seen).toEqual([false, false, true, true]);
    expect([isGradEnabled(), isAnomalyEnabled()]).toEqual([true, false]);
    expect(noGrad(() => 42)).toBe(42);
  });
});

describe('sizes are checked before allocating', () => {
  it('toArray of a huge expanded view is a ShapeError at once (it died of out-of-memory after 10 s)', () => {
    const started = Date.now();
    const e = errorOf(() =>
      ones([1])
        .expand([2 ** 31 - 1])
        .toArray(),
    );
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(
      /^toArray: the tensor of shape \[2147483647\] has 2147483647 elements; .* limited to 67108864 \(2\*\*26\)/,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('results of broadcasting or of matmul too large for a typed array are ShapeErrors (they were raw RangeErrors)', () => {
    const tall = ones([1, 1]).expand([2 ** 20, 1]);
    const wide = ones([1, 1]).expand([1, 2 ** 20]);
    const e1 = errorOf(() => tall.matmul(wide));
    expect(e1).toBeInstanceOf(ShapeError);
    expect(e1.message).toMatch(
      /^matmul: the result would have shape \[1048576,1048576\], 1099511627776 elements, more than the 2147483647/,
    );
    const e2 = errorOf(() => tall.add(wide));
    expect(e2).toBeInstanceOf(ShapeError);
    expect(e2.message).toMatch(/^add: the result would have shape \[1048576,1048576\]/);
  });

  it('the JavaScript matmul kernel does not pack operands past its bound: it reads them in place', () => {
    const previous = setMaxPanelFloats(16);
    try {
      setBackend('js');
      const m = 9,
        k = 300,
        n = 11;
      const packedBefore = packedFloats();
      expect(packedBefore).toBeLessThan(12 * k); // packing these operands would have to grow the buffers
      const A = {
        data: Float64Array.from({ length: m * k }, (_, i) => Math.sin(i)),
        offset: 0,
        rowStride: k,
        colStride: 1,
      };
      const B = {
        data: Float64Array.from({ length: k * n }, (_, i) => Math.cos(i)),
        offset: 0,
        rowStride: 1,
        colStride: k,
      };
      const got = new Float64Array(m * n);
      const want = new Float64Array(m * n);
      gemmPacked(A, B, got, 0, m, k, n);
      gemmDirect(A, B, want, 0, m, k, n);
      expect(packedFloats()).toBe(packedBefore);
      expect(got).toEqual(want); // the direct loop's own order: bit for bit
    } finally {
      setMaxPanelFloats(previous);
      setBackend(null);
    }
  });
});

describe('labels and gradients are checked where they are set', () => {
  it('a label that is not a string is an ArgumentError (toDot failed later with text.replace is not a function)', () => {
    const x = tensor([1], { requiresGrad: true });
    expect(errorOf(() => (x.label = 5 as never))).toBeInstanceOf(ArgumentError);
    expect(errorOf(() => (x.label = 5 as never)).message).toMatch(
      /^label: a label must be a string or undefined, got 5/,
    );
    expect(x.label).toBeUndefined();
    const v = value(1);
    expect(errorOf(() => (v.label = 5 as never)).message).toMatch(/^label: /);
    expect(errorOf(() => value(1, { label: 5 as never })).message).toMatch(/^value: label must be a string/);
    x.label = 'w';
    const y = x.mul(2);
    expect(toDot(y)).toContain('w');
    expect(toMermaid(y)).toContain('w');
  });

  it('assigning a non-Tensor, or a tensor of another shape or dtype, to .grad is refused and changes nothing', () => {
    const b = tensor([1, 2], { requiresGrad: true });
    const e = errorOf(() => (b.grad = 5 as never));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toMatch(/^grad: a gradient must be a Tensor or null, got number 5/);
    expect(errorOf(() => (b.grad = tensor([1, 2, 3])))).toBeInstanceOf(ShapeError);
    expect(errorOf(() => (b.grad = tensor([1, 2], { dtype: 'float64' })))).toBeInstanceOf(DTypeError);
    expect(b.grad).toBeNull();
    // backward then works: d/db Σ b² = 2b.
    b.square().sum().backward();
    expect(b.grad?.toArray()).toEqual([2, 4]);
    // What optimizers assign still works.
    b.grad = null;
    expect(b.grad).toBeNull();
    const g = tensor([0.5, 0.25]);
    b.grad = g;
    expect(b.grad).toBe(g);
  });
});

describe('shapes and strides are handed out safely', () => {
  it('cannot be changed through x.shape or x.strides (x.reshape(x.shape.reverse()) rewrote x)', () => {
    const x = zeros([2, 3]);
    expect(() => (x.shape as number[]).reverse()).toThrow(TypeError);
    expect(() => {
      (x.shape as number[])[0] = 7;
    }).toThrow(TypeError);
    expect(() => (x.strides as number[]).push(1)).toThrow(TypeError);
    expect(x.shape).toEqual([2, 3]);
    expect(x.strides).toEqual([3, 1]);
    // A copy works as before, and x's own shape, as the engine reads it, is unchanged.
    const r = x.reshape([...x.shape].reverse());
    expect(r.shape).toEqual([3, 2]);
    expect(x.reshape([6]).shape).toEqual([6]);
    expect(x.add(1).shape).toEqual([2, 3]);
    expect(Object.isFrozen(r.shape) && Object.isFrozen(r.strides) && Object.isFrozen(x.T.shape)).toBe(true);
  });
});
