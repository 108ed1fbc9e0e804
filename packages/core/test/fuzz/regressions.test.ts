/**
 * Calls the fuzzers found breaking the contract (a raw TypeError/RangeError,
 * an error naming the wrong function, a hang), each pinned here as an example
 * next to the fix, so it stays fixed whatever the fuzzers draw next time.
 */
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import { ChainruleError, tensor } from '../../src/index';

type Loose = (...args: unknown[]) => unknown;
const call = (f: unknown, ...args: unknown[]) => (f as Loose)(...args);

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

describe('error messages describe any argument without throwing themselves', () => {
  // String(Object.create(null)) throws a TypeError, and so does `${Symbol()}`:
  // the message meant to explain the mistake must not become a new one.
  const nullProto = Object.create(null) as unknown;
  const cases: [string, () => unknown][] = [
    ['leakyRelu', () => call(core.leakyRelu, tensor([1]), nullProto)],
    ['sum', () => call(core.sum, tensor([1]), 0, nullProto)],
    ['clamp', () => call(core.clamp, tensor([1]), nullProto)],
    ['slice', () => call(core.slice, tensor([1]), 0, nullProto)],
    ['addInPlace', () => call(core.addInPlace, core.zeros([1]), 1, nullProto)],
    ['arange', () => call(core.arange, Symbol('s'))],
    ['linspace', () => call(core.linspace, 0, 1, Symbol('s'))],
    ['zeros', () => call(core.zeros, [Symbol('s')])],
    ['permute', () => call(core.permute, tensor([[1]]), [1n])],
    ['grad', () => core.grad((x) => x.sum(), { argnums: [Symbol('s')] as never })(tensor([1]))],
    ['setBackend', () => call(core.setBackend, 1n)],
    ['value', () => call(core.value, nullProto)],
    ['toDot', () => call(core.toDot, tensor([1], { requiresGrad: true }).mul(2), { maxNodes: nullProto })],
  ];
  it.each(cases)('%s', (name, f) => {
    const error = errorOf(f);
    expect(error).toBeInstanceOf(ChainruleError);
    expect((error as ChainruleError).op).toBe(name);
  });
});

describe('random sizes are bounded like every other tensor size', () => {
  it('randperm refuses n past the int32 range instead of allocating it (a RangeError, or minutes of shuffling)', () => {
    for (const n of [2 ** 31, 2 ** 40]) {
      const error = errorOf(() => core.randperm(n));
      expect(error).toBeInstanceOf(core.ShapeError);
      expect((error as ChainruleError).op).toBe('randperm');
    }
  });

  it('randperm checks its generator option like rand does', () => {
    const error = errorOf(() => core.randperm(3, { generator: {} as never }));
    expect(error).toBeInstanceOf(core.ArgumentError);
    expect((error as Error).message).toMatch(/^randperm: generator must be a Generator/);
  });

  it('Generator.integer and Generator.permutation reject sizes they cannot honour', () => {
    const g = new core.Generator(1);
    // integer(0) used to give 0 (outside [0, 0)), integer('x') NaN; permutation(-1) a raw RangeError.
    for (const n of [0, -1, 0.5, NaN, 'x', 2 ** 53]) {
      expect(() => g.integer(n as number)).toThrow(/^integer: n must be a positive safe integer/);
    }
    for (const n of [-1, 0.5, 2 ** 31, 'x']) {
      expect(() => g.permutation(n as number)).toThrow(/^permutation: n must be an integer from 0 to 2147483647/);
    }
    expect(Array.from(g.permutation(4)).sort()).toEqual([0, 1, 2, 3]);
    expect(g.integer(1)).toBe(0);
  });
});

describe('oneHot bounds its output like any other tensor', () => {
  it('numClasses = 2^40 is a ShapeError naming oneHot, not a RangeError from the allocation', () => {
    const error = errorOf(() => core.oneHot([0], 2 ** 40));
    expect(error).toBeInstanceOf(core.ShapeError);
    expect((error as Error).message).toMatch(/^oneHot: shape \[1,1099511627776\] holds/);
  });

  it('rank 32 indices leave no room for the class axis', () => {
    const index = core.zeros(new Array<number>(32).fill(1), { dtype: 'int32' });
    expect(() => core.oneHot(index, 2)).toThrow(/^oneHot: rank 33 is above the maximum rank 32/);
  });
});

describe('creation functions name themselves when the size they compute is too large', () => {
  it('arange and linspace, not the zeros they call', () => {
    expect(() => core.arange(0, 1e300)).toThrow(
      /^arange: shape \[1e\+300\] holds 1e\+300 elements, more than a typed array can/,
    );
    expect(() => core.arange(0, 1, 1e-300)).toThrow(/^arange: /);
    expect(() => core.linspace(0, 1, 2 ** 31)).toThrow(/^linspace: shape \[2147483648\] holds/);
  });
});

describe('options and dtypes of any kind are refused politely', () => {
  it('value(1, null) and Value.backward(null): an ArgumentError, not a failed destructuring', () => {
    expect(() => call(core.value, 1, null)).toThrow(/^value: options must be an object/);
    expect(() => call(core.value(2).mul(3).backward.bind(core.value(2).mul(3)), null)).toThrow(
      /^backward: options must be an object/,
    );
  });

  it('a dtype that JSON cannot print (a bigint, a Tensor with its graph) is still named in the error', () => {
    const graph = tensor([1, 2], { requiresGrad: true }).mul(2);
    expect(() => call(core.to, tensor([1]), [1n])).toThrow(/^to: unknown dtype 1; expected one of 'bool'/);
    expect(() => call(core.to, tensor([1]), graph)).toThrow(
      /^to: unknown dtype tensor\(\[2\.(0000)?, 4\.(0000)?\], gradFn=<mul>\)/,
    );
  });
});

describe('hessian names itself', () => {
  it('a non-scalar or non-tensor function is a hessian error, not a grad error', () => {
    expect(() => core.hessian((x) => x.mul(2))(tensor([1, 2]))).toThrow(/^hessian: the function must return a scalar/);
    expect(() => core.hessian((() => 1) as never)(tensor([1]))).toThrow(
      /^hessian: the function must return a Tensor, got 1/,
    );
    expect(
      core
        .hessian((x) => x.pow(3).sum())(tensor([1, 2]))
        .toArray(),
    ).toEqual([
      [6, 0],
      [0, 12],
    ]);
  });
});

describe('logsumexp over an empty axis', () => {
  it('is log 0 = -Infinity, as PyTorch 1.13 prints for torch.logsumexp(torch.empty(2, 0), 1), with an empty gradient', () => {
    const x = core.zeros([2, 0], { requiresGrad: true });
    const y = x.logsumexp(1);
    expect(y.shape).toEqual([2]);
    expect(y.toArray()).toEqual([-Infinity, -Infinity]);
    expect(core.zeros([0]).logsumexp().item()).toBe(-Infinity);
    expect(x.logsumexp(0).shape).toEqual([0]);
    expect(x.logsumexp(1, true).shape).toEqual([2, 1]);
    y.sum().backward();
    expect(x.grad?.shape).toEqual([2, 0]);
  });
});

describe('argmax and argmin of tensors with a 0-sized dimension', () => {
  it('work along a non-empty axis (an empty result, as PyTorch 1.13 gives for torch.empty(0, 3).argmax(1))', () => {
    const x = core.zeros([0, 3]);
    expect(x.argmax(1).shape).toEqual([0]);
    expect(x.argmin(-1, true).shape).toEqual([0, 1]);
    expect(x.argmax(1).dtype).toBe('int32');
  });

  it('refuse an empty reduced axis, and the whole of an empty tensor, naming themselves', () => {
    expect(() => core.zeros([0, 3]).argmax(0)).toThrow(
      /^argmax: cannot take the argmax over axis 0 of size 0 in shape \[0,3\]/,
    );
    expect(() => core.zeros([0, 3]).argmin()).toThrow(
      /^argmin: cannot take the argmin of an empty tensor of shape \[0,3\]/,
    );
  });
});

describe('bool tensors hold only 0 and 1', () => {
  it('copyFrom and fill store nonzero (NaN included) as true, as torch.Tensor.copy_ does', () => {
    // A plain store into the Uint8Array kept 0.5 as 0 and -2 as 254.
    const b = core.zeros([4], { dtype: 'bool' });
    b.copyFrom(tensor([0.5, -2, NaN, 0]));
    expect(Array.from(b.data())).toEqual([1, 1, 1, 0]);
    b.fill(0.25);
    expect(Array.from(b.data())).toEqual([1, 1, 1, 1]);
    b.copyFrom(-2);
    expect(Array.from(b.data())).toEqual([1, 1, 1, 1]);
    b.fill(0);
    expect(Array.from(b.data())).toEqual([0, 0, 0, 0]);
  });

  it('logicalNot of a number reads it as a number', () => {
    expect(core.logicalNot(0.5).item()).toBe(0);
    expect(core.logicalNot(0).item()).toBe(1);
  });
});

describe('bool tensors made by the creation functions hold only 0 and 1', () => {
  it('0.25, -1, 256 and NaN are true, as torch.tensor([...], dtype=torch.bool) makes them', () => {
    const values = [0.25, -1, 256, NaN, 0];
    expect(Array.from(tensor(values, { dtype: 'bool' }).data())).toEqual([1, 1, 1, 1, 0]);
    expect(Array.from(tensor(Float32Array.from(values), { dtype: 'bool' }).data())).toEqual([1, 1, 1, 1, 0]);
    expect(Array.from(tensor(Uint8Array.from([0, 5, 255]), { dtype: 'bool' }).data())).toEqual([0, 1, 1]);
    // Without a dtype a Uint8Array holds bytes: uint8, as torch.from_numpy makes it.
    expect(tensor(Uint8Array.from([0, 5, 255])).dtype).toBe('uint8');
    expect(Array.from(core.full([2], 0.25, { dtype: 'bool' }).data())).toEqual([1, 1]);
    expect(Array.from(core.arange(0, 1, 0.5, { dtype: 'bool' }).data())).toEqual([0, 1]);
    expect(Array.from(core.linspace(0, 256, 2, { dtype: 'bool' }).data())).toEqual([0, 1]);
  });
});

describe('Value.relu keeps a NaN', () => {
  it('relu(NaN) is NaN, as torch.relu and Tensor.relu give, not a silent 0; its gradient is 0', () => {
    const h = core.value(-1).pow(0.5);
    const y = h.relu();
    expect(y.data).toBeNaN();
    y.backward();
    expect(h.grad).toBe(0);
    expect(core.value(2).relu().data).toBe(2);
    expect(core.value(-2).relu().data).toBe(0);
  });
});

describe('flatten of a 0-d tensor checks its axes', () => {
  it('takes -1 and 0 (giving shape [1]) and refuses others, as torch.flatten does', () => {
    expect(tensor(3).flatten(0, -1).shape).toEqual([1]);
    expect(tensor(3).flatten(-1, 0).shape).toEqual([1]);
    expect(() => tensor(3).flatten(1)).toThrow(/^flatten: axis 1 is out of range for a tensor of rank 0/);
    expect(() => tensor(3).flatten(0, -2)).toThrow(core.IndexError);
  });
});

describe('var checks its options object', () => {
  it('null or a number as options is an ArgumentError, not a raw TypeError', () => {
    expect(() => call(core.variance, tensor([1, 2]), 0, false, null)).toThrow(
      /^var: options must be an object like \{ correction: 0 \}, got null/,
    );
    expect(() => call(core.variance, tensor([1, 2]), 0, false, 3)).toThrow(core.ArgumentError);
    expect(core.variance(tensor([1, 3]), 0, false, { correction: 0 }).item()).toBe(1);
  });
});

describe('a dimension past 2^31 - 1 is refused even when another is 0', () => {
  it('eye(1e300, 0) and zeros([2^40, 0]) were accepted (size 0), then printing them was a RangeError', () => {
    expect(() => core.eye(1e300, 0)).toThrow(
      /^eye: shape \[1e\+300,0\] has a dimension of 1e\+300, more than a typed array can hold/,
    );
    expect(() => core.zeros([2 ** 40, 0])).toThrow(core.ShapeError);
    expect(() => core.zeros([0]).reshape([0, 2 ** 40])).toThrow(/^reshape: /);
    expect(core.zeros([2 ** 31 - 1, 0]).shape).toEqual([2 ** 31 - 1, 0]);
  });
});

describe('softmax of a row holding +Infinity', () => {
  it('is NaN across the row, as in PyTorch 1.13 (it was [0, NaN] for [0, ∞])', () => {
    // PyTorch: torch.softmax(torch.tensor([0., float('inf')]), 0) and
    // log_softmax give tensor([nan, nan]): the max is subtracted, and ∞ - ∞ is NaN.
    const x = tensor([0, Infinity]);
    expect(Array.from(core.softmax(x).data()).every(Number.isNaN)).toBe(true);
    expect(Array.from(core.logSoftmax(x).data()).every(Number.isNaN)).toBe(true);
    // A row of finite values beside it is unaffected.
    expect(
      Array.from(
        core
          .softmax(
            tensor([
              [0, Infinity],
              [0, 0],
            ]),
            1,
          )
          .data(),
      ).slice(2),
    ).toEqual([0.5, 0.5]);
    // -∞ entries are fine: they get probability 0.
    expect(Array.from(core.softmax(tensor([0, -Infinity])).data())).toEqual([1, 0]);
  });
});
