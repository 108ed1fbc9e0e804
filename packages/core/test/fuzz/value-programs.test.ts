/**
 * Random scalar programs on Values: a few leaves, then random ops (a Value
 * or a plain number on either side, results reused so the graph is a DAG
 * with shared nodes), then backward. Checked against forward-mode dual
 * numbers written here from each op's derivative: every node's data must
 * match, and every leaf's gradient wherever the reference is finite. A
 * second backward must refuse, and zeroGrad + retainGraph must reproduce it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphError, value, type Value } from '../../src/index';
import { expectContract, fuzzRuns } from './contract';

/**
 * A number with its derivative with respect to each leaf, and the size of
 * the terms that derivative was summed from (x/x has derivative 0 from terms
 * of 1e14: both modes round those terms, so that is the scale of agreement).
 */
interface Dual {
  v: number;
  d: number[];
  m: number[];
}

const lift = (v: number, n: number): Dual => ({ v, d: new Array<number>(n).fill(0), m: new Array<number>(n).fill(0) });
const scale = (x: Dual, k: number, v: number): Dual => ({
  v,
  d: x.d.map((g) => g * k),
  m: x.m.map((g) => g * Math.abs(k)),
});
const combine = (x: Dual, y: Dual, kx: number, ky: number, v: number): Dual => ({
  v,
  d: x.d.map((g, i) => kx * g + ky * (y.d[i] as number)),
  m: x.m.map((g, i) => Math.abs(kx) * g + Math.abs(ky) * (y.m[i] as number)),
});

// σ(x) = 1/(1 + e⁻ˣ) = eˣ/(1 + eˣ); the second form for x < 0, where e⁻ˣ
// overflows: 1/(1 + e⁻ˣ) rounds σ(-744.4) ≈ 5e-324 to 0, which made this
// reference, not the engine, wrong (log of it is -744.4, not -Infinity).
const sigmoidRef = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Each op: what it does to Values, and its derivative rule on duals. */
const unary: Record<string, [(a: Value) => Value, (x: Dual) => Dual]> = {
  neg: [(a) => a.neg(), (x) => scale(x, -1, -x.v)],
  exp: [(a) => a.exp(), (x) => scale(x, Math.exp(x.v), Math.exp(x.v))],
  log: [(a) => a.log(), (x) => scale(x, 1 / x.v, Math.log(x.v))],
  tanh: [(a) => a.tanh(), (x) => scale(x, 1 - Math.tanh(x.v) ** 2, Math.tanh(x.v))],
  sigmoid: [(a) => a.sigmoid(), (x) => scale(x, sigmoidRef(x.v) * (1 - sigmoidRef(x.v)), sigmoidRef(x.v))],
  // relu'(0) = 0, as in PyTorch.
  relu: [(a) => a.relu(), (x) => scale(x, x.v > 0 ? 1 : 0, Math.max(x.v, 0))],
  pow2: [(a) => a.pow(2), (x) => scale(x, 2 * x.v, x.v ** 2)],
  pow3: [(a) => a.pow(3), (x) => scale(x, 3 * x.v ** 2, x.v ** 3)],
  powHalf: [(a) => a.pow(0.5), (x) => scale(x, 0.5 * x.v ** -0.5, x.v ** 0.5)],
  powMinus1: [(a) => a.pow(-1), (x) => scale(x, -(x.v ** -2), x.v ** -1)],
  // x⁰ = 1 with derivative 0 everywhere, 0 included.
  pow0: [(a) => a.pow(0), (x) => scale(x, 0, 1)],
};

const binary: Record<string, [(a: Value, b: Value | number) => Value, (x: Dual, y: Dual) => Dual]> = {
  add: [(a, b) => a.add(b), (x, y) => combine(x, y, 1, 1, x.v + y.v)],
  sub: [(a, b) => a.sub(b), (x, y) => combine(x, y, 1, -1, x.v - y.v)],
  mul: [(a, b) => a.mul(b), (x, y) => combine(x, y, y.v, x.v, x.v * y.v)],
  div: [(a, b) => a.div(b), (x, y) => combine(x, y, 1 / y.v, -x.v / (y.v * y.v), x.v / y.v)],
};

interface Step {
  op: string;
  a: number;
  b: number;
  /** -1: both operands from the pool; else which side is the number k. */
  numberSide: number;
  k: number;
}

const arbStep = fc.record({
  op: fc.constantFrom(...Object.keys(unary), ...Object.keys(binary)),
  a: fc.nat(50),
  b: fc.nat(50),
  numberSide: fc.constantFrom(-1, -1, 0, 1),
  k: fc.constantFrom(2, -0.5, 3, 0),
});

function close(a: number, e: number, magnitude = Math.abs(e)): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= 1e-9 * (1 + magnitude);
}

function run(leaves: readonly number[], steps: readonly Step[]): void {
  const n = leaves.length;
  const xs = leaves.map((v, i) => value(v, { label: `x${i}` }));
  const pool: Value[] = xs.slice();
  const duals: Dual[] = leaves.map((v, i) => ({
    v,
    d: leaves.map((_, j) => (i === j ? 1 : 0)),
    m: leaves.map((_, j) => (i === j ? 1 : 0)),
  }));
  const log = leaves.map((v, i) => `x${i} = value(${v})`);
  for (const s of steps) {
    const ia = s.a % pool.length;
    const ib = s.b % pool.length;
    const u = unary[s.op];
    if (u !== undefined) {
      pool.push(u[0](pool[ia] as Value));
      duals.push(u[1](duals[ia] as Dual));
      log.push(`v${pool.length - 1} = ${s.op}(v${ia})`);
    } else {
      const [f, df] = binary[s.op] as [(a: Value, b: Value | number) => Value, (x: Dual, y: Dual) => Dual];
      // A number on the left is a constant Value (no gradient); on the right it stays a number inside the node.
      const left = s.numberSide === 0 ? value(s.k, { requiresGrad: false }) : (pool[ia] as Value);
      const right: Value | number = s.numberSide === 1 ? s.k : (pool[ib] as Value);
      const dl = s.numberSide === 0 ? lift(s.k, n) : (duals[ia] as Dual);
      const dr = typeof right === 'number' ? lift(right, n) : (duals[ib] as Dual);
      pool.push(f(left, right));
      duals.push(df(dl, dr));
      log.push(
        `v${pool.length - 1} = ${s.op}(${s.numberSide === 0 ? s.k : `v${ia}`}, ${typeof right === 'number' ? right : `v${ib}`})`,
      );
    }
    const got = (pool[pool.length - 1] as Value).data;
    const want = (duals[duals.length - 1] as Dual).v;
    expect(close(got, want), `${log.join('; ')}: data ${got}, expected ${want}`).toBe(true);
  }
  const out = pool[pool.length - 1] as Value;
  const ref = duals[duals.length - 1] as Dual;
  if (!out.requiresGrad) return;
  // Past 1e±100 the two modes' different orders of operations underflow or overflow differently
  // (x/√(x³) at x = 1e-108: x³ is subnormal); the data were compared above, the gradients are not.
  const extreme = duals.some(
    (x) => x.v !== 0 && (Math.abs(x.v) < 1e-100 || Math.abs(x.v) > 1e100 || x.m.some((m) => m > 1e100)),
  );
  const where = log.join('; ');
  expect(expectContract('backward', () => out.backward({ retainGraph: true }), where).ok).toBe(true);
  xs.forEach((x, i) => {
    const want = ref.d[i] as number;
    const magnitude = ref.m[i] as number;
    if (!extreme && Number.isFinite(want))
      expect(close(x.grad, want, magnitude), `${where}: d/dx${i} = ${x.grad}, expected ${want}`).toBe(true);
  });
  const first = xs.map((x) => x.grad);
  xs.forEach((x) => x.zeroGrad());
  out.backward();
  expect(xs.map((x) => x.grad)).toEqual(first);
  expect(() => out.backward()).toThrow(GraphError);
  expect(xs.map((x) => x.grad)).toEqual(first);
}

describe('random Value programs against dual numbers', () => {
  it('data and gradients match, shared nodes included', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: -4, max: 4 }).map((k) => k / 2),
            fc.double({ min: -3, max: 3, noNaN: true }),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        fc.array(arbStep, { minLength: 1, maxLength: 12 }),
        run,
      ),
      { numRuns: fuzzRuns(200) },
    );
  });
});
