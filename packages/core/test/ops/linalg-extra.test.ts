/**
 * The contractions (tensordot, bmm, kron, cross, cdist) and the linalg
 * namespace against PyTorch (fixtures/linalg.json, written by linalg.py):
 * values and gradients, batched, singular and ill-conditioned cases, and
 * the calls PyTorch refuses. Below, the conventions checked by hand.
 */
import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import * as core from '../../src/index';
import { ArgumentError, ShapeError, tensor, type Tensor } from '../../src/index';
import { fixture, runFixture, type Call } from './linalg-fixture';

const order = (o: unknown): number => (o === 'inf' ? Infinity : o === '-inf' ? -Infinity : (o as number));
const two = (xs: Tensor[]): [Tensor, Tensor] => [xs[0] as Tensor, xs[1] as Tensor];

const contractions: Record<string, Call> = {
  tensordot: (xs, [axes]) => core.tensordot(...two(xs), axes as number),
  bmm: (xs) => core.bmm(...two(xs)),
  kron: (xs) => core.kron(...two(xs)),
  cross: (xs, [axis]) => core.cross(...two(xs), axis as number),
  cdist: (xs, [p]) => core.cdist(...two(xs), order(p)),
};

describe(`contractions against PyTorch ${fixture.torch}`, () => {
  runFixture(contractions);
});

describe('contractions by hand', () => {
  it('cross of the unit vectors: e0 × e1 = e2, e1 × e2 = e0', () => {
    const e = core.eye(3, undefined, { dtype: 'float64' });
    expect(Array.from(core.cross(e.slice(0, 0, 2), e.slice(0, 1, 3)).data())).toEqual([0, 0, 1, 1, 0, 0]);
  });
  it('kron of eye(2) and [[1, 2], [3, 4]] is block diagonal', () => {
    const k = core.kron(
      core.eye(2),
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    expect(Array.from(k.data())).toEqual([1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4]);
  });
  it('cdist: 3-4-5 triangle; a zero distance has gradient 0', () => {
    const x = tensor([[0, 0]], { dtype: 'float64', requiresGrad: true });
    const d = core.cdist(
      x,
      tensor(
        [
          [3, 4],
          [0, 0],
        ],
        { dtype: 'float64' },
      ),
    );
    expect(Array.from(d.data())).toEqual([5, 0]);
    d.sum().backward();
    // d|x - (3, 4)|/dx = (x - (3, 4)) / 5 = (-0.6, -0.8); the zero distance adds 0.
    expect(x.grad).toBeAllClose(tensor([[-0.6, -0.8]], { dtype: 'float64' }));
  });
  it('argument errors name the op and what is accepted', () => {
    const m = core.zeros([2, 3]);
    expect(() => core.bmm(m, m)).toThrow(
      new ShapeError('bmm', 'expected two 3-D tensors [batch, n, m] and [batch, m, p], got shapes [2,3] and [2,3]'),
    );
    expect(() => core.tensordot(m, m, 3)).toThrow(ArgumentError);
    expect(() => core.tensordot(m, m, [[0], [0, 1]])).toThrow(/^tensordot: axesA and axesB must pair up/);
    expect(() =>
      core.tensordot(m, m, [
        [0, 0],
        [0, 1],
      ]),
    ).toThrow(/^tensordot: axesA \[0, 0\] names an axis twice/);
    expect(() => core.cross(core.zeros([3, 2]), core.zeros([3, 2]))).toThrow(/^cross: axis -1 must have size 3/);
    expect(() => core.cdist(m, m, -1)).toThrow(/^cdist: p must be a number ≥ 0/);
    expect(() => core.cdist(m, core.zeros([2, 2]))).toThrow(/^cdist: expected x1 \[\.\.\., m, d\]/);
  });
});
