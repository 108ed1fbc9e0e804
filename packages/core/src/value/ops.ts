/**
 * The Value ops: each is its forward (a function on numbers or Values) next
 * to its backward rule (a shared object, so recording an op allocates no
 * closure). A rule reads the node's gradient g (`out.grad`) and writes
 * d(out)/d(input) · g for each input into `grads`; the driver adds them up. A plain number operand is kept in the
 * node (`out._k`) rather than wrapped in a Value of its own: `w.mul(0.5)` is
 * one node, drawn as "* 0.5".
 */
import { ArgumentError } from '../errors';
import { describeValue } from '../internal/describe';
import { result, Value, type ValueLike, type ValueOp } from './value';

function checkOperand(op: string, x: unknown): void {
  if (x instanceof Value || (typeof x === 'number' && !Number.isNaN(x))) return;
  throw new ArgumentError(op, `expected a Value or a number that is not NaN, got ${describeValue(x)}`);
}

function constant(x: number): Value {
  return new Value(x, null, null, null, 0, false);
}

function rule(name: string, describe: (out: Value) => string, backward: ValueOp['backward']): ValueOp {
  return { name, describe, backward };
}

const withK = (symbol: string) => (out: Value) => `${symbol} ${out._k}`;

// d(x+y) = dx + dy
const addOp = rule(
  'add',
  () => '+',
  (out, grads) => {
    const g = out.grad;
    grads[0] = g;
    grads[1] = g;
  },
);
const addKOp = rule('add', withK('+'), (out, grads) => {
  const g = out.grad;
  grads[0] = g;
});

export function add(a: ValueLike, b: ValueLike): Value {
  checkOperand('add', a);
  checkOperand('add', b);
  if (typeof b === 'number') return typeof a === 'number' ? constant(a + b) : result(a.data + b, addKOp, a, null, b);
  if (typeof a === 'number') return result(a + b.data, addKOp, b, null, a);
  return result(a.data + b.data, addOp, a, b, 0);
}

// d(x-y) = dx - dy
const subOp = rule(
  'sub',
  () => '-',
  (out, grads) => {
    const g = out.grad;
    grads[0] = g;
    grads[1] = -g;
  },
);
const subKOp = rule('sub', withK('-'), (out, grads) => {
  const g = out.grad;
  grads[0] = g;
});
const rsubKOp = rule(
  'sub',
  (out) => `${out._k} -`,
  (out, grads) => {
    const g = out.grad;
    grads[0] = -g;
  },
);

export function sub(a: ValueLike, b: ValueLike): Value {
  checkOperand('sub', a);
  checkOperand('sub', b);
  if (typeof b === 'number') return typeof a === 'number' ? constant(a - b) : result(a.data - b, subKOp, a, null, b);
  if (typeof a === 'number') return result(a - b.data, rsubKOp, b, null, a);
  return result(a.data - b.data, subOp, a, b, 0);
}

// d(xy) = y dx + x dy
const mulOp = rule(
  'mul',
  () => '*',
  (out, grads) => {
    const g = out.grad;
    grads[0] = (out._b as Value).data * g;
    grads[1] = (out._a as Value).data * g;
  },
);
const mulKOp = rule('mul', withK('*'), (out, grads) => {
  const g = out.grad;
  grads[0] = out._k * g;
});

export function mul(a: ValueLike, b: ValueLike): Value {
  checkOperand('mul', a);
  checkOperand('mul', b);
  if (typeof b === 'number') return typeof a === 'number' ? constant(a * b) : result(a.data * b, mulKOp, a, null, b);
  if (typeof a === 'number') return result(a * b.data, mulKOp, b, null, a);
  return result(a.data * b.data, mulOp, a, b, 0);
}

// d(x/y) = dx / y - (x/y²) dy
const divOp = rule(
  'div',
  () => '/',
  (out, grads) => {
    const g = out.grad;
    const x = (out._a as Value).data;
    const y = (out._b as Value).data;
    grads[0] = g / y;
    grads[1] = -(g * x) / (y * y);
  },
);
const divKOp = rule('div', withK('/'), (out, grads) => {
  const g = out.grad;
  grads[0] = g / out._k;
});
// d/dy (k/y) = -k/y²
const rdivKOp = rule(
  'div',
  (out) => `${out._k} /`,
  (out, grads) => {
    const g = out.grad;
    const y = (out._a as Value).data;
    grads[0] = -(g * out._k) / (y * y);
  },
);

export function div(a: ValueLike, b: ValueLike): Value {
  checkOperand('div', a);
  checkOperand('div', b);
  if (typeof b === 'number') return typeof a === 'number' ? constant(a / b) : result(a.data / b, divKOp, a, null, b);
  if (typeof a === 'number') return result(a / b.data, rdivKOp, b, null, a);
  return result(a.data / b.data, divOp, a, b, 0);
}

// d/dx x^k = k x^(k-1). NOTE: k = 0 gives 0 everywhere, also at x = 0.
const powOp: ValueOp = {
  name: 'pow',
  describe: (out) => `^${out._k}`,
  backward(out, grads) {
    const g = out.grad;
    const k = out._k;
    grads[0] = k === 0 ? 0 : k * (out._a as Value).data ** (k - 1) * g;
  },
};

export function pow(a: ValueLike, exponent: number): Value {
  checkOperand('pow', a);
  if (typeof exponent !== 'number' || Number.isNaN(exponent)) {
    throw new ArgumentError(
      'pow',
      `the exponent must be a number (not NaN, not a Value), got ${describeValue(exponent)}`,
    );
  }
  if (typeof a === 'number') return constant(a ** exponent);
  return result(a.data ** exponent, powOp, a, null, exponent);
}

/** A unary op: its forward on numbers and its backward rule. */
function unary(name: string, f: (x: number) => number, backward: ValueOp['backward']): (a: ValueLike) => Value {
  const op = rule(name, () => name, backward);
  return (a) => {
    checkOperand(name, a);
    return typeof a === 'number' ? constant(f(a)) : result(f(a.data), op, a, null, 0);
  };
}

// d/dx (-x) = -1
export const neg = unary(
  'neg',
  (x) => -x,
  (out, grads) => {
    const g = out.grad;
    grads[0] = -g;
  },
);

// d/dx eˣ = eˣ, which is the output
export const exp = unary('exp', Math.exp, (out, grads) => {
  const g = out.grad;
  grads[0] = out.data * g;
});

// d/dx ln x = 1/x. NOTE: IEEE semantics as in PyTorch: log(0) = -Infinity with
// gradient +Infinity, log of a negative number is NaN. Nothing is clamped silently.
export const log = unary('log', Math.log, (out, grads) => {
  const g = out.grad;
  grads[0] = g / (out._a as Value).data;
});

// d/dx tanh = 1 - tanh²
export const tanh = unary('tanh', Math.tanh, (out, grads) => {
  const g = out.grad;
  grads[0] = (1 - out.data * out.data) * g;
});

/** σ(x) = 1 / (1 + e⁻ˣ), computed without overflow for any x. */
export function sigmoidOf(x: number): number {
  // NOTE: for x < 0, e⁻ˣ overflows to Infinity; the form eˣ / (1 + eˣ) does not.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

// d/dx σ = σ (1 - σ), from the output: 0 (not NaN) far out in either tail
export const sigmoid = unary('sigmoid', sigmoidOf, (out, grads) => {
  const g = out.grad;
  grads[0] = out.data * (1 - out.data) * g;
});

// NOTE: relu'(0) = 0, as in PyTorch; relu(NaN) is NaN (not 0), as in PyTorch and the Tensor relu.
export const relu = unary(
  'relu',
  (x) => (x > 0 || x !== x ? x : 0),
  (out, grads) => {
    const g = out.grad;
    grads[0] = (out._a as Value).data > 0 ? g : 0;
  },
);
