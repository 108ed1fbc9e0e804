/** Op tracing (ops/trace.ts), which @chainrule/onnx's exporter reads. */
import { describe, expect, it } from 'vitest';
import { conv2d, randn, softmax, tensor } from '../../src/index';
import { isTracing, traceOps } from '../../src/internal/index';

describe('traceOps', () => {
  it('records each op with its inputs, params and output, constants included', () => {
    const x = tensor([1, 2, 3]);
    const { result, records } = traceOps(() => x.mul(2).reshape([3, 1]));
    expect(records.map((r) => r.name)).toEqual(['mul', 'reshape']);
    const [mul, reshape] = records as [(typeof records)[0], (typeof records)[0]];
    expect(mul.inputs[0]).toBe(x);
    // The 2 is a 0-d tensor the backward graph would not keep.
    expect(mul.inputs[1]?.item()).toBe(2);
    expect(reshape.inputs[0]).toBe(mul.output);
    expect(reshape.params).toEqual([3, 1]);
    expect(reshape.output).toBe(result);
    expect(isTracing()).toBe(false);
  });

  it('records a composite once, with its parts as children', () => {
    const x = randn([1, 2, 5, 5]);
    const w = randn([3, 2, 3, 3]);
    const { records } = traceOps(() => softmax(conv2d(x, w, null, { padding: 1 }), 1));
    expect(records.map((r) => r.name)).toEqual(['conv2d', 'softmax']);
    expect(records[0]?.inputs).toEqual([x, w]);
    expect(records[0]?.children.length).toBeGreaterThan(0);
    // softmax's max is taken of a detached view: traced, so it is not mistaken for a constant.
    expect(records[1]?.children.map((r) => r.name)).toContain('detach');
  });

  it('does not nest, and stops when the body throws', () => {
    expect(() => traceOps(() => traceOps(() => 1))).toThrow(/already tracing/);
    expect(() =>
      traceOps(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isTracing()).toBe(false);
  });
});
