/**
 * Fuzzing initializers, data helpers and state dicts from untyped
 * JavaScript, and random sequences of calls on one model. Each call returns
 * a result with the documented properties or throws a ChainruleError naming
 * the function; a failed call leaves every parameter as it was.
 */
import { describe, it } from 'vitest';
import fc, { type Arbitrary } from 'fast-check';
import { Generator, Tensor, tensor } from '@chainrule/core';
import {
  DataLoader,
  MinMaxScaler,
  StandardScaler,
  constant,
  heNormal,
  heUniform,
  loadSafetensors,
  mlp,
  mseLoss,
  normal,
  saveSafetensors,
  trainTestSplit,
  uniform,
  xavierNormal,
  xavierUniform,
  type Dataset,
  type StateDict,
} from '../src/index';
import { attempt, attemptExpecting, snapshotTensors } from './fuzz/contract';
import {
  arbAnyTensor,
  arbFinite,
  arbFloatTensorOf,
  arbGenerator,
  arbJunk,
  arbNumber,
  arbOptions,
  arbShape,
  arbTensorArgument,
  field,
  filterKeys,
  isFloat,
  isOptionsObject,
  validOrJunk,
} from './fuzz/values';

const runs = { numRuns: Number(process.env['FUZZ_RUNS'] ?? 60) };
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const generatorOk = (o: unknown) => field(o, 'generator') === undefined || field(o, 'generator') instanceof Generator;
const orDefault = <T>(x: unknown, d: T): unknown => (x === undefined ? d : x);

// PyTorch's calculate_gain table (torch.nn.init docs): the gains He initializers scale by.
const gains: Record<string, (a: number) => number> = {
  linear: () => 1,
  sigmoid: () => 1,
  softmax: () => 1,
  tanh: () => 5 / 3,
  relu: () => Math.SQRT2,
  leakyRelu: (a) => Math.sqrt(2 / (1 + a * a)),
  selu: () => 3 / 4,
};

describe('fuzz: initializers', () => {
  const arbInitOptions = arbOptions({
    low: validOrJunk(fc.double({ min: -3, max: 0, noNaN: true })),
    high: validOrJunk(fc.double({ min: 0, max: 3, noNaN: true })),
    mean: validOrJunk(arbFinite),
    std: validOrJunk(fc.double({ min: 0, max: 3, noNaN: true })),
    gain: validOrJunk(arbFinite),
    a: validOrJunk(fc.double({ min: 0, max: 1, noNaN: true })),
    mode: validOrJunk(fc.constantFrom('fanIn', 'fanOut')),
    nonlinearity: validOrJunk(fc.constantFrom(...Object.keys(gains))),
    generator: arbGenerator,
  });
  const inits = ['uniform', 'normal', 'constant', 'xavierUniform', 'xavierNormal', 'heUniform', 'heNormal'] as const;
  // The options each initializer documents (RandomInitOptions and its own).
  const initKeys: Record<(typeof inits)[number], readonly string[]> = {
    uniform: ['generator', 'low', 'high'],
    normal: ['generator', 'mean', 'std'],
    constant: [],
    xavierUniform: ['generator', 'gain'],
    xavierNormal: ['generator', 'gain'],
    heUniform: ['generator', 'a', 'mode', 'nonlinearity'],
    heNormal: ['generator', 'a', 'mode', 'nonlinearity'],
  };
  const allInitKeys = Object.values(initKeys).flat();

  function fans(shape: readonly number[]): [number, number] {
    const receptive = shape.slice(2).reduce((n, d) => n * d, 1);
    return [(shape[1] as number) * receptive, (shape[0] as number) * receptive];
  }

  it('fill any float tensor in place within the documented bounds, or throw a typed error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...inits),
        fc.oneof(arbAnyTensor, arbJunk),
        arbInitOptions,
        fc.oneof(arbFinite, arbJunk),
        fc.integer({ min: 0, max: 3 }),
        (init, t, options, value, keepAll) => {
          // The options hold every initializer's keys; three cases in four keep only this one's (and any misspelt key), so valid calls stay common.
          const o =
            keepAll === 0
              ? options
              : filterKeys(options, (k) => initKeys[init].includes(k) || !allInitKeys.includes(k));
          const fanBased = init.startsWith('xavier') || init.startsWith('he');
          const rank2 = t instanceof Tensor && t.ndim >= 2;
          let valid =
            t instanceof Tensor &&
            isFloat(t) &&
            (!fanBased || rank2) &&
            (init === 'constant' || (isOptionsObject(o, initKeys[init]) && generatorOk(o)));
          if (init === 'uniform')
            valid &&= [field(o, 'low'), field(o, 'high')].every((v) => v === undefined || isFiniteNumber(v));
          if (init === 'normal')
            valid &&= isFiniteNumber(orDefault(field(o, 'mean'), 0)) && isFiniteNumber(orDefault(field(o, 'std'), 1));
          if (init.startsWith('xavier'))
            valid &&= isFiniteNumber(orDefault(field(o, 'gain'), 1)) && (orDefault(field(o, 'gain'), 1) as number) >= 0;
          if (init.startsWith('he')) {
            valid &&=
              isFiniteNumber(orDefault(field(o, 'a'), 0)) &&
              ['fanIn', 'fanOut'].includes(orDefault(field(o, 'mode'), 'fanIn') as string);
            const nonlinearity = orDefault(field(o, 'nonlinearity'), 'leakyRelu');
            valid &&= typeof nonlinearity === 'string' && Object.hasOwn(gains, nonlinearity);
          }
          if (init === 'constant') valid &&= isFiniteNumber(value);
          const call = (): Tensor => {
            const target = t as Tensor;
            switch (init) {
              case 'uniform':
                return uniform(target, o as never);
              case 'normal':
                return normal(target, o as never);
              case 'constant':
                return constant(target, value as number);
              case 'xavierUniform':
                return xavierUniform(target, o as never);
              case 'xavierNormal':
                return xavierNormal(target, o as never);
              case 'heUniform':
                return heUniform(target, o as never);
              case 'heNormal':
                return heNormal(target, o as never);
            }
          };
          const before = t instanceof Tensor ? snapshotTensors([t]) : null;
          // uniform refuses low > high; the test leaves that to the call (both orders are generated).
          const [low, high] = [orDefault(field(o, 'low'), 0), orDefault(field(o, 'high'), 1)];
          const lowAboveHigh = init === 'uniform' && isFiniteNumber(low) && isFiniteNumber(high) && low > high;
          const out = lowAboveHigh
            ? attempt([init], call)
            : attemptExpecting(valid, [init, 'calculateGain', 'fans', 'uniform', 'normal'], call);
          if (!out.ok) {
            if (before !== null && JSON.stringify(snapshotTensors([t as Tensor])) !== JSON.stringify(before))
              throw new Error(`${init} threw but changed the tensor`);
            return;
          }
          if (out.value !== t) throw new Error(`${init} must return the tensor it filled`);
          const xs = Array.from(out.value.data());
          const f32 = (v: number) => (out.value.dtype === 'float32' ? Math.fround(v) : v);
          let bound = Infinity;
          if (init === 'uniform')
            bound = Math.max(
              Math.abs(orDefault(field(o, 'low'), 0) as number),
              Math.abs(orDefault(field(o, 'high'), 1) as number),
            );
          if (init === 'xavierUniform') {
            const [fi, fo] = fans(out.value.shape);
            bound = fi + fo === 0 ? 0 : Math.abs(orDefault(field(o, 'gain'), 1) as number) * Math.sqrt(6 / (fi + fo));
          }
          if (init === 'heUniform') {
            const [fi, fo] = fans(out.value.shape);
            const fan = orDefault(field(o, 'mode'), 'fanIn') === 'fanIn' ? fi : fo;
            const gain = (gains[orDefault(field(o, 'nonlinearity'), 'leakyRelu') as string] as (a: number) => number)(
              orDefault(field(o, 'a'), 0) as number,
            );
            bound = fan === 0 ? 0 : Math.sqrt(3) * (gain / Math.sqrt(fan));
          }
          if (init === 'constant' && !xs.every((v) => v === f32(value as number)))
            throw new Error(`constant(${value}) gave ${xs}`);
          if (!xs.every((v) => Number.isFinite(v) && Math.abs(v) <= f32(bound) * (1 + 1e-7)))
            throw new Error(`${init} gave a value outside ±${bound}: ${xs}`);
        },
      ),
      runs,
    );
  });
});

/** Rows of a tensor along axis 0, as strings, sorted: a multiset to compare. */
function rows(t: Tensor): string[] {
  const n = t.shape[0] as number;
  const width = n === 0 ? 0 : t.size / n;
  const data = Array.from(t.data(), String);
  return Array.from({ length: n }, (_, r) => data.slice(r * width, (r + 1) * width).join(',')).sort();
}

const arbDataset: Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: 9 }), arbShape({ maxRank: 2 }), arbShape({ maxRank: 1 }))
      .chain(([n, a, b]) => fc.record({ inputs: arbFloatTensorOf([n, ...a]), targets: arbFloatTensorOf([n, ...b]) })),
  },
  { weight: 1, arbitrary: fc.record({ inputs: arbTensorArgument, targets: arbTensorArgument }) },
  { weight: 1, arbitrary: arbJunk },
);

function datasetSize(data: unknown): number | null {
  if (data === null || typeof data !== 'object') return null;
  const { inputs, targets } = data as Partial<Dataset>;
  if (
    !(inputs instanceof Tensor) ||
    !(targets instanceof Tensor) ||
    inputs.ndim === 0 ||
    targets.ndim === 0 ||
    inputs.shape[0] !== targets.shape[0]
  )
    return null;
  return inputs.shape[0] as number;
}

function randomnessOk(o: unknown): boolean {
  const seed = field(o, 'seed');
  return (
    generatorOk(o) &&
    (seed === undefined || Number.isSafeInteger(seed)) &&
    !(seed !== undefined && field(o, 'generator') !== undefined)
  );
}

describe('fuzz: DataLoader, trainTestSplit and scalers', () => {
  const arbRandomness = {
    seed: validOrJunk(fc.integer({ min: 0, max: 100 })),
    generator: fc.oneof(fc.constant(undefined), arbGenerator),
  };

  it('DataLoader: one epoch visits every sample once (dropLast: all but the remainder), or the call is refused', () => {
    const arbLoaderOptions = arbOptions({
      batchSize: validOrJunk(fc.integer({ min: 1, max: 5 })),
      shuffle: validOrJunk(fc.boolean()),
      dropLast: validOrJunk(fc.boolean()),
      ...arbRandomness,
    });
    fc.assert(
      fc.property(arbDataset, arbLoaderOptions, (data, o) => {
        const n = datasetSize(data);
        const batchSize = orDefault(field(o, 'batchSize'), 32);
        const flags = ['shuffle', 'dropLast'].every((k) => ['boolean', 'undefined'].includes(typeof field(o, k)));
        const valid =
          n !== null &&
          isOptionsObject(o, ['batchSize', 'shuffle', 'dropLast', 'seed', 'generator']) &&
          Number.isInteger(batchSize) &&
          (batchSize as number) >= 1 &&
          flags &&
          randomnessOk(o);
        const made = attemptExpecting(valid, ['DataLoader'], () => new DataLoader(data as Dataset, o as never));
        if (!made.ok) return;
        const loader = made.value;
        const batches = [...loader];
        if (batches.length !== loader.length) throw new Error('length differs from the batches of an epoch');
        const bs = batchSize as number;
        const expectedCount = field(o, 'dropLast') === true ? Math.floor((n as number) / bs) * bs : (n as number);
        const seenInputs = batches.flatMap((b) => rows(b.inputs));
        if (seenInputs.length !== expectedCount || batches.some((b) => (b.inputs.shape[0] as number) > bs))
          throw new Error('wrong batch sizes');
        const { inputs, targets } = data as Dataset;
        if (field(o, 'dropLast') !== true) {
          if (seenInputs.sort().join('|') !== rows(inputs).join('|'))
            throw new Error('an epoch must visit every input row once');
          if (
            batches
              .flatMap((b) => rows(b.targets))
              .sort()
              .join('|') !== rows(targets).join('|')
          )
            throw new Error('an epoch must visit every target row once');
        }
      }),
      runs,
    );
  });

  it('trainTestSplit: the two parts hold every sample once, the test part ceil(testSize·n) of them', () => {
    const arbSplitOptions = arbOptions({
      testSize: validOrJunk(
        fc.oneof(fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer({ min: 1, max: 10 })),
      ),
      shuffle: validOrJunk(fc.boolean()),
      ...arbRandomness,
    });
    fc.assert(
      fc.property(arbDataset, arbSplitOptions, (data, o) => {
        const n = datasetSize(data);
        const testSize = orDefault(field(o, 'testSize'), 0.25);
        const count =
          typeof testSize === 'number' && testSize > 0 && testSize < 1
            ? Math.ceil(testSize * (n ?? 0))
            : Number.isInteger(testSize) && (testSize as number) >= 1
              ? (testSize as number)
              : null;
        const valid =
          n !== null &&
          isOptionsObject(o, ['testSize', 'shuffle', 'seed', 'generator']) &&
          count !== null &&
          count < n &&
          ['boolean', 'undefined'].includes(typeof field(o, 'shuffle')) &&
          randomnessOk(o);
        const out = attemptExpecting(valid, ['trainTestSplit'], () => trainTestSplit(data as Dataset, o as never));
        if (!out.ok) return;
        const { train, test } = out.value;
        if (test.inputs.shape[0] !== count || train.inputs.shape[0] !== (n as number) - (count as number))
          throw new Error('wrong part sizes');
        if ([...rows(train.inputs), ...rows(test.inputs)].sort().join('|') !== rows((data as Dataset).inputs).join('|'))
          throw new Error('the parts must hold every sample once');
      }),
      runs,
    );
  });

  it('scalers: fit on finite [n ≥ 1, f] data, transform matches the plain formula, inverseTransform undoes it', () => {
    // NOTE: values beyond 1e100 or within 1e-30 of 0 (subnormal statistics round differently by summation order,
    // and may not be representable in float32 at all) are left to the example tests.
    const ordinary = (v: number) => !Number.isFinite(v) || v === 0 || (Math.abs(v) <= 1e100 && Math.abs(v) >= 1e-30);
    const arbFit = fc
      .tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }))
      .chain(([n, f]) =>
        fc.oneof(
          { weight: 4, arbitrary: arbFloatTensorOf([n, f], arbFinite.filter(ordinary)) },
          { weight: 1, arbitrary: arbFloatTensorOf([n, f], arbNumber.filter(ordinary)) },
          { weight: 1, arbitrary: arbTensorArgument.filter((x) => !(x instanceof Tensor) || x.data().every(ordinary)) },
        ),
      );
    fc.assert(
      fc.property(
        fc.boolean(),
        arbOptions({
          featureRange: validOrJunk(fc.constantFrom([0, 1], [-1, 1], [2, 5])),
          withMean: validOrJunk(fc.boolean()),
          withStd: validOrJunk(fc.boolean()),
        }),
        arbFit,
        fc.integer({ min: 0, max: 3 }),
        (minMax, given, x, keepAll) => {
          const name = minMax ? 'MinMaxScaler' : 'StandardScaler';
          // Three cases in four drop the other scaler's keys, so that valid calls stay common.
          const o =
            keepAll === 0
              ? given
              : filterKeys(given, (k) => (minMax ? !['withMean', 'withStd'].includes(k) : k !== 'featureRange'));
          const range = orDefault(field(o, 'featureRange'), [0, 1]);
          const rangeValid =
            Array.isArray(range) &&
            range.length === 2 &&
            isFiniteNumber(range[0]) &&
            isFiniteNumber(range[1]) &&
            range[0] < range[1];
          const optionsValid =
            isOptionsObject(o, minMax ? ['featureRange'] : ['withMean', 'withStd']) &&
            (minMax
              ? rangeValid
              : ['withMean', 'withStd'].every((k) => ['boolean', 'undefined'].includes(typeof field(o, k))));
          const made = attemptExpecting(optionsValid, [name], () =>
            minMax ? new MinMaxScaler(o as never) : new StandardScaler(o as never),
          );
          if (!made.ok) return;
          const fitValid =
            x instanceof Tensor &&
            isFloat(x) &&
            x.ndim === 2 &&
            (x.shape[0] as number) > 0 &&
            x.data().every(Number.isFinite);
          const fitted = attemptExpecting(fitValid, [`${name}.fit`], () => made.value.fit(x as Tensor));
          if (!fitted.ok) return;
          const t = x as Tensor;
          const [n, f] = t.shape as [number, number];
          const v = Float64Array.from(t.data());
          const column = (c: number) => Array.from({ length: n }, (_, r) => v[r * f + c] as number);
          const scaled = made.value.transform(t).data();
          for (let c = 0; c < f; c++) {
            const col = column(c);
            let expected: number[];
            let divisor = 1;
            if (minMax) {
              const [lo, hi] = orDefault(field(o, 'featureRange'), [0, 1]) as [number, number];
              const min = Math.min(...col);
              const range = Math.max(...col) - min;
              expected = col.map((value) => (range === 0 ? lo : lo + ((value - min) / range) * (hi - lo)));
              divisor = range === 0 ? 1 : range / (hi - lo);
              if (t.dtype === 'float32' && range > 3.4e38) continue; // x - min itself overflows float32
            } else {
              const mean = col.reduce((s, value) => s + value, 0) / n;
              // √(Σ d²/n) with d scaled by its largest size, so that tiny or huge d neither underflow nor overflow when squared.
              const d = col.map((value) => value - mean);
              const big = Math.max(...d.map(Math.abs));
              const std = big === 0 ? 0 : big * Math.sqrt(d.reduce((s, x) => s + (x / big) ** 2, 0) / n);
              const centre = field(o, 'withMean') === false ? 0 : mean;
              const scale = field(o, 'withStd') === false || Math.min(...col) === Math.max(...col) ? 1 : std;
              expected = col.map((value) => (value - centre) / scale);
              divisor = scale;
            }
            expected.forEach((e, r) => {
              const got = scaled[r * f + c] as number;
              // Rounding of x and of the fitted statistics (a few eps of the column's magnitude) is divided
              // by the scale: a column of nearly equal values is ill-conditioned, and the tolerance says so.
              const eps = t.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
              const conditioning = Math.max(...col.map(Math.abs)) / divisor;
              const tol = 16 * eps * (1 + conditioning + Math.abs(e) * (1 + conditioning));
              if (!(Math.abs(got - e) <= tol || (Number.isNaN(got) && Number.isNaN(e))))
                throw new Error(`${name} column ${c} row ${r}: got ${got}, expected ${e}`);
            });
          }
          // inverseTransform(transform(x)) gives x back, within the rounding of both directions.
          const back = made.value.inverseTransform(made.value.transform(t)).data();
          const eps = t.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
          for (let i = 0; i < back.length; i++) {
            const col = column(i % f);
            const magnitude = Math.max(...col.map(Math.abs));
            const spread = Math.max(...col) - Math.min(...col);
            const tol = 64 * eps * (magnitude + spread + Math.abs(v[i] as number));
            if (!(Math.abs((back[i] as number) - (v[i] as number)) <= tol))
              throw new Error(`${name}: inverseTransform gave ${back[i]} for ${v[i]}`);
          }
        },
      ),
      runs,
    );
  });
});

describe('fuzz: stateDict and loadStateDict', () => {
  const model = () => mlp([2, 3, 2], { generator: new Generator(1) });
  const names = ['0.weight', '0.bias', '1.weight', '1.bias'];
  type Edit = { kind: 'swap' | 'drop' | 'extra' | 'replace'; name: string; value: unknown };
  const arbEdit: Arbitrary<Edit> = fc.record({
    kind: fc.constantFrom('swap', 'drop', 'extra', 'replace'),
    name: fc.constantFrom(...names, 'extra', '__proto__'),
    value: fc.oneof(
      arbAnyTensor,
      arbJunk,
      fc.constantFrom([3, 2], [2], [3], [2, 3]).chain((s) => arbFloatTensorOf(s)),
    ),
  });

  it('a load either copies every given value (as it was before the load) or throws and changes nothing', () => {
    fc.assert(
      fc.property(
        fc.array(arbEdit, { maxLength: 3 }),
        fc.oneof(fc.constant(undefined), fc.record({ strict: validOrJunk(fc.boolean()) }), arbJunk),
        fc.boolean(),
        (edits, options, fromOther) => {
          const target = model();
          const source = fromOther ? mlp([2, 3, 2], { generator: new Generator(2) }) : target;
          const dict: StateDict = { ...source.stateDict() };
          for (const e of edits) {
            if (e.kind === 'drop') delete dict[e.name];
            else if (e.kind === 'swap') {
              const other = names[(names.indexOf(e.name) + 2) % names.length] as string;
              [dict[e.name], dict[other]] = [dict[other] as Tensor, dict[e.name] as Tensor];
            } else
              Object.defineProperty(dict, e.kind === 'extra' ? `${e.name}.extra` : e.name, {
                value: e.value,
                enumerable: true,
                configurable: true,
                writable: true,
              });
          }
          const params = target.parameters();
          const before = snapshotTensors(params);
          const wanted = new Map(
            Object.entries(dict).map(([k, v]) => [k, v instanceof Tensor ? Array.from(v.data(), Number) : null]),
          );
          const out = attempt(['loadStateDict'], () => target.loadStateDict(dict, options as never));
          if (!out.ok) {
            if (JSON.stringify(snapshotTensors(params)) !== JSON.stringify(before))
              throw new Error(`a failed load changed a parameter: ${out.error.message}`);
            return;
          }
          const strict = field(options, 'strict') !== false;
          if (strict && (out.value.missingKeys.length > 0 || out.value.unexpectedKeys.length > 0))
            throw new Error('a strict load with mismatched names succeeded');
          target.namedParameters().forEach(([name, p], i) => {
            const values = Array.from(p.data(), Number);
            const expected = wanted.get(name)?.map((v) => (p.dtype === 'float32' ? Math.fround(v) : v)) ?? before[i];
            if (JSON.stringify(values) !== JSON.stringify(expected))
              throw new Error(`'${name}' holds ${values}, expected ${expected}`);
          });
        },
      ),
      runs,
    );
  });
});

describe('fuzz: random sequences of calls on one model', () => {
  type Step = { op: 'forward' | 'backward' | 'zeroGrad' | 'train' | 'load' | 'save' | 'loadJunk'; arg: unknown };
  const arbStep: Arbitrary<Step> = fc.oneof(
    fc.record({
      op: fc.constant('forward' as const),
      arg: fc.oneof(arbFloatTensorOf([2, 2]), arbFloatTensorOf([2]), arbTensorArgument),
    }),
    fc.record({ op: fc.constant('backward' as const), arg: fc.oneof(arbFloatTensorOf([3, 2]), arbTensorArgument) }),
    fc.record({ op: fc.constantFrom('zeroGrad' as const, 'save' as const), arg: fc.constant(null) }),
    fc.record({ op: fc.constant('train' as const), arg: validOrJunk(fc.boolean()) }),
    fc.record({ op: fc.constant('load' as const), arg: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ op: fc.constant('loadJunk' as const), arg: fc.oneof(arbJunk, fc.uint8Array({ maxLength: 40 })) }),
  );

  it('every step returns or throws a typed error; parameters keep their identity, shape and dtype, and a failed step changes none', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 10 }), (steps) => {
        const net = mlp([2, 2, 2], { generator: new Generator(3) });
        const params = net.parameters();
        const shapes = params.map((p) => `${p.dtype}[${p.shape}]`).join();
        const saved: Uint8Array[] = [saveSafetensors(net.stateDict())];
        for (const { op, arg } of steps) {
          const before = snapshotTensors(params);
          const out = attempt(
            ['Sequential', 'Dense', 'matmul', 'mseLoss', 'train', 'loadStateDict', 'loadSafetensors', 'backward'],
            () => {
              switch (op) {
                case 'forward':
                  return net.forward(arg as Tensor);
                case 'backward':
                  return mseLoss(
                    net.forward(
                      tensor([
                        [0.5, -1],
                        [2, 0],
                        [1, 1],
                      ]),
                    ),
                    arg as Tensor,
                  ).backward();
                case 'zeroGrad':
                  return net.zeroGrad();
                case 'train':
                  return net.train(arg as boolean);
                case 'save':
                  return saved.push(saveSafetensors(net.stateDict()));
                case 'load':
                  return net.loadStateDict(loadSafetensors(saved[(arg as number) % saved.length] as Uint8Array));
                case 'loadJunk':
                  return net.loadStateDict(loadSafetensors(arg as Uint8Array));
              }
            },
          );
          const after = net.parameters();
          if (after.length !== params.length || after.some((p, i) => p !== params[i]))
            throw new Error(`${op} replaced a parameter`);
          if (after.map((p) => `${p.dtype}[${p.shape}]`).join() !== shapes)
            throw new Error(`${op} changed a parameter's shape or dtype`);
          if (!out.ok && JSON.stringify(snapshotTensors(params)) !== JSON.stringify(before))
            throw new Error(`a failed ${op} changed a parameter: ${out.error.message}`);
          if (op === 'loadJunk' && out.ok && !(arg instanceof Uint8Array))
            throw new Error('loadSafetensors accepted junk');
        }
      }),
      runs,
    );
  });
});
