/**
 * Constructor pieces the attention-family layers share: the parameter dtype
 * option, and a Linear initialized as PyTorch's `nn.Linear` is (so that a
 * freshly built transformer draws its weights from the same distributions
 * as PyTorch's, even though the random streams differ).
 */
import { DTypeError, type FloatDType, type Generator } from '@chainrule/core';
import { describeValue, valueOr } from '@chainrule/core/internal';
import { uniform } from '../init';
import { Linear } from './dense';

/** The `dtype` option of a layer: float32 (default) or float64. */
export function checkParameterDType(op: string, dtype: unknown): FloatDType {
  const d = valueOr<unknown>(dtype, 'float32');
  if (d !== 'float32' && d !== 'float64')
    throw new DTypeError(op, `parameters are float32 or float64, got dtype ${describeValue(d)}`);
  return d;
}

/**
 * A Linear with PyTorch's default initialization: weight and bias from
 * U(-1/√in, 1/√in) (`kaiming_uniform_(a=√5)` works out to that bound).
 */
export function pytorchLinear(
  inFeatures: number,
  outFeatures: number,
  options: { bias: boolean; dtype: FloatDType; generator: Generator },
): Linear {
  const bound = 1 / Math.sqrt(inFeatures);
  const draw = { low: -bound, high: bound, generator: options.generator };
  const layer = new Linear(inFeatures, outFeatures, {
    bias: options.bias,
    dtype: options.dtype,
    generator: options.generator,
    init: (w) => uniform(w, draw),
  });
  if (layer.bias !== null) uniform(layer.bias, draw);
  return layer;
}
