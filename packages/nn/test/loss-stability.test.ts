/**
 * bceLoss, bceWithLogitsLoss and crossEntropyLoss at ±1e4: finite losses and
 * finite gradients that match float64 references, in float32 and float64,
 * for every reduction. At ±1e4 a naive formula breaks: e^1e4 overflows,
 * sigmoid(±1e4) is exactly 1 or 0 so log(1 - p) is log 0, and logits 2e4
 * apart make softmax exactly 0 for all but one class.
 *
 * References: `references` below is the output of this script, run with
 * Debian's PyTorch 1.13 in float64 (F = torch.nn.functional):
 *
 * import torch, json
 * torch.set_printoptions(precision=17)
 * F = torch.nn.functional
 * d = torch.float64
 * out = {}
 * z = torch.tensor([1e4, -1e4, 1e4, -1e4, 0.5, -3.0], dtype=d, requires_grad=True)
 * y = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.3, 0.7], dtype=d)
 * for r in ['none', 'sum', 'mean']:
 *     z.grad = None
 *     l = F.binary_cross_entropy_with_logits(z, y, reduction=r)
 *     l.sum().backward()
 *     out[f'bceWithLogits_{r}'] = {'loss': l.detach().reshape(-1).tolist(), 'grad': z.grad.tolist()}
 * pw = torch.tensor([3.0, 3.0, 3.0, 3.0, 3.0, 3.0], dtype=d)
 * z.grad = None
 * l = F.binary_cross_entropy_with_logits(z, y, pos_weight=pw, reduction='sum'); l.backward()
 * out['bceWithLogits_posWeight3_sum'] = {'loss': [l.item()], 'grad': z.grad.tolist()}
 * # bce on sigmoid(z): p is exactly 0 or 1 at ±1e4
 * z.grad = None
 * p = torch.sigmoid(z)
 * l = F.binary_cross_entropy(p, y, reduction='none')
 * out['bce_of_sigmoid_none'] = {'p': p.tolist(), 'loss': l.tolist()}
 * x = torch.tensor([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4], [1e4, 1e4, -1e4], [2.0, -1.0, 0.5]], dtype=d, requires_grad=True)
 * t = torch.tensor([1, 0, 1, 2])
 * q = torch.tensor([[0.2, 0.5, 0.3], [0.0, 0.0, 1.0], [0.5, 0.5, 0.0], [1/3, 1/3, 1/3]], dtype=d)
 * w = torch.tensor([1.0, 2.0, 0.5], dtype=d)
 * for r in ['none', 'sum', 'mean']:
 *     for name, target, kw in [('indices', t, {}), ('probs', q, {}), ('indicesWeighted', t, {'weight': w})]:
 *         x.grad = None
 *         l = F.cross_entropy(x, target, reduction=r, **kw)
 *         l.sum().backward()
 *         out[f'ce_{name}_{r}'] = {'loss': l.detach().reshape(-1).tolist(), 'grad': x.grad.reshape(-1).tolist()}
 * print(json.dumps(out))
 *
 * Each value also follows by hand: with z = ±1e4, bceWithLogits is
 * (1 - y)z + softplus(-z), which is 1e4 or 0 (e^-1e4 underflows), and its
 * gradient is σ(z) - y ∈ {-1, 0, 1}; cross-entropy of [1e4, -1e4, 0] for
 * class 1 is logsumexp - x₁ = 1e4 - (-1e4) = 2e4, with gradient
 * softmax - onehot = [1, -1, 0].
 */
import { describe, expect, it } from 'vitest';
import { sigmoid, tensor, type Tensor } from '@chainrule/core';
import { bceLoss, bceWithLogitsLoss, crossEntropyLoss, type Reduction } from '../src/index';
import { expectClose } from './helpers';

interface Reference {
  loss: number[];
  grad?: number[];
  p?: number[];
}

// prettier-ignore
const references: Record<string, Reference> = {
  bceWithLogits_none: {
    loss: [10000.0, 10000.0, 0.0, 0.0, 0.8240769841801067, 2.1485873515737417],
    grad: [1.0, -1.0, 0.0, 0.0, 0.3224593312018546, -0.6525741268224332],
  },
  bceWithLogits_sum: {
    loss: [20002.972664335754],
    grad: [1.0, -1.0, 0.0, 0.0, 0.3224593312018546, -0.6525741268224332],
  },
  bceWithLogits_mean: {
    loss: [3333.828777389292],
    grad: [0.16666666666666666, -0.16666666666666666, 0.0, 0.0, 0.05374322186697577, -0.10876235447040554],
  },
  bceWithLogits_posWeight3_sum: {
    loss: [40007.52513281847],
    grad: [1.0, -3.0, 0.0, 0.0, 0.09593492992296737, -1.9861779043738395],
  },
  bce_of_sigmoid_none: {
    p: [1.0, 0.0, 1.0, 0.0, 0.6224593312018546, 0.04742587317756678],
    loss: [100.0, 100.0, -0.0, 0.0, 0.8240769841801067, 2.148587351573742],
  },
  ce_indices_none: {
    loss: [20000.0, 20000.0, 0.6931471805599453, 1.7413112966571571],
    grad: [
      1.0, -1.0, 0.0, -1.0, 0.0, 1.0, 0.5, -0.5, 0.0, 0.7855970345892759, 0.03911257327068745, -0.8247096078599633,
    ],
  },
  ce_probs_none: {
    loss: [13000.0, -0.0, 0.6931471805599453, 1.7413112966571571],
    grad: [
      0.8, -0.5, -0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.45226370125594256, -0.29422076006264586, -0.15804294119329662,
    ],
  },
  ce_indicesWeighted_none: {
    loss: [40000.0, 20000.0, 1.3862943611198906, 0.8706556483285786],
    grad: [
      2.0, -2.0, 0.0, -1.0, 0.0, 1.0, 1.0, -1.0, 0.0, 0.39279851729463794, 0.019556286635343725, -0.41235480392998164,
    ],
  },
  ce_indices_sum: {
    loss: [40002.43445847722],
    grad: [
      1.0, -1.0, 0.0, -1.0, 0.0, 1.0, 0.5, -0.5, 0.0, 0.7855970345892759, 0.03911257327068745, -0.8247096078599633,
    ],
  },
  ce_probs_sum: {
    loss: [13002.434458477217],
    grad: [
      0.8, -0.5, -0.3, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.45226370125594256, -0.29422076006264586, -0.15804294119329662,
    ],
  },
  ce_indicesWeighted_sum: {
    loss: [60002.256950009454],
    grad: [
      2.0, -2.0, 0.0, -1.0, 0.0, 1.0, 1.0, -1.0, 0.0, 0.39279851729463794, 0.019556286635343725, -0.41235480392998164,
    ],
  },
  ce_indices_mean: {
    loss: [10000.608614619305],
    grad: [
      0.25, -0.25, 0.0, -0.25, 0.0, 0.25, 0.125, -0.125, 0.0, 0.19639925864731897, 0.009778143317671862,
      -0.20617740196499082,
    ],
  },
  ce_probs_mean: {
    loss: [3250.6086146193043],
    grad: [
      0.2, -0.125, -0.075, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.11306592531398564, -0.07355519001566146,
      -0.039510735298324155,
    ],
  },
  ce_indicesWeighted_mean: {
    loss: [10909.501263638083],
    grad: [
      0.36363636363636365, -0.36363636363636365, 0.0, -0.18181818181818182, 0.0, 0.18181818181818182,
      0.18181818181818182, -0.18181818181818182, 0.0, 0.07141791223538872, 0.0035556884791534044, -0.07497360071454212,
    ],
  },
};

const reductions: Reduction[] = ['none', 'sum', 'mean'];
const dtypes = ['float32', 'float64'] as const;
const logits = [1e4, -1e4, 1e4, -1e4, 0.5, -3.0];
const labels = [0, 1, 1, 0, 0.3, 0.7];

function reference(key: string): Reference {
  const r = references[key];
  if (r === undefined) throw new Error(`no reference ${key}`);
  return r;
}

/** Loss values and the gradient with respect to the leaf, after backward of the loss's sum. */
function run(
  f: (x: Tensor) => Tensor,
  values: number[] | number[][],
  dtype: 'float32' | 'float64',
): { loss: number[]; grad: number[] } {
  const x = tensor(values, { dtype, requiresGrad: true });
  const loss = f(x);
  loss.sum().backward();
  return { loss: Array.from(loss.data()), grad: Array.from(x.grad?.data() ?? []) };
}

/** Float32 holds 1e4-sized losses to about 1e-3 and gradients to about 1e-7. */
function tolerance(dtype: string): { rtol: number; atol: number } {
  return dtype === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 1e-6, atol: 1e-6 };
}

function expectFiniteAndClose(got: { loss: number[]; grad: number[] }, want: Reference, dtype: string): void {
  expect(got.loss.every(Number.isFinite) && got.grad.every(Number.isFinite)).toBe(true);
  expectClose(got.loss, want.loss, tolerance(dtype));
  if (want.grad !== undefined) expectClose(got.grad, want.grad, tolerance(dtype));
}

describe('loss stability at ±1e4 (references: PyTorch 1.13, float64)', () => {
  for (const dtype of dtypes) {
    for (const reduction of reductions) {
      it(`bceWithLogitsLoss, ${reduction}, ${dtype}`, () => {
        const got = run((z) => bceWithLogitsLoss(z, tensor(labels, { dtype }), { reduction }), logits, dtype);
        expectFiniteAndClose(got, reference(`bceWithLogits_${reduction}`), dtype);
      });

      for (const [name, target] of [
        ['indices', [1, 0, 1, 2]],
        [
          'probs',
          [
            [0.2, 0.5, 0.3],
            [0, 0, 1],
            [0.5, 0.5, 0],
            [1 / 3, 1 / 3, 1 / 3],
          ],
        ],
        ['indicesWeighted', [1, 0, 1, 2]],
      ] as const) {
        it(`crossEntropyLoss with ${name}, ${reduction}, ${dtype}`, () => {
          const rows = [
            [1e4, -1e4, 0],
            [-1e4, -1e4, 1e4],
            [1e4, 1e4, -1e4],
            [2, -1, 0.5],
          ];
          const y =
            name === 'probs'
              ? tensor(target as readonly (readonly number[])[], { dtype })
              : (target as readonly number[]);
          const weight = name === 'indicesWeighted' ? { weight: tensor([1, 2, 0.5], { dtype }) } : {};
          const got = run((x) => crossEntropyLoss(x, y as number[], { reduction, ...weight }), rows, dtype);
          expectFiniteAndClose(got, reference(`ce_${name}_${reduction}`), dtype);
        });
      }
    }

    it(`bceWithLogitsLoss with posWeight 3, sum, ${dtype}`, () => {
      const got = run(
        (z) => bceWithLogitsLoss(z, tensor(labels, { dtype }), { reduction: 'sum', posWeight: tensor([3], { dtype }) }),
        logits,
        dtype,
      );
      expectFiniteAndClose(got, reference('bceWithLogits_posWeight3_sum'), dtype);
    });

    it(`bceLoss of sigmoid(±1e4) (p exactly 0 or 1): each log clamped at -100, and a finite gradient, ${dtype}`, () => {
      const want = reference('bce_of_sigmoid_none');
      const got = run((z) => bceLoss(sigmoid(z), tensor(labels, { dtype }), { reduction: 'none' }), logits, dtype);
      expect(got.loss.every(Number.isFinite) && got.grad.every(Number.isFinite)).toBe(true);
      expectClose(got.loss, want.loss, tolerance(dtype));
      // By hand: at the four saturated points the loss is flat in z (the clamp and σ'(±1e4) = 0
      // both give 0; PyTorch's hand-written BCE backward is 1e12·0 there, also 0); elsewhere
      // d/dz BCE(σ(z), y) = σ(z) - y, PyTorch's bceWithLogits gradient above.
      const interior = reference('bceWithLogits_none').grad as number[];
      expectClose(got.grad, [0, 0, 0, 0, interior[4] as number, interior[5] as number], {
        rtol: dtype === 'float64' ? 1e-9 : 1e-5,
        atol: 1e-7,
      });
    });

    it(`bceLoss at probabilities exactly 0 and 1 with soft targets: 100·weight of the clamped side, ${dtype}`, () => {
      // By hand: -(0.3·max(log 1, -100) + 0.7·max(log 0, -100)) = 70 at p = 1, and 30 at p = 0.
      const got = run((p) => bceLoss(p, tensor([0.3, 0.3], { dtype }), { reduction: 'none' }), [1, 0], dtype);
      expect(got.grad.every(Number.isFinite)).toBe(true);
      expectClose(got.loss, [70, 30], tolerance(dtype));
    });
  }
});
