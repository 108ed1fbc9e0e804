/** What exportOnnx refuses, with typed errors that name the problem. */
import { ArgumentError, randn, type Tensor } from '@chainrule/core';
import { describe, expect, it } from 'vitest';
import { exportOnnx, OnnxExportError } from '../src/index';

const x = randn([2, 3]);

describe('exportOnnx errors', () => {
  it('names an op without a mapping and where it was called', () => {
    const f = (t: Tensor) => t.cumprod(1).relu();
    expect(() => exportOnnx(f, [x])).toThrow(OnnxExportError);
    expect(() => exportOnnx(f, [x])).toThrow(/^exportOnnx: the op 'cumprod' \(called at .*errors\.test\.ts:\d+/);
  });

  it('refuses bad arguments and options', () => {
    const f = (t: Tensor) => t.exp();
    expect(() => exportOnnx(42 as never, [x])).toThrow(ArgumentError);
    expect(() => exportOnnx(f, [[1, 2]] as never)).toThrow(/example inputs must be a Tensor/);
    expect(() => exportOnnx(f, [x], { opset: 16 })).toThrow(/opset must be an integer from 17 to 21, got 16/);
    expect(() => exportOnnx(f, [x], { inputNames: ['a', 'b'] })).toThrow(/2 names for 1 example inputs/);
    expect(() => exportOnnx(f, [x], { outputNames: ['a', 'b'] })).toThrow(/2 names for 1 outputs/);
    expect(() => exportOnnx(f, [x], { inputNames: ['a'], outputNames: ['a'] })).toThrow(/also an input's name/);
    expect(() => exportOnnx(f, [x], { dynamicAxes: { nope: [0] } })).toThrow(/neither an input nor an output/);
    expect(() => exportOnnx(f, [x], { dynamicAxes: { input_0: [1] } })).toThrow(/only axis 0/);
    expect(() => exportOnnx(f, [x], { batch: 1 } as never)).toThrow(/unknown option 'batch'/);
    expect(() => exportOnnx(() => 3 as never, [x])).toThrow(/must return a Tensor/);
  });
});
