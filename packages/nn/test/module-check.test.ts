/**
 * gradcheckModule on nn's layers (every parameter gradient against central
 * finite differences in float64, which is what each check compares with)
 * and on planted broken layers, whose reports must name the broken
 * parameter and only it.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError, GraphError, customOp, randn, Generator, type Tensor } from '@chainrule/core';
import { gradcheckModule } from '@chainrule/core/testing';
import '@chainrule/core/testing/vitest';
import {
  BatchNorm1d,
  Conv2d,
  Dropout,
  LayerNorm,
  LSTM,
  Linear,
  Module,
  MultiheadAttention,
  Sequential,
  Tanh,
  parameter,
} from '../src/index';

const g = () => new Generator(7);

describe('gradcheckModule passes nn layers', () => {
  it('a stack of Linear layers, with the entries named by parameter', () => {
    const net = new Sequential(new Linear(3, 4, { generator: g() }), new Tanh(), new Linear(4, 2, { generator: g() }));
    const report = gradcheckModule(net, randn([5, 3], { generator: g() }), (y: Tensor) => y.square().mean());
    expect(report.ok).toBe(true);
    expect(report.parameterNames).toEqual(net.namedParameters().map(([n]) => n));
    expect(report.checked).toBe(3 * 4 + 4 + 4 * 2 + 2);
    expect(String(report)).toMatch(/^gradient check passed: 26 entries of 4 parameters/);
  });

  it('Conv2d', () => {
    const conv = new Conv2d(2, 3, 3, { padding: 1, generator: g() });
    expect(gradcheckModule(conv, randn([2, 2, 4, 4], { generator: g() })).ok).toBe(true);
  });

  it('LSTM, whose output (output, hN, cN) is checked whole by default', () => {
    const lstm = new LSTM(3, 4, { generator: g() });
    const report = gradcheckModule(lstm, randn([5, 2, 3], { generator: g() }));
    expect(report.ok).toBe(true);
    // output [5,2,4] + hN [1,2,4] + cN [1,2,4], flattened together.
    expect(report.output.shape).toEqual([40 + 8 + 8]);
  });

  it('LayerNorm', () => {
    const norm = new LayerNorm([4]);
    const x = randn([3, 4], { generator: g() });
    // A loss that is not symmetric in the outputs, so the affine parameters' gradients are not trivial.
    expect(gradcheckModule(norm, x, (y: Tensor) => y.mul(y.add(1)).sum()).ok).toBe(true);
  });

  it('MultiheadAttention, with forward given several arguments', () => {
    const attn = new MultiheadAttention(4, 2, { generator: g() });
    const q = randn([3, 2, 4], { generator: g() });
    const kv = randn([5, 2, 4], { generator: g() });
    const report = gradcheckModule(attn, [q, kv, kv], (o: { output: Tensor }) => o.output.tanh().sum());
    expect(report.ok).toBe(true);
    expect(report.parameterNames).toContain('in_proj_weight');
    expect(report.parameterNames).toContain('out_proj.weight');
  });
});

/**
 * tanh(x Wᵀ + b) as one custom op with a hand-written backward. With
 * y = tanh(x Wᵀ + b) and u = g ⊙ (1 − y²): dx = u W, dW = uᵀ x, db = Σₙ u.
 * `bug` plants one mistake.
 */
function denseTanhOp(bug: 'none' | 'weight' | 'bias-axis' | 'bias-shape') {
  return customOp({
    name: 'denseTanh',
    forward(ctx, x, w, b) {
      const y = (x as Tensor)
        .matmul((w as Tensor).T)
        .add(b as Tensor)
        .tanh();
      ctx.save(x as Tensor, w as Tensor, y);
      return y;
    },
    backward({ saved: [x, w, y] }, grad) {
      const u = grad.mul((y as Tensor).square().neg().add(1));
      // The weight bug forgets tanh's derivative: gᵀx instead of uᵀx.
      const dW = bug === 'weight' ? grad.T.matmul(x as Tensor) : u.T.matmul(x as Tensor);
      // The bias bugs sum over the features instead of the batch: the right
      // shape when batch = features, and [N, 1] otherwise.
      const db = bug === 'bias-axis' ? u.sum(1) : bug === 'bias-shape' ? u.sum(1, true) : u.sum(0);
      return [u.matmul(w as Tensor), dW, db];
    },
  });
}

class DenseTanh extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor;
  readonly op: ReturnType<typeof denseTanhOp>;
  constructor(inFeatures: number, outFeatures: number, bug: Parameters<typeof denseTanhOp>[0]) {
    super();
    this.weight = parameter(randn([outFeatures, inFeatures], { generator: g() }).mul(0.5));
    this.bias = parameter(randn([outFeatures], { generator: g() }).mul(0.5));
    this.op = denseTanhOp(bug);
  }
  forward(x: Tensor): Tensor {
    return this.op(x, this.weight, this.bias);
  }
}

describe('gradcheckModule names the broken parameter', () => {
  const x = randn([3, 3], { generator: new Generator(3) });

  it('passes the layer without a bug (the planted bugs are what fails below)', () => {
    const net = new Sequential(new Linear(3, 3, { generator: g() }), new DenseTanh(3, 3, 'none'));
    expect(gradcheckModule(net, x).ok).toBe(true);
  });

  it('a wrong weight derivative: only 1.weight is off', () => {
    const net = new Sequential(new Linear(3, 3, { generator: g() }), new DenseTanh(3, 3, 'weight'));
    const report = gradcheckModule(net, x);
    expect(report.ok).toBe(false);
    const off = report.perParameter.filter((p) => p.mismatches > 0).map((p) => p.name);
    expect(off).toEqual(['1.weight']);
    expect(report.parameterNames[report.worst?.input ?? -1]).toBe('1.weight');
    expect(String(report)).toMatch(/worst: 1\.weight\[\d, \d\]: analytic/);
  });

  it('a bias gradient summed over the wrong axis (right shape, batch = features): only 1.bias is off', () => {
    const net = new Sequential(new Linear(3, 3, { generator: g() }), new DenseTanh(3, 3, 'bias-axis'));
    const report = gradcheckModule(net, x);
    const off = report.perParameter.filter((p) => p.mismatches > 0).map((p) => p.name);
    expect(off).toEqual(['1.bias']);
    expect(String(report)).toMatch(/worst: 1\.bias\[\d\]: analytic/);
  });

  it('a bias gradient summed to the wrong shape is refused by the engine before any comparison', () => {
    const net = new Sequential(new DenseTanh(3, 3, 'bias-shape'));
    expect(() => gradcheckModule(net, x)).toThrow(GraphError);
    expect(() => gradcheckModule(net, x)).toThrow(
      /denseTanh: backward returned a gradient of shape \[3,1\] for input 2, which has shape \[3\]/,
    );
  });
});

describe('gradcheckModule', () => {
  it("leaves the user's module as it was: the same tensors, values, dtypes, no .grad, buffers untouched", () => {
    const net = new Sequential(new Linear(3, 4, { generator: g() }), new BatchNorm1d(4));
    const before = net.namedParameters().map(([n, p]) => [n, p, Array.from(p.data())] as const);
    const buffers = net.namedBuffers().map(([n, b]) => [n, b, Array.from(b.data())] as const);
    expect(gradcheckModule(net, randn([6, 3], { generator: g() })).ok).toBe(true);
    const after = new Map(net.namedParameters());
    for (const [name, p, values] of before) {
      expect(after.get(name)).toBe(p);
      expect(p.dtype).toBe('float32');
      expect(Array.from(p.data())).toEqual(values);
      expect(p.grad).toBeNull();
    }
    const afterBuffers = new Map(net.namedBuffers());
    for (const [name, b, values] of buffers) {
      expect(afterBuffers.get(name)).toBe(b);
      expect(Array.from(b.data())).toEqual(values);
    }
  });

  it('checks only the named parameters when asked', () => {
    const net = new Sequential(new Linear(3, 3, { generator: g() }), new DenseTanh(3, 3, 'weight'));
    expect(gradcheckModule(net, randn([3, 3]), undefined, { parameters: ['0.weight', '1.bias'] }).ok).toBe(true);
  });

  it('refuses a random forward (Dropout in training mode), and accepts it in eval mode', () => {
    const net = new Sequential(new Linear(3, 3, { generator: g() }), new Dropout(0.5));
    expect(() => gradcheckModule(net, randn([4, 3]))).toThrow(/gradcheckModule: .*call module\.eval\(\)/);
    expect(gradcheckModule(net.eval(), randn([4, 3])).ok).toBe(true);
  });

  it('refuses bad arguments with typed errors naming what it accepts', () => {
    const net = new Linear(2, 2);
    expect(() => gradcheckModule({} as never, randn([1, 2]))).toThrow(ArgumentError);
    expect(() => gradcheckModule({} as never, randn([1, 2]))).toThrow(/^gradcheckModule: module must be a Module/);
    expect(() => gradcheckModule(net, randn([1, 2]), undefined, { parameters: ['nope'] })).toThrow(
      /'nope', which the module does not have; its parameters are \['weight', 'bias'\]/,
    );
    expect(() => gradcheckModule(net, randn([1, 2]), undefined, { atol: -1 })).toThrow(/atol must be a number ≥ 0/);
    expect(() => gradcheckModule(net, randn([1, 2]), 3 as never)).toThrow(/lossFn must be a function/);
  });
});

describe('toHaveCorrectGradients on nn modules', () => {
  const x = randn([3, 3], { generator: new Generator(5) });

  it('passes a Linear stack', () => {
    expect(new Sequential(new Linear(3, 2, { generator: g() }), new Tanh())).toHaveCorrectGradients(x);
  });

  it('fails the layer with the planted weight bug, naming it', () => {
    const net = new Sequential(new Linear(3, 3, { generator: g() }), new DenseTanh(3, 3, 'weight'));
    expect(() => expect(net).toHaveCorrectGradients(x)).toThrow(/worst: 1\.weight\[\d, \d\]/);
  });
});
