/**
 * Fuzzing nn's public API as untyped JavaScript would call it: random
 * arguments (sizes, options, tensors of any shape and dtype, NaN/±Infinity,
 * empty tensors, 0-sized axes, and non-tensors: strings, null, undefined,
 * arrays, objects, BigInts, Symbols). Every call either returns a result that
 * matches a float64 reference written in plain loops (fuzz/reference.ts), or
 * throws a ChainruleError naming the function (fuzz/contract.ts). Where the
 * inputs are all valid, the call must succeed; where one is invalid, it must
 * throw. Losses: fuzz-losses.test.ts; data, initializers and state dicts:
 * fuzz-data.test.ts; safetensors files: fuzz-safetensors.test.ts.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { Generator, Tensor } from '@chainrule/core';
import {
  Dense,
  Dropout,
  Flatten,
  Identity,
  LeakyReLU,
  Linear,
  ReLU,
  Sequential,
  Sigmoid,
  Softmax,
  Tanh,
  mlp,
  type Module,
} from '../src/index';
import { attempt, attemptExpecting } from './fuzz/contract';
import {
  activationReference,
  denseActivationNames,
  denseReference,
  expectMatches,
  type Reference,
} from './fuzz/reference';
import {
  arbFloatTensorOf,
  arbGenerator,
  arbJunk,
  arbOptions,
  filterKeys,
  arbSize,
  arbTensorArgument,
  field,
  isOptionsObject,
  validOrJunk,
} from './fuzz/values';

const runs = { numRuns: Number(process.env['FUZZ_RUNS'] ?? 80) };
const activationNames = denseActivationNames;
const twice = (z: Tensor): Tensor => z.mul(2);

function isSmallSize(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 1000;
}

/** Dense's options: each field valid or junk. */
const arbDenseOptions = arbOptions({
  activation: fc.oneof(fc.constantFrom(...activationNames), fc.constant(twice), arbJunk),
  bias: validOrJunk(fc.boolean()),
  init: validOrJunk(fc.constantFrom('xavierUniform', 'xavierNormal', 'heUniform', 'heNormal')),
  dtype: fc.oneof(fc.constantFrom('float32', 'float64'), fc.constantFrom('int32', 'bool', 'float16'), arbJunk),
  generator: arbGenerator,
});

const linearKeys = ['bias', 'init', 'dtype', 'generator'];
const denseKeys = [...linearKeys, 'activation'];

function denseOptionsValid(o: unknown, accepted: readonly string[], withActivation: boolean): boolean {
  if (!isOptionsObject(o, accepted)) return false;
  const activation = field(o, 'activation');
  const bias = field(o, 'bias');
  const init = field(o, 'init');
  const dtype = field(o, 'dtype');
  const generator = field(o, 'generator');
  return (
    (!withActivation ||
      activation === undefined ||
      typeof activation === 'function' ||
      (activationNames as readonly unknown[]).includes(activation)) &&
    (bias === undefined || typeof bias === 'boolean') &&
    (init === undefined ||
      typeof init === 'function' ||
      ['xavierUniform', 'xavierNormal', 'heUniform', 'heNormal'].includes(init as string)) &&
    (dtype === undefined || dtype === 'float32' || dtype === 'float64') &&
    (generator === undefined || generator instanceof Generator)
  );
}

/** The reference output of a Dense layer for x (a valid input). */
function denseOutput(layer: Dense, x: Tensor): Reference {
  const z = denseReference(x, layer.weight, layer.bias);
  if (layer.activationName === 'twice')
    return { ...z, values: z.values.map((v) => 2 * v), scale: z.scale.map((s) => 2 * s) };
  return activationReference(layer instanceof Linear ? 'linear' : layer.activationName, z, layer.outFeatures);
}

/** An input for a layer of `width` input features: usually the right shape, sometimes anything. */
function arbInputFor(width: number) {
  const fitting = fc
    .oneof(
      fc.constant([] as number[]),
      fc.tuple(fc.integer({ min: 0, max: 3 })),
      fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 2 })),
    )
    .chain((lead) => arbFloatTensorOf([...lead, width]));
  return fc.oneof({ weight: 3, arbitrary: fitting }, { weight: 1, arbitrary: arbTensorArgument });
}

function fitsDense(x: unknown, width: number): x is Tensor {
  return x instanceof Tensor && x.ndim >= 1 && x.shape[x.ndim - 1] === width;
}

describe('fuzz: Dense and Linear', () => {
  it('construct from any arguments, and forward any input, with typed errors or the reference output', () => {
    const arbLayer = fc.record({
      linear: fc.boolean(),
      inF: arbSize,
      outF: arbSize,
      options: arbDenseOptions,
      keepActivation: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(
        arbLayer.chain((spec) => fc.tuple(fc.constant(spec), arbInputFor(isSmallSize(spec.inF) ? spec.inF : 2))),
        ([{ linear, inF, outF, options: given, keepActivation }, x]) => {
          const name = linear ? 'Linear' : 'Dense';
          // Linear takes no activation: three cases in four drop it, so that valid ones stay common.
          const options = linear && keepActivation !== 0 ? filterKeys(given, (k) => k !== 'activation') : given;
          const valid =
            isSmallSize(inF) &&
            isSmallSize(outF) &&
            denseOptionsValid(options, linear ? linearKeys : denseKeys, !linear);
          const made = attempt([name, 'zeros'], () =>
            linear
              ? new Linear(inF as number, outF as number, options as never)
              : new Dense(inF as number, outF as number, options as never),
          );
          if (valid !== made.ok)
            throw new Error(
              valid ? `valid arguments refused: ${made.ok ? '' : made.error.message}` : 'invalid arguments accepted',
            );
          if (!made.ok) return;
          const layer = made.value;
          const dtype = field(options, 'dtype') ?? 'float32';
          if (layer.weight.dtype !== dtype || layer.weight.shape.join() !== `${outF},${inF}`)
            throw new Error('wrong weight');
          if (!layer.weight.data().every(Number.isFinite)) throw new Error('non-finite initial weight');
          // A function activation from the junk values returns a number, which forward refuses.
          const activationWorks =
            linear || typeof field(options, 'activation') !== 'function' || field(options, 'activation') === twice;
          const out = attemptExpecting(fitsDense(x, inF as number) && activationWorks, [name, 'matmul'], () =>
            layer.forward(x as Tensor),
          );
          if (out.ok)
            expectMatches(
              out.value,
              denseOutput(layer, x as Tensor),
              `${layer.toString()} on [${(x as Tensor).shape}]`,
            );
        },
      ),
      runs,
    );
  });
});

describe('fuzz: mlp and Sequential', () => {
  const arbSizes = fc.oneof(
    { weight: 3, arbitrary: fc.array(arbSize, { minLength: 0, maxLength: 4 }) },
    { weight: 1, arbitrary: arbJunk },
  );
  const arbMlpOptions = arbOptions({
    activation: fc.oneof(fc.constantFrom(...activationNames), arbJunk),
    outputActivation: fc.oneof(fc.constantFrom(...activationNames), arbJunk),
    bias: validOrJunk(fc.boolean()),
    dtype: fc.oneof(fc.constantFrom('float32', 'float64'), arbJunk),
    generator: arbGenerator,
  });

  it('mlp builds the layers it is asked for and computes their composition, or refuses with a typed error', () => {
    fc.assert(
      fc.property(
        arbSizes,
        arbMlpOptions,
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 1000 }),
        (sizes, options, batch, seed) => {
          const sizesValid = Array.isArray(sizes) && sizes.length >= 2 && sizes.every(isSmallSize);
          const activationsValid = ['activation', 'outputActivation'].every((k) => {
            const a = field(options, k);
            return a === undefined || typeof a === 'function' || (activationNames as readonly unknown[]).includes(a);
          });
          const valid =
            sizesValid && activationsValid && denseOptionsValid(options, [...denseKeys, 'outputActivation'], false);
          const made = attemptExpecting(valid, ['mlp', 'Dense', 'zeros'], () =>
            mlp(sizes as number[], options as never),
          );
          if (!made.ok) return;
          const widths = sizes as number[];
          const model = made.value;
          if (model.length !== widths.length - 1) throw new Error('wrong number of layers');
          // A function from the junk values is accepted as an activation, but returns a number, which forward refuses.
          if (['activation', 'outputActivation'].some((k) => typeof field(options, k) === 'function')) return;
          const x = fc.sample(arbFloatTensorOf([batch, widths[0] as number]), { seed, numRuns: 1 })[0] as Tensor;
          let expected: Reference | null = null;
          let current = x;
          for (const layer of model) {
            const dense = layer as Dense;
            expected = denseOutput(dense, current);
            current = dense.forward(current);
          }
          expectMatches(model.forward(x), expected as Reference, `mlp([${widths}])`);
        },
      ),
      runs,
    );
  });

  it('Sequential takes only modules, and forwards only tensors', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(new Identity()), fc.constant(new Sigmoid()), arbJunk), { maxLength: 3 }),
        arbTensorArgument,
        (layers, x) => {
          const valid = layers.every((m) => m instanceof Identity || m instanceof Sigmoid);
          const made = attemptExpecting(valid, ['Sequential'], () => new Sequential(...(layers as Module[])));
          if (!made.ok) return;
          const floatOk = x instanceof Tensor;
          attemptExpecting(floatOk, ['Sequential', 'Identity', 'sigmoid'], () => made.value.forward(x as Tensor));
        },
      ),
      runs,
    );
  });
});

describe('fuzz: activation, Dropout and Flatten modules', () => {
  const makers: [string, (arg: unknown) => Module, (arg: unknown) => boolean, string][] = [
    ['Sigmoid', () => new Sigmoid(), () => true, 'sigmoid'],
    ['Tanh', () => new Tanh(), () => true, 'tanh'],
    ['ReLU', () => new ReLU(), () => true, 'relu'],
    ['Identity', () => new Identity(), () => true, 'linear'],
    [
      'LeakyReLU',
      (a) => new LeakyReLU(a as number),
      (a) => settingValid(a, 'negativeSlope', (v) => typeof v === 'number' && Number.isFinite(v)),
      'leakyRelu',
    ],
    ['Softmax', (a) => new Softmax(a as number), (a) => settingValid(a, 'axis', Number.isInteger), 'softmax'],
  ];
  /** The setting alone, or as the one key of an options object (an empty one, or one it is missing from, takes the default). */
  const settingValid = (a: unknown, key: string, valid: (v: unknown) => boolean): boolean =>
    a === undefined ||
    valid(a) ||
    (typeof a === 'object' && isOptionsObject(a, [key]) && (field(a, key) === undefined || valid(field(a, key))));

  it('construct from any argument and apply elementwise (softmax: along an axis), matching the reference', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: makers.length - 1 }),
        fc.oneof(
          fc.constant(undefined),
          fc.constant(0.01),
          fc.integer({ min: -3, max: 3 }),
          arbJunk,
          arbOptions({
            negativeSlope: validOrJunk(fc.constant(0.2)),
            axis: validOrJunk(fc.integer({ min: -3, max: 3 })),
          }),
        ),
        arbTensorArgument,
        (k, arg, x) => {
          const [name, make, argValid, reference] = makers[k] as (typeof makers)[number];
          const made = attemptExpecting(argValid(arg), [name], () => make(arg));
          if (!made.ok) return;
          const module = made.value;
          const rank = x instanceof Tensor ? x.ndim : 0;
          const axis = module instanceof Softmax ? module.axis : -1;
          const axisFits = !(module instanceof Softmax) || (axis >= -Math.max(rank, 1) && axis < Math.max(rank, 1));
          const out = attemptExpecting(
            x instanceof Tensor && axisFits,
            [name, reference, 'leakyRelu', 'softmax', 'sigmoid', 'tanh', 'relu'],
            () => module.forward(x as Tensor),
          );
          if (!out.ok) return;
          const input = x as Tensor;
          const slope = module instanceof LeakyReLU ? module.negativeSlope : 0.01;
          const values = Float64Array.from(input.data(), Number);
          if (reference === 'softmax') {
            // Along the chosen axis: move it last by reading with strides.
            const ref = softmaxAlong(input, axis);
            expectMatches(out.value, ref, `Softmax(${axis}) on [${input.shape}]`);
          } else {
            const ref = activationReference(
              reference === 'leakyRelu' ? 'linear' : reference,
              { shape: [...input.shape], values, scale: values.map(Math.abs) },
              1,
            );
            if (reference === 'leakyRelu')
              ref.values = ref.values.map((v) => (v > 0 || Number.isNaN(v) ? v : slope * v));
            expectMatches(out.value, ref, `${name} on [${input.shape}]`);
          }
        },
      ),
      runs,
    );
  });

  it('Dropout: p must be a probability; training zeroes or scales each element, evaluation returns the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1), arbJunk),
        arbOptions({ generator: arbGenerator }),
        fc.boolean(),
        arbTensorArgument,
        (p, options, training, x) => {
          const valid =
            (p === undefined || (typeof p === 'number' && p >= 0 && p <= 1)) &&
            isOptionsObject(options, ['generator']) &&
            (field(options, 'generator') === undefined || field(options, 'generator') instanceof Generator);
          const made = attemptExpecting(valid, ['Dropout'], () => new Dropout(p as number, options as never));
          if (!made.ok) return;
          const drop = made.value.train(training);
          const out = attemptExpecting(x instanceof Tensor, ['Dropout', 'mul'], () => drop.forward(x as Tensor));
          if (!out.ok) return;
          const input = x as Tensor;
          if (!training || p === 0) {
            if (out.value !== input) throw new Error('evaluation (or p = 0) must return the input itself');
            return;
          }
          const xs = input.data();
          const ys = out.value.data();
          const rate = (p ?? 0.5) as number;
          const keepScale = rate === 1 ? 0 : 1 / (1 - rate);
          for (let i = 0; i < xs.length; i++) {
            const xi = xs[i] as number;
            const yi = ys[i] as number;
            if (!Number.isFinite(xi)) continue; // NaN·0 and ∞·0 are NaN, kept or dropped alike
            const scaled = xi * keepScale;
            const kept = yi === scaled || Math.abs(yi - scaled) <= 1e-5 * Math.abs(scaled) + 1e-30;
            if (!(yi === 0 || kept)) throw new Error(`Dropout(${rate}) gave ${yi} for ${xi}: neither 0 nor ${scaled}`);
          }
        },
      ),
      runs,
    );
  });

  it('Flatten: integer axes; the output holds the same elements with the axes merged', () => {
    fc.assert(
      fc.property(
        validOrJunk(fc.integer({ min: -4, max: 4 })),
        validOrJunk(fc.integer({ min: -4, max: 4 })),
        arbTensorArgument,
        (start, end, x) => {
          const args = [start, end].filter((a) => a !== undefined);
          const made = attemptExpecting(
            args.every(Number.isInteger),
            ['Flatten'],
            () => new Flatten(start as number, end as number),
          );
          if (!made.ok) return;
          const out = attempt(['Flatten', 'flatten'], () => made.value.forward(x as Tensor));
          if (!(x instanceof Tensor)) {
            if (out.ok) throw new Error('Flatten accepted a non-tensor');
            return;
          }
          if (!out.ok) return;
          if (x.ndim === 0) {
            // NOTE: core flattens a 0-d tensor to [1] whatever the axes (PyTorch checks them against [-1, 0]).
            if (out.value.shape.join() !== '1' || !Object.is(out.value.item(), x.item()))
              throw new Error('Flatten of a 0-d tensor must give its one element as [1]');
            return;
          }
          const rank = x.ndim;
          const s = made.value.startAxis < 0 ? made.value.startAxis + rank : made.value.startAxis;
          const e = made.value.endAxis < 0 ? made.value.endAxis + rank : made.value.endAxis;
          const dims = [...x.shape];
          const expectedShape = [
            ...dims.slice(0, s),
            dims.slice(s, e + 1).reduce((a, b) => a * b, 1),
            ...dims.slice(e + 1),
          ];
          if (out.value.shape.join() !== expectedShape.join())
            throw new Error(
              `Flatten(${s}, ${e}) of [${x.shape}] gave [${out.value.shape}], expected [${expectedShape}]`,
            );
          if (Array.from(out.value.data()).join() !== Array.from(x.data()).join())
            throw new Error('Flatten changed the elements');
        },
      ),
      runs,
    );
  });
});

/** Softmax of `x` along `axis`, as a reference in x's own layout. */
function softmaxAlong(x: Tensor, axis: number): Reference {
  const shape = x.ndim === 0 ? [1] : [...x.shape];
  const a = axis < 0 ? axis + shape.length : axis;
  const values = Float64Array.from(x.data(), Number);
  const out = new Float64Array(values.length);
  const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
  const size = shape[a] as number;
  const outer = values.length / Math.max(inner * size, 1);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number) => o * size * inner + j * inner + i;
      let m = -Infinity;
      for (let j = 0; j < size; j++) m = Math.max(m, values[at(j)] as number);
      let total = 0;
      for (let j = 0; j < size; j++) total += Math.exp((values[at(j)] as number) - m);
      for (let j = 0; j < size; j++) out[at(j)] = Math.exp((values[at(j)] as number) - m) / total;
    }
  }
  // Rows holding ±Infinity are compared too: like PyTorch 1.13, a row holding +∞ is all NaN (∞ - ∞).
  const scale = values.map(() => 2 * Math.max(0, ...Array.from(values, (v) => (Number.isFinite(v) ? Math.abs(v) : 0))));
  return { shape: [...x.shape], values: out, scale };
}
