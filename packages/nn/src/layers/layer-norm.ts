/**
 * LayerNorm and RMSNorm: per-sample normalization over the trailing
 * `normalizedShape` axes with a learned elementwise scale (and, for
 * LayerNorm, shift), under PyTorch's state-dict names `weight` and `bias`.
 */
import { ones, zeros, type FloatDType, type Tensor } from '@chainrule/core';
import { booleanOption, optionsObject, valueOr } from '@chainrule/core/internal';
import { checkParameterDType } from './layer-options';
import { Module } from '../module';
import { parameter } from '../parameter';
import {
  checkEps,
  checkNormalizedShape,
  layerNormUnchecked,
  normalizedAxes,
  rmsNormUnchecked,
} from '../functional/layer-norm';

/** Options of `new LayerNorm(normalizedShape, options)`. */
export interface LayerNormLayerOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-element scale `weight` (ones) and shift `bias` (zeros) (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn the shift (default true; PyTorch 2.1's `bias`). */
  bias?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
}

/** Options of `new RMSNorm(normalizedShape, options)`. */
export interface RmsNormLayerOptions {
  /** Added to the mean square (default null: the machine epsilon of the input's dtype, as PyTorch). */
  eps?: number | null;
  /** Learn a per-element scale `weight` (ones) (default true). */
  elementwiseAffine?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: FloatDType;
}

/**
 * Layer normalization (PyTorch's `nn.LayerNorm`): each sample is normalized
 * over its last `normalizedShape.length` axes to mean 0 and variance 1
 * (biased variance), then scaled by `weight` and shifted by `bias`, both of
 * shape `normalizedShape`. Behaves the same in training and evaluation.
 *
 * @example
 * const norm = new LayerNorm(64);            // over the last axis of [batch, seq, 64]
 * norm.forward(randn([8, 10, 64])).shape;    // [8, 10, 64]
 * Object.keys(norm.stateDict());             // ['weight', 'bias']
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  /** γ, shape normalizedShape (ones), or null without elementwiseAffine. */
  readonly weight: Tensor | null;
  /** β, shape normalizedShape (zeros), or null without elementwiseAffine or bias. */
  readonly bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    const op = 'LayerNorm';
    this.normalizedShape = checkNormalizedShape(op, normalizedShape);
    const o = optionsObject(op, options, { eps: true, elementwiseAffine: true, bias: true, dtype: true });
    this.eps = checkEps(op, valueOr<unknown>(o.eps, 1e-5));
    this.elementwiseAffine = booleanOption(op, 'elementwiseAffine', o.elementwiseAffine, true);
    const useBias = booleanOption(op, 'bias', o.bias, true);
    const dtype = checkParameterDType(op, o.dtype);
    const shape = [...this.normalizedShape];
    this.weight = this.registerParameter('weight', this.elementwiseAffine ? parameter(ones(shape, { dtype })) : null);
    this.bias = this.registerParameter(
      'bias',
      this.elementwiseAffine && useBias ? parameter(zeros(shape, { dtype })) : null,
    );
  }

  forward(x: Tensor): Tensor {
    const axes = normalizedAxes('LayerNorm', x, this.normalizedShape);
    return layerNormUnchecked(x, axes, this.eps, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(', ')}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

/**
 * Root-mean-square normalization (PyTorch 2.4's `nn.RMSNorm`):
 * `x / √(mean(x²) + eps) · weight` over the last `normalizedShape.length`
 * axes, without centring and without a bias. eps defaults to the machine
 * epsilon of the input's dtype.
 *
 * @example
 * const norm = new RMSNorm([512], { eps: 1e-6 });
 */
export class RMSNorm extends Module {
  readonly normalizedShape: readonly number[];
  /** null: the input dtype's machine epsilon, chosen at each forward. */
  readonly eps: number | null;
  readonly elementwiseAffine: boolean;
  /** γ, shape normalizedShape (ones), or null without elementwiseAffine. */
  readonly weight: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: RmsNormLayerOptions = {}) {
    super();
    const op = 'RMSNorm';
    this.normalizedShape = checkNormalizedShape(op, normalizedShape);
    const o = optionsObject(op, options, { eps: true, elementwiseAffine: true, dtype: true });
    this.eps = o.eps === undefined || o.eps === null ? null : checkEps(op, o.eps);
    this.elementwiseAffine = booleanOption(op, 'elementwiseAffine', o.elementwiseAffine, true);
    const dtype = checkParameterDType(op, o.dtype);
    this.weight = this.registerParameter(
      'weight',
      this.elementwiseAffine ? parameter(ones([...this.normalizedShape], { dtype })) : null,
    );
  }

  forward(x: Tensor): Tensor {
    const axes = normalizedAxes('RMSNorm', x, this.normalizedShape);
    return rmsNormUnchecked(x, axes, this.eps, this.weight);
  }

  override extraRepr(): string {
    const eps = this.eps === null ? 'eps=null' : `eps=${this.eps}`;
    return `[${this.normalizedShape.join(', ')}], ${eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}
