/**
 * Binary cross-entropy, from probabilities (after a sigmoid) and from logits
 * (before it), with PyTorch's definitions: BCELoss and BCEWithLogitsLoss.
 */
import { ArgumentError, type Tensor } from '@chainrule/core';
import { checkSameShape, checkWeight, floatTensor, reduce, reductionOf, type ReductionOptions } from './common';

/** Options of `bceLoss`. */
export interface BceOptions extends ReductionOptions {
  /** Rescales each element's loss (broadcast to the loss's shape). */
  weight?: Tensor;
}

/** Options of `bceWithLogitsLoss`. */
export interface BceWithLogitsOptions extends BceOptions {
  /** Weight of the positive term, per class (broadcast along the last axis): > 1 favours recall. */
  posWeight?: Tensor;
}

// The smallest positive float32 (a subnormal): clamping to it keeps log finite
// at p = 0, and log(2⁻¹⁴⁹) ≈ -103.3 is below the -100 floor anyway.
const tiny = 2 ** -149;

/** max(log(x), -100), written so that x = 0 gives -100 and a zero (not NaN) gradient. */
function clampedLog(x: Tensor): Tensor {
  return x.clamp(tiny).log().clamp(-100);
}

/**
 * Binary cross-entropy of probabilities p against targets y:
 * -(y·log p + (1 - y)·log(1 - p)), with each log clamped at -100 as PyTorch's
 * BCELoss does, so p = 0 or 1 gives a finite loss. Probabilities must lie in
 * [0, 1]. Prefer `bceWithLogitsLoss` on the pre-sigmoid values: it is exact
 * where the sigmoid has saturated.
 *
 * @example
 * bceLoss(tensor([0.8, 0.3]), tensor([1, 0])); // mean(-log 0.8, -log 0.7) ≈ 0.2899
 */
export function bceLoss(input: Tensor, target: Tensor, options: BceOptions = {}): Tensor {
  const op = 'bceLoss';
  const reduction = reductionOf(op, options, ['reduction', 'weight']);
  const p = floatTensor(op, 'the prediction', input);
  const y = floatTensor(op, 'the target', target);
  checkSameShape(op, p, y);
  const weight = checkWeight(op, 'weight', options.weight, p.shape);
  checkProbabilities(op, p);
  const losses = y
    .mul(clampedLog(p))
    .add(
      y
        .neg()
        .add(1)
        .mul(clampedLog(p.neg().add(1))),
    )
    .neg();
  return reduce(weight === undefined ? losses : losses.mul(weight), reduction);
}

/**
 * Binary cross-entropy of logits z (sigmoid applied inside) against targets
 * y, as PyTorch's BCEWithLogitsLoss: (1 - y)·z + (1 + (posWeight - 1)·y)·log(1 + e⁻ᶻ).
 * NOTE: log(1 + e⁻ᶻ) is core's softplus(-z), finite for every z, and its
 * gradient gives ∂loss/∂z = σ(z) - y exactly (without posWeight).
 *
 * @example
 * bceWithLogitsLoss(tensor([2, -1]), tensor([1, 0])); // mean(log(1+e⁻²), log(1+e⁻¹))
 */
export function bceWithLogitsLoss(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  const op = 'bceWithLogitsLoss';
  const reduction = reductionOf(op, options, ['reduction', 'weight', 'posWeight']);
  const z = floatTensor(op, 'the logits', input);
  const y = floatTensor(op, 'the target', target);
  checkSameShape(op, z, y);
  const weight = checkWeight(op, 'weight', options.weight, z.shape);
  const posWeight = checkWeight(op, 'posWeight', options.posWeight, z.shape);
  const softplusNegZ = z.neg().softplus();
  const positive = posWeight === undefined ? softplusNegZ : posWeight.sub(1).mul(y).add(1).mul(softplusNegZ);
  const losses = y.neg().add(1).mul(z).add(positive);
  return reduce(weight === undefined ? losses : losses.mul(weight), reduction);
}

function checkProbabilities(op: string, p: Tensor): void {
  const values = p.data();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v >= 0 && v <= 1)) {
      throw new ArgumentError(
        op,
        `the prediction must hold probabilities in [0, 1], element ${i} is ${v} (apply sigmoid first, or use bceWithLogitsLoss on the raw values)`,
      );
    }
  }
}
