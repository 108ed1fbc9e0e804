/**
 * How a researcher writes a layer of their own: subclass Module, mark the
 * learned tensors with parameter(), hold sublayers as properties, and write
 * forward with Tensor ops. Everything else (listing, gradients, saving) works
 * without further code. The README shows this same example.
 */
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, noGrad, ones, tensor, zeros } from '@chainrule/core';
import { Dense, Module, loadSafetensors, mseLoss, parameter, saveSafetensors } from '../src/index';
import { expectClose, expectParameterGradientMatches } from './helpers';

/** y = gain ⊙ x + shift, one gain and shift per feature. */
class Affine extends Module {
  readonly gain: Tensor;
  readonly shift: Tensor;
  constructor(features: number) {
    super();
    this.gain = parameter(ones([features], { dtype: 'float64' }));
    this.shift = parameter(zeros([features], { dtype: 'float64' }));
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.gain).add(this.shift);
  }
  override extraRepr(): string {
    return `${this.gain.shape[0]} features`;
  }
}

/** A Dense layer followed by the custom layer. */
class ScaledDense extends Module {
  readonly dense: Dense;
  readonly affine: Affine;
  constructor() {
    super();
    this.dense = new Dense(2, 3, { dtype: 'float64', generator: new Generator(9) });
    this.affine = new Affine(3);
  }
  forward(x: Tensor): Tensor {
    return this.affine.forward(this.dense.forward(x));
  }
}

describe('a custom layer written by subclassing Module', () => {
  it('is discovered with its parameters and sublayers', () => {
    const model = new ScaledDense();
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      'dense.weight',
      'dense.bias',
      'affine.gain',
      'affine.shift',
    ]);
    expect(model.toString()).toContain('affine: Affine(3 features)  gain [3], shift [3]  (6 parameters)');
  });

  it('gets the hand-derived gradients: ∂/∂gain Σ(gain·x + shift) = Σ over rows of x, ∂/∂shift = rows', () => {
    const affine = new Affine(2);
    affine
      .forward(
        tensor(
          [
            [1, 2],
            [3, 4],
          ],
          { dtype: 'float64' },
        ),
      )
      .sum()
      .backward();
    expect(affine.gain.grad?.toArray()).toEqual([4, 6]);
    expect(affine.shift.grad?.toArray()).toEqual([2, 2]);
  });

  it('passes a finite-difference check for every parameter, through Dense and the custom layer', () => {
    const model = new ScaledDense();
    noGrad(() => model.affine.gain.copyFrom(tensor([1.5, -0.5, 2])));
    const x = tensor(
      [
        [0.3, -1.2],
        [0.8, 0.5],
      ],
      { dtype: 'float64' },
    );
    const y = tensor(
      [
        [0.1, 0.9, 0.4],
        [0.7, 0.2, 0.5],
      ],
      { dtype: 'float64' },
    );
    for (const p of model.parameters()) expectParameterGradientMatches(() => mseLoss(model.forward(x), y), p);
  });

  it('trains: a few gradient steps lower the loss', () => {
    const model = new ScaledDense();
    const x = tensor(
      [
        [0, 0],
        [0, 1],
        [1, 0],
        [1, 1],
      ],
      { dtype: 'float64' },
    );
    const y = tensor(
      [
        [0, 1, 0.5],
        [1, 0, 0.5],
        [1, 0, 0.5],
        [0, 1, 0.5],
      ],
      { dtype: 'float64' },
    );
    const loss = (): number => mseLoss(model.forward(x), y).item();
    const start = loss();
    for (let step = 0; step < 20; step++) {
      model.zeroGrad();
      mseLoss(model.forward(x), y).backward();
      // A plain gradient-descent update, the textbook's w ← w - η ∂C/∂w.
      noGrad(() => {
        for (const p of model.parameters()) if (p.grad !== null) p.subInPlace(p.grad, 0.5);
      });
    }
    expect(loss()).toBeLessThan(start);
  });

  it('saves and loads through safetensors with the same outputs', () => {
    const model = new ScaledDense();
    const fresh = new ScaledDense();
    const x = tensor([[0.2, 0.4]], { dtype: 'float64' });
    noGrad(() => model.affine.gain.subInPlace(tensor([0.5, -0.5, 1], { dtype: 'float64' })));
    fresh.loadStateDict(loadSafetensors(saveSafetensors(model.stateDict())));
    expectClose(fresh.forward(x), model.forward(x), { rtol: 0, atol: 0 });
    expect(fresh.affine.gain.toArray()).toEqual([0.5, 1.5, 0]);
  });
});
