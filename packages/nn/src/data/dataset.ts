/** The shape of data the loaders, scalers and splits pass around. */
import { ArgumentError, ShapeError, Tensor } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';

/** Samples along axis 0: `inputs[i]` goes with `targets[i]`. */
export interface Dataset {
  inputs: Tensor;
  targets: Tensor;
}

/** Checks a Dataset and returns its number of samples. */
export function sampleCount(op: string, data: unknown): number {
  if (data === null || typeof data !== 'object') {
    throw new ArgumentError(op, `expected { inputs, targets } with one sample per row, got ${describeValue(data)}`);
  }
  const { inputs, targets } = data as Partial<Dataset>;
  if (!(inputs instanceof Tensor) || !(targets instanceof Tensor)) {
    throw new ArgumentError(op, 'inputs and targets must both be Tensors (one sample per row along axis 0)');
  }
  if (inputs.ndim === 0 || targets.ndim === 0) {
    throw new ShapeError(
      op,
      `inputs and targets need a sample axis, got shapes [${inputs.shape.join(',')}] and [${targets.shape.join(',')}]`,
    );
  }
  if (inputs.shape[0] !== targets.shape[0]) {
    throw new ShapeError(
      op,
      `inputs hold ${inputs.shape[0]} samples (shape [${inputs.shape.join(',')}]) but targets hold ${targets.shape[0]} (shape [${targets.shape.join(',')}]); axis 0 must match`,
    );
  }
  return inputs.shape[0] as number;
}
