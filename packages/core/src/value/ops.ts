/**
 * The Value ops. Each computes its output, then (when a graph is recorded)
 * attaches a closure that adds d(out)/d(input) * out.grad into each input:
 * adding, not assigning, is what makes `x.mul(x)` give 2x.
 */
import { ArgumentError } from '../autograd/errors';
import { result, Value, type ValueLike } from './value';

function toValue(op: string, x: ValueLike): Value {
  if (x instanceof Value) return x;
  if (typeof x === 'number' && !Number.isNaN(x)) return new Value(x, '', [], false);
  throw new ArgumentError(op, `expected a Value or a number that is not NaN, got ${describeArg(x)}`);
}

function describeArg(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'an object';
  return `${typeof x} ${String(x)}`;
}

export function add(a: ValueLike, b: ValueLike): Value {
  const x = toValue('add', a);
  const y = toValue('add', b);
  const out = result(x.data + y.data, '+', [x, y]);
  if (out.requiresGrad) {
    out._backward = () => {
      x.grad += out.grad;
      y.grad += out.grad;
    };
  }
  return out;
}

export function sub(a: ValueLike, b: ValueLike): Value {
  const x = toValue('sub', a);
  const y = toValue('sub', b);
  const out = result(x.data - y.data, '-', [x, y]);
  if (out.requiresGrad) {
    out._backward = () => {
      x.grad += out.grad;
      y.grad -= out.grad;
    };
  }
  return out;
}

export function mul(a: ValueLike, b: ValueLike): Value {
  const x = toValue('mul', a);
  const y = toValue('mul', b);
  const out = result(x.data * y.data, '*', [x, y]);
  if (out.requiresGrad) {
    out._backward = () => {
      x.grad += y.data * out.grad;
      y.grad += x.data * out.grad;
    };
  }
  return out;
}

export function div(a: ValueLike, b: ValueLike): Value {
  const x = toValue('div', a);
  const y = toValue('div', b);
  const out = result(x.data / y.data, '/', [x, y]);
  if (out.requiresGrad) {
    // d(x/y)/dx = 1/y, d(x/y)/dy = -x/y²
    out._backward = () => {
      x.grad += out.grad / y.data;
      y.grad -= (out.grad * x.data) / (y.data * y.data);
    };
  }
  return out;
}

export function pow(a: ValueLike, exponent: number): Value {
  const x = toValue('pow', a);
  if (typeof exponent !== 'number' || Number.isNaN(exponent)) {
    throw new ArgumentError('pow', `the exponent must be a number (not NaN, not a Value), got ${describeArg(exponent)}`);
  }
  const out = result(x.data ** exponent, `^${exponent}`, [x]);
  if (out.requiresGrad) {
    // d/dx x^k = k x^(k-1); NOTE: k = 0 gives 0 everywhere, also at x = 0.
    out._backward = () => {
      x.grad += exponent === 0 ? 0 : exponent * x.data ** (exponent - 1) * out.grad;
    };
  }
  return out;
}

export function neg(a: ValueLike): Value {
  const x = toValue('neg', a);
  const out = result(-x.data, 'neg', [x]);
  if (out.requiresGrad) {
    out._backward = () => {
      x.grad -= out.grad;
    };
  }
  return out;
}

export function exp(a: ValueLike): Value {
  const x = toValue('exp', a);
  const out = result(Math.exp(x.data), 'exp', [x]);
  if (out.requiresGrad) {
    // d/dx eˣ = eˣ, which is the output
    out._backward = () => {
      x.grad += out.data * out.grad;
    };
  }
  return out;
}

export function log(a: ValueLike): Value {
  const x = toValue('log', a);
  // NOTE: IEEE semantics as in PyTorch: log(0) = -Infinity with gradient
  // +Infinity, log of a negative number is NaN. Nothing is clamped silently.
  const out = result(Math.log(x.data), 'log', [x]);
  if (out.requiresGrad) {
    // d/dx ln x = 1/x
    out._backward = () => {
      x.grad += out.grad / x.data;
    };
  }
  return out;
}

export function tanh(a: ValueLike): Value {
  const x = toValue('tanh', a);
  const out = result(Math.tanh(x.data), 'tanh', [x]);
  if (out.requiresGrad) {
    // d/dx tanh = 1 - tanh²
    out._backward = () => {
      x.grad += (1 - out.data * out.data) * out.grad;
    };
  }
  return out;
}

/** σ(x) = 1 / (1 + e⁻ˣ), computed without overflow for any x. */
export function sigmoidOf(x: number): number {
  // NOTE: for x < 0, e⁻ˣ overflows to Infinity; the form eˣ / (1 + eˣ) does not.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function sigmoid(a: ValueLike): Value {
  const x = toValue('sigmoid', a);
  const out = result(sigmoidOf(x.data), 'sigmoid', [x]);
  if (out.requiresGrad) {
    // d/dx σ = σ (1 - σ), from the output: 0 (not NaN) far out in either tail
    out._backward = () => {
      x.grad += out.data * (1 - out.data) * out.grad;
    };
  }
  return out;
}

export function relu(a: ValueLike): Value {
  const x = toValue('relu', a);
  const out = result(x.data > 0 ? x.data : 0, 'relu', [x]);
  if (out.requiresGrad) {
    // NOTE: relu'(0) = 0, as in PyTorch.
    out._backward = () => {
      if (x.data > 0) x.grad += out.grad;
    };
  }
  return out;
}
