/**
 * The module machinery layers are built on: registered parameters, buffers
 * and modules under chosen names, containers, freezing, apply, hooks. The
 * expected names and orders are PyTorch's for the same structure (written
 * out by hand from `nn.Module.state_dict`'s rule: each module's parameters,
 * then its persistent buffers, then its children in registration order).
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, DTypeError, Tensor, noGrad, ones, tensor, zeros } from '@chainrule/core';
import { type AnyModule, Linear, Module, ModuleDict, ModuleList, ReLU, Sequential, parameter } from '../src/index';

/** A BatchNorm-shaped module: trained affine parameters and running statistics in buffers. */
class Stats extends Module {
  readonly weight = parameter(ones([3]));
  readonly bias = parameter(zeros([3]));
  readonly runningMean = this.registerBuffer('running_mean', zeros([3]));
  readonly steps = this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int32' }));
  readonly scratch = this.registerBuffer('scratch', zeros([2]), { persistent: false });
  forward(x: Tensor): Tensor {
    if (this.training) {
      noGrad(() => {
        this.runningMean.copyFrom(x.mean(0));
        this.steps.copyFrom(this.steps.add(1));
      });
    }
    return x.mul(this.weight).add(this.bias);
  }
}

/** An LSTM-shaped module: parameters registered in a loop under PyTorch's names, held in a camelCase array. */
class Recurrent extends Module {
  readonly weightsIh: Tensor[] = [];
  constructor(layers: number) {
    super();
    for (let l = 0; l < layers; l++) {
      this.weightsIh.push(this.registerParameter(`weight_ih_l${l}`, parameter(ones([2, 2]))));
      this.registerParameter(`bias_ih_l${l}`, null);
    }
  }
  forward(x: Tensor): Tensor {
    return this.weightsIh.reduce((h, w) => h.matmul(w), x);
  }
}

describe('registered state', () => {
  it('saves parameters, then persistent buffers, under the registered names only', () => {
    const m = new Stats();
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'num_batches_tracked']);
    expect(m.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(m.namedBuffers().map(([n]) => n)).toEqual(['running_mean', 'num_batches_tracked', 'scratch']);
    expect(m.stateDict().num_batches_tracked?.dtype).toBe('int32');
  });

  it('names registered parameters as given, skips null ones, and finds them once despite the property', () => {
    const r = new Recurrent(2);
    expect(r.namedParameters().map(([n]) => n)).toEqual(['weight_ih_l0', 'weight_ih_l1']);
    expect(Object.keys(r.stateDict())).toEqual(['weight_ih_l0', 'weight_ih_l1']);
  });

  it('nests: a child module’s buffers are saved under its path, after the parent’s own state', () => {
    class Net extends Module {
      readonly scale = parameter(ones([1]));
      readonly bn = this.registerModule('bn', new Stats());
      readonly head = new Linear(3, 1);
      forward(x: Tensor): Tensor {
        return this.head.forward(this.bn.forward(x)).mul(this.scale);
      }
    }
    // Properties are found in declaration order; 'bn' is registered, so it
    // comes after the found children (PyTorch orders by assignment, which for
    // this class is scale, bn, head — the difference is in order only).
    expect(Object.keys(new Net().stateDict())).toEqual([
      'scale',
      'head.weight',
      'head.bias',
      'bn.weight',
      'bn.bias',
      'bn.running_mean',
      'bn.num_batches_tracked',
    ]);
  });

  it('loads buffers too, converting dtypes as copy_ does, and reports missing buffers', () => {
    const m = new Stats();
    const dict = {
      weight: tensor([1, 2, 3]),
      bias: tensor([0, 0, 1]),
      running_mean: tensor([0.5, 0.25, 0], { dtype: 'float64' }),
      num_batches_tracked: tensor(7, { dtype: 'float64' }),
    };
    m.loadStateDict(dict);
    expect([...m.runningMean.data()]).toEqual([0.5, 0.25, 0]);
    expect(m.steps.dtype).toBe('int32');
    expect(m.steps.item()).toBe(7);
    const { missingKeys } = m.loadStateDict({ weight: tensor([1, 1, 1]) }, { strict: false });
    expect(missingKeys).toEqual(['bias', 'running_mean', 'num_batches_tracked']);
    expect(() => m.loadStateDict({ weight: tensor([1, 1, 1]) })).toThrow(/missing keys \['bias', 'running_mean'/);
  });

  it('a training forward updates a buffer in place: the tensor the caller holds stays the layer’s', () => {
    const m = new Stats();
    const held = m.runningMean;
    m.forward(
      tensor([
        [1, 2, 3],
        [3, 4, 5],
      ]),
    );
    expect([...held.data()]).toEqual([2, 3, 4]);
    expect(m.buffers()[0]).toBe(held);
    expect(m.steps.item()).toBe(1);
    m.eval().forward(tensor([[9, 9, 9]]));
    expect(m.steps.item()).toBe(1);
  });

  it('refuses bad names and kinds with typed errors, registering nothing', () => {
    const m = new Stats();
    expect(() => m.registerBuffer('a.b', zeros([1]))).toThrow(/^registerBuffer: the name 'a.b' contains '.'/);
    expect(() => m.registerBuffer('', zeros([1]))).toThrow(ArgumentError);
    expect(() => m.registerParameter('running_mean', parameter(zeros([1])))).toThrow(
      /^registerParameter: 'running_mean' is already registered as a buffer/,
    );
    expect(() => m.registerParameter('w', zeros([1]))).toThrow(/must be a tensor marked by parameter/);
    expect(() => m.registerBuffer('b', [1, 2] as unknown as Tensor)).toThrow(/must be a Tensor or null/);
    expect(() => m.registerModule('c', {} as unknown as Module)).toThrow(/must be a Module or null/);
    expect(() => m.registerBuffer('d', zeros([1]), { persist: true } as never)).toThrow(ArgumentError);
    expect(Object.keys(m.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'num_batches_tracked']);
    expect(m.namedBuffers().length).toBe(3);
  });

  it('a bool value loads into a bool buffer but not into a float parameter', () => {
    class Masked extends Module {
      readonly mask = this.registerBuffer('mask', zeros([2], { dtype: 'bool' }));
      readonly w = parameter(ones([2]));
      forward(x: Tensor): Tensor {
        return x.mul(this.w);
      }
    }
    const m = new Masked();
    m.loadStateDict({ mask: tensor([1, 0], { dtype: 'bool' }), w: tensor([2, 3]) });
    expect([...m.mask.data()]).toEqual([1, 0]);
    expect(() =>
      m.loadStateDict({ mask: tensor([0, 0], { dtype: 'bool' }), w: tensor([1, 0], { dtype: 'bool' }) }),
    ).toThrow(DTypeError);
    expect([...m.mask.data()]).toEqual([1, 0]); // nothing loaded
  });
});

describe('containers', () => {
  it('ModuleList names children by position and keeps PyTorch’s state-dict names', () => {
    class Tower extends Module {
      readonly blocks = new ModuleList([new Linear(2, 2), new ReLU(), new Linear(2, 1)]);
      forward(x: Tensor): Tensor {
        let h = x;
        for (const b of this.blocks) h = b.forward(h);
        return h;
      }
    }
    const t = new Tower();
    expect(Object.keys(t.stateDict())).toEqual([
      'blocks.0.weight',
      'blocks.0.bias',
      'blocks.2.weight',
      'blocks.2.bias',
    ]);
    t.blocks.append(new Linear(1, 1)).insert(0, new ReLU());
    expect(t.blocks.length).toBe(5);
    expect(t.blocks.at(-1)).toBeInstanceOf(Linear);
    expect(Object.keys(t.stateDict())[0]).toBe('blocks.1.weight');
    expect(() => t.blocks.append({} as never)).toThrow(/^ModuleList.append: the argument is not a Module/);
    expect(() => new ModuleList([new ReLU(), 3 as never])).toThrow(/^ModuleList: item 1 is not a Module/);
    expect(() => t.blocks.at(9)).toThrow(ArgumentError);
    expect(() => (t.blocks as unknown as { forward(): void }).forward()).toThrow(/has no forward/);
  });

  it('ModuleDict names children by key, in insertion order', () => {
    const d = new ModuleDict({ digit: new Linear(4, 10), parity: new Linear(4, 2) });
    expect(Object.keys(d.stateDict())).toEqual(['digit.weight', 'digit.bias', 'parity.weight', 'parity.bias']);
    d.set('digit', new Linear(4, 3));
    expect(d.get('digit').forward(ones([1, 4])).shape).toEqual([1, 3]);
    expect(d.delete('parity')).toBeInstanceOf(Linear);
    expect([...d.keys()]).toEqual(['digit']);
    expect(() => d.get('nope')).toThrow(/^ModuleDict.get: no module under "nope"; the keys are \['digit'\]/);
    expect(() => d.set('a.b', new Linear(1, 1))).toThrow(/without '.'/);
    expect(() => new ModuleDict({ ok: new ReLU(), bad: 1 as never })).toThrow(/'bad' is not a Module/);
  });
});

describe('walking the tree', () => {
  const net = () => new Sequential(new Linear(2, 3), new ReLU(), new Sequential(new Linear(3, 1)));

  it('getSubmodule follows a dotted path and names the missing part', () => {
    const m = net();
    expect(m.getSubmodule('2.0')).toBeInstanceOf(Linear);
    expect(m.getSubmodule('')).toBe(m);
    expect(() => m.getSubmodule('2.5')).toThrow(
      /^getSubmodule: '2' \(Sequential\) has no child '5'; its children are \['0'\]/,
    );
  });

  it('apply visits children before parents, each once', () => {
    const m = net();
    const order: string[] = [];
    const names = new Map(m.namedModules().map(([n, mod]) => [mod, n]));
    m.apply((mod) => order.push(names.get(mod) ?? '?'));
    expect(order).toEqual(['0', '1', '2.0', '2', '']);
  });

  it('requiresGrad(false) freezes every parameter below, so backward gives them no gradient', () => {
    const m = net();
    m.getSubmodule('0').requiresGrad(false);
    m.forward(ones([1, 2]))
      .sum()
      .backward();
    const [first, second] = [m.getSubmodule('0'), m.getSubmodule('2.0')];
    for (const p of first.parameters()) expect(p.grad).toBeNull();
    for (const p of second.parameters()) expect(p.grad).not.toBeNull();
    expect(m.toString()).toContain('(frozen)');
    m.requiresGrad();
    expect(m.parameters().every((p) => p.requiresGrad)).toBe(true);
  });
});

describe('forward hooks', () => {
  it('run around forward wherever it is called from, may replace inputs and outputs, and are removable', () => {
    const inner = new Linear(2, 2);
    const model = new Sequential(inner, new ReLU());
    const seen: unknown[] = [];
    const pre = inner.registerForwardPreHook((_m, inputs) => [(inputs[0] as Tensor).mul(0)]);
    const post = inner.registerForwardHook((m, _inputs, out) => {
      seen.push(m);
      return (out as Tensor).add(5);
    });
    const y = model.forward(ones([1, 2]));
    // Input zeroed → Linear gives its bias; +5 → bias + 5, then relu.
    const expected = [...(inner.bias as Tensor).data()].map((b) => Math.max(0, b + 5));
    expect([...y.data()].map((v) => Math.round(v * 1e5) / 1e5)).toEqual(expected.map((v) => Math.round(v * 1e5) / 1e5));
    expect(seen).toEqual([inner]);
    pre.remove();
    post.remove();
    post.remove(); // a second remove does nothing
    const plain = model.forward(ones([1, 2]));
    const w = inner.weight.data();
    const b = (inner.bias as Tensor).data();
    const direct = [0, 1].map((i) => Math.max(0, (w[i * 2] as number) + (w[i * 2 + 1] as number) + (b[i] as number)));
    [...plain.data()].forEach((v, i) => expect(v).toBeCloseTo(direct[i] as number, 5));
    expect(Object.hasOwn(inner, 'forward')).toBe(false);
  });

  it('a hook may be written for any module (AnyModule) and refuses what is not a function', () => {
    const model = new Sequential(new Linear(2, 3), new ReLU());
    const shapes: number[][] = [];
    const handles = model.modules().map((m: AnyModule) =>
      m.registerForwardHook((_m, _i, out) => {
        if (out instanceof Tensor) shapes.push([...out.shape]);
        return undefined;
      }),
    );
    model.forward(ones([4, 2]));
    expect(shapes).toEqual([
      [4, 3],
      [4, 3],
      [4, 3],
    ]);
    for (const h of handles) h.remove();
    expect(() => model.registerForwardHook(3 as never)).toThrow(/^registerForwardHook: expected a function/);
  });
});
