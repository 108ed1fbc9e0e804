/**
 * Making tensors: from JavaScript data (`tensor`), filled (`zeros`, `ones`,
 * `full`, `eye`), ranges (`arange`, `linspace`) and random (`rand`, `randn`,
 * `randperm`), plus the `...Like` forms that copy another tensor's shape and
 * dtype.
 */
import { ArgumentError, DTypeError, ShapeError, safeString } from '../errors';
import { checkOptionKeys, optionalBoolean } from '../internal/options';
import { allocate, checkDType, defaultDType, dtypeOfArray, isFloat, type DType } from './dtype';
import { defaultGenerator, Generator } from './random';
import { checkShape, formatShape, sizeOf, type Shape } from './shape';
import { Tensor } from './tensor';
import { describeValue } from '../internal/describe';
import { tracedWhole } from '../ops/trace';

/** Options shared by the creation functions. */
export interface CreateOptions {
  /** Element type (default float32, or the typed array's own type). */
  dtype?: DType;
  /** Make the new tensor a leaf that requires grad. */
  requiresGrad?: boolean;
}

/** Options of the random creation functions. */
export interface RandomOptions extends CreateOptions {
  /** The stream to draw from (default: the global one seeded by manualSeed). */
  generator?: Generator;
}

/** What `tensor` accepts: a number, (nested) arrays of numbers or booleans, or a typed array. */
export type TensorData =
  | number
  | boolean
  | readonly TensorData[]
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray;

function finish(t: Tensor, op: string, options: CreateOptions): Tensor {
  if (options.requiresGrad === true) {
    if (t.dtype !== 'float32' && t.dtype !== 'float64') {
      throw new DTypeError(op, `only float32 and float64 tensors can require grad, got dtype ${t.dtype}`);
    }
    t.requiresGrad = true;
  }
  return t;
}

/** The option keys of the creation functions without a generator (`zeros`, `full`, `arange`, ...). */
const createKeys = ['dtype', 'requiresGrad'] as const;
/** `tensor` also takes the shape to give a typed array. */
const tensorKeys = [...createKeys, 'shape'] as const;
/** The random creation functions also take the stream to draw from. */
const randomKeys = [...createKeys, 'generator'] as const;

function optionsOf(op: string, options: unknown, accepted: readonly string[] = createKeys): CreateOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(op, `options must be an object like { dtype: 'float64' }, got ${safeString(options)}`);
  }
  checkOptionKeys(op, options, accepted);
  const o = options as CreateOptions;
  if (o.dtype !== undefined) checkDType(op, o.dtype);
  optionalBoolean(op, 'requiresGrad', o.requiresGrad);
  return o;
}

function inferShape(data: TensorData): { shape: number[]; booleans: boolean } {
  const shape: number[] = [];
  let cursor: TensorData = data;
  while (Array.isArray(cursor)) {
    shape.push(cursor.length);
    if (cursor.length === 0) break;
    cursor = cursor[0] as TensorData;
  }
  return { shape, booleans: typeof cursor === 'boolean' };
}

/** What an element of `dtype` holds for x: a bool holds "nonzero" (NaN included), as in PyTorch, not Uint8Array's x mod 256. */
function element(dtype: DType, x: number): number {
  return dtype === 'bool' ? (x !== 0 ? 1 : 0) : x;
}

function fillFrom(data: TensorData, shape: Shape, dtype: DType, booleans: boolean, out: { [i: number]: number }): void {
  let position = 0;
  const visit = (x: TensorData, axis: number, path: string): void => {
    if (axis === shape.length) {
      // NOTE: all numbers or all booleans, decided by the first element: a
      // mix has no dtype a reader would predict (PyTorch makes [true, 2]
      // int64, NumPy too; chainrule used to make it bool [1, 1]).
      if (typeof x === 'number' && !booleans) out[position++] = element(dtype, x);
      else if (typeof x === 'boolean' && booleans) out[position++] = x ? 1 : 0;
      else if (typeof x === 'number' || typeof x === 'boolean') {
        throw new DTypeError(
          'tensor',
          `element ${path} is the ${typeof x} ${String(x)} but the first element is a ${booleans ? 'boolean' : 'number'}; ` +
            'the data must be all numbers or all booleans (write 1 and 0 for true and false)',
        );
      } else
        throw new ArgumentError(
          'tensor',
          `element ${path} is ${Array.isArray(x) ? 'an array nested deeper than its neighbours' : describeValue(x)}, expected a number`,
        );
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[axis]) {
      throw new ShapeError(
        'tensor',
        `the nested arrays are ragged: ${path === '' ? 'the data' : `element ${path}`} should be an array of length ${shape[axis]} (like its first neighbour), got ${Array.isArray(x) ? `length ${x.length}` : describeValue(x)}`,
      );
    }
    // Not forEach: it skips the holes of a sparse array ([1, , 3], Array(3)),
    // which then read as zeros at the end instead of being refused.
    for (let i = 0; i < x.length; i++) {
      if (!(i in x)) {
        throw new ArgumentError(
          'tensor',
          `element ${path}[${i}] is a hole (an empty slot of a sparse array like [1, , 3] or Array(3)); expected a number`,
        );
      }
      visit(x[i] as TensorData, axis + 1, `${path}[${i}]`);
    }
  };
  visit(data, 0, '');
}

/**
 * A new tensor holding a copy of `data`: a number (0-d), nested arrays, or a
 * typed array (1-D, or shaped with `options._shape`).
 *
 * @example
 * tensor([[1, 2], [3, 4]]);                           // float32 [2,2]
 * tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
 * tensor(new Float32Array(6), { shape: [2, 3] });
 */
export function tensor(data: TensorData, options: CreateOptions & { shape?: readonly number[] } = {}): Tensor {
  const o = optionsOf('tensor', options, tensorKeys);
  const given = options.shape === undefined ? undefined : checkShape('tensor', options.shape);
  const arrayDType = dtypeOfArray(data);
  if (arrayDType !== undefined) {
    const array = data as Float32Array;
    const shape = given ?? [array.length];
    if (sizeOf(shape) !== array.length) {
      throw new ShapeError(
        'tensor',
        `shape ${formatShape(shape)} holds ${sizeOf(shape)} elements, the array has ${array.length}`,
      );
    }
    const dtype = o.dtype ?? arrayDType;
    const out = allocate(dtype, array.length);
    // Any array may hold any value: a bool tensor made from one holds 0 and 1.
    if (dtype === 'bool') array.forEach((x, i) => (out[i] = element(dtype, x)));
    else out.set(array);
    return finish(Tensor.fromData(out, shape, dtype), 'tensor', o);
  }
  if (typeof data !== 'number' && typeof data !== 'boolean' && !Array.isArray(data)) {
    throw new ArgumentError(
      'tensor',
      `expected a number, nested arrays of numbers, or a typed array, got ${describeValue(data)}`,
    );
  }
  const inferred = inferShape(data);
  checkShape('tensor', inferred.shape);
  const dtype = o.dtype ?? (inferred.booleans ? 'bool' : defaultDType);
  const flatSize = sizeOf(inferred.shape);
  const out = allocate(dtype, flatSize);
  fillFrom(data, inferred.shape, dtype, inferred.booleans, out);
  let shape = inferred.shape;
  if (given !== undefined) {
    if (sizeOf(given) !== flatSize) {
      throw new ShapeError(
        'tensor',
        `shape ${formatShape(given)} holds ${sizeOf(given)} elements, the data has ${flatSize}`,
      );
    }
    shape = given;
  }
  return finish(Tensor.fromData(out, shape, dtype), 'tensor', o);
}

/** `full`, with errors naming the creation function the user called. */
function filled(op: string, shape: readonly number[], value: number, options: CreateOptions): Tensor {
  const o = optionsOf(op, options);
  const s = checkShape(op, shape);
  if (typeof value !== 'number') throw new ArgumentError(op, `value must be a number, got ${describeValue(value)}`);
  const dtype = o.dtype ?? defaultDType;
  const data = allocate(dtype, sizeOf(s));
  if (value !== 0) data.fill(element(dtype, value));
  return finish(Tensor.fromData(data, s, dtype), op, o);
}

/** A tensor of `shape` with every element `value`. */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  return filled('full', shape, value, options);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, 0, options);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('ones', shape, 1, options);
}

function likeOptions(
  op: string,
  t: Tensor,
  options: CreateOptions,
  accepted: readonly string[] = createKeys,
): CreateOptions {
  if (!(t instanceof Tensor)) throw new ArgumentError(op, `expected a Tensor, got ${describeValue(t)}`);
  return { dtype: t.dtype, ...optionsOf(op, options, accepted) };
}

/** Zeros with t's shape and dtype. */
export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  const o = likeOptions('zerosLike', t, options);
  return filled('zerosLike', t._shape, 0, o);
}

/** Ones with t's shape and dtype. */
export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  const o = likeOptions('onesLike', t, options);
  return filled('onesLike', t._shape, 1, o);
}

/** `value` everywhere, with t's shape and dtype. */
export function fullLike(t: Tensor, value: number, options: CreateOptions = {}): Tensor {
  const o = likeOptions('fullLike', t, options);
  return filled('fullLike', t._shape, value, o);
}

/** The n×m identity matrix (m defaults to n). */
export function eye(n: number, m: number = n, options: CreateOptions = {}): Tensor {
  const out = zeros(checkShape('eye', [n, m]), { ...optionsOf('eye', options), requiresGrad: false });
  for (let i = 0; i < Math.min(n, m); i++) out.storage.data[i * m + i] = 1;
  return finish(out, 'eye', options);
}

/**
 * Evenly spaced values in [start, end) by `step`; `arange(n)` is 0..n-1.
 *
 * @example
 * arange(5);          // [0, 1, 2, 3, 4]
 * arange(1, 2, 0.25); // [1, 1.25, 1.5, 1.75]
 */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  for (const v of [from, to, step]) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ArgumentError(
        'arange',
        `start, end and step must be finite numbers, got ${safeString(from)}, ${safeString(to)}, ${safeString(step)}`,
      );
    }
  }
  if (step === 0) throw new ArgumentError('arange', 'step must not be 0');
  const count = Math.max(0, Math.ceil((to - from) / step));
  checkShape('arange', [count]);
  const out = zeros([count], { ...optionsOf('arange', options), requiresGrad: false });
  for (let i = 0; i < count; i++) out.storage.data[i] = element(out.dtype, from + i * step);
  return finish(out, 'arange', options);
}

/** `steps` evenly spaced values from start to end, both included. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isFinite(start) || !Number.isFinite(end)) {
    throw new ArgumentError(
      'linspace',
      `start and end must be finite numbers, got ${safeString(start)} and ${safeString(end)}`,
    );
  }
  if (!Number.isInteger(steps) || steps < 0)
    throw new ArgumentError('linspace', `steps must be a non-negative integer, got ${safeString(steps)}`);
  checkShape('linspace', [steps]);
  const out = zeros([steps], { ...optionsOf('linspace', options), requiresGrad: false });
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  for (let i = 0; i < steps; i++)
    out.storage.data[i] = element(out.dtype, i === steps - 1 && steps > 1 ? end : start + i * delta);
  return finish(out, 'linspace', options);
}

function generatorOf(op: string, options: { generator?: Generator }): Generator {
  const generator = options.generator ?? defaultGenerator;
  if (!(generator instanceof Generator)) {
    throw new ArgumentError(op, `generator must be a Generator (new Generator(seed)), got ${describeValue(generator)}`);
  }
  return generator;
}

function random(
  op: string,
  shape: readonly number[],
  options: RandomOptions,
  draw: (g: Generator) => number,
  like?: Tensor,
): Tensor {
  const o = optionsOf(op, options, randomKeys) as RandomOptions;
  if (o.dtype !== undefined && !isFloat(o.dtype)) {
    // Uniform and normal samples truncated to integers would be mostly 0.
    throw new DTypeError(
      op,
      `random samples need a float32 or float64 dtype, got ${o.dtype}; use randperm or Generator.integer for integers`,
    );
  }
  const generator = generatorOf(op, o);
  // Traced so that an exporter refuses a draw instead of storing the example run's numbers as a constant.
  return tracedWhole(op, like === undefined ? [] : [like], undefined, () => {
    const out = filled(op, shape, 0, o.dtype === undefined ? {} : { dtype: o.dtype });
    const data = out.storage.data;
    for (let i = 0; i < data.length; i++) data[i] = draw(generator);
    return finish(out, op, o);
  });
}

/** Uniform samples in [0, 1). */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return random('rand', shape, options, (g) => g.random());
}

/** Standard normal samples. */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return random('randn', shape, options, (g) => g.normal());
}

/** Uniform samples in [0, 1) with t's shape and dtype. */
export function randLike(t: Tensor, options: RandomOptions = {}): Tensor {
  const o = likeOptions('randLike', t, options, randomKeys);
  return random('randLike', t._shape, { ...o, ...options }, (g) => g.random(), t);
}

/** Standard normal samples with t's shape and dtype. */
export function randnLike(t: Tensor, options: RandomOptions = {}): Tensor {
  const o = likeOptions('randnLike', t, options, randomKeys);
  return random('randnLike', t._shape, { ...o, ...options }, (g) => g.normal(), t);
}

/** 0..n-1 in random order, as int32. */
export function randperm(n: number, options: { generator?: Generator } = {}): Tensor {
  if (!Number.isInteger(n) || n < 0)
    throw new ArgumentError('randperm', `n must be a non-negative integer, got ${safeString(n)}`);
  checkShape('randperm', [n]);
  const order = generatorOf('randperm', optionsOf('randperm', options, ['generator']) as RandomOptions).permutation(n);
  return Tensor.fromData(order, [n], 'int32');
}
