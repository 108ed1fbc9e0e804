import { describe, expect, it } from 'vitest';
import '@chainrule/core/testing/vitest';
import { ArgumentError, ChainruleError, GraphError, noGrad, value, type Value } from '../../src/index';

describe('the classic check: a 2-2-1 sigmoid network with MSE, derived by hand', () => {
  it('matches the textbook backpropagation worked out in this comment', () => {
    // Network: inputs x1 = 0.5, x2 = -1; hidden h_j = σ(w_j1 x1 + w_j2 x2 + b_j);
    // output o = σ(v1 h1 + v2 h2 + c); cost C = (o - y)² (MSE over one output), y = 1.
    //
    // Backward (chain rule, the textbook's deltas):
    //   δo  = dC/do · σ'(z_o) = 2(o - y) · o(1 - o)
    //   dC/dv_j = δo · h_j,    dC/dc = δo
    //   δh_j = δo · v_j · h_j(1 - h_j)
    //   dC/dw_ji = δh_j · x_i, dC/db_j = δh_j
    // The expected numbers below are computed from these formulas with plain
    // JavaScript arithmetic, independent of the engine.
    const x = [0.5, -1];
    const W = [
      [0.1, -0.2],
      [0.4, 0.3],
    ];
    const b = [0.05, -0.1];
    const v = [0.7, -0.6];
    const c = 0.2;
    const yTarget = 1;
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    const hRef = W.map((row, j) => s((row[0] as number) * 0.5 + (row[1] as number) * -1 + (b[j] as number)));
    const oRef = s((v[0] as number) * (hRef[0] as number) + (v[1] as number) * (hRef[1] as number) + c);
    const deltaO = 2 * (oRef - yTarget) * oRef * (1 - oRef);
    const deltaH = hRef.map((h, j) => deltaO * (v[j] as number) * h * (1 - h));

    const w = W.map((row, j) => row.map((e, i) => value(e, { label: `w${j}${i}` })));
    const bias = b.map((e, j) => value(e, { label: `b${j}` }));
    const vv = v.map((e, j) => value(e, { label: `v${j}` }));
    const cc = value(c, { label: 'c' });
    const h = w.map((row, j) =>
      (row[0] as Value)
        .mul(x[0] as number)
        .add((row[1] as Value).mul(x[1] as number))
        .add(bias[j] as Value)
        .sigmoid(),
    );
    const o = (vv[0] as Value)
      .mul(h[0] as Value)
      .add((vv[1] as Value).mul(h[1] as Value))
      .add(cc)
      .sigmoid();
    const cost = o.sub(yTarget).pow(2);
    cost.backward();

    expect(o.data).toBeCloseTo(oRef, 14);
    expect(cc.grad).toBeCloseTo(deltaO, 14);
    const tol = { rtol: 0, atol: 5e-15 }; // toBeCloseTo(…, 14)
    expect(vv.map((vj) => vj.grad)).toBeAllClose(
      hRef.map((hj) => deltaO * hj),
      tol,
    );
    expect(bias.map((bj) => bj.grad)).toBeAllClose(deltaH, tol);
    expect(w.map((row) => row.map((wji) => wji.grad))).toBeAllClose(
      deltaH.map((dj) => x.map((xi) => dj * xi)),
      tol,
    );
  });
});

describe('gradient accumulation at nodes with several consumers', () => {
  it('a·a gives 2a (each use adds its share)', () => {
    const a = value(3);
    a.mul(a).backward();
    expect(a.grad).toBe(6);
  });

  it('a + a gives 2', () => {
    const a = value(-1.5);
    a.add(a).backward();
    expect(a.grad).toBe(2);
  });

  it('a diamond: f = (a·b) + (a + b)·a sums both paths into a', () => {
    // df/da = b + (a + b) + a = 2a + 2b; df/db = a + a = 2a
    const a = value(2);
    const b = value(5);
    const left = a.mul(b);
    const right = a.add(b).mul(a);
    left.add(right).backward();
    expect(a.grad).toBe(14);
    expect(b.grad).toBe(4);
  });

  it('leaves accumulate over backward calls until zeroGrad', () => {
    const a = value(2);
    a.mul(3).backward();
    a.mul(3).backward();
    expect(a.grad).toBe(6);
    a.zeroGrad();
    expect(a.grad).toBe(0);
  });

  it('a retained graph run twice gives leaves twice the gradient but interior nodes only this pass', () => {
    const a = value(2);
    const hidden = a.mul(a);
    const out = hidden.mul(3);
    out.backward({ retainGraph: true });
    out.backward();
    expect(a.grad).toBe(24); // 2 × (3 · 2a)
    expect(hidden.grad).toBe(3);
  });
});

describe('graph bookkeeping', () => {
  it('noGrad builds no graph', () => {
    const a = value(2);
    const out = noGrad(() => a.mul(a).add(1));
    expect(out.data).toBe(5);
    expect(out.requiresGrad).toBe(false);
    expect(out.isLeaf).toBe(true);
    expect(() => out.backward()).toThrow(GraphError);
  });

  it('ops on constants only build no graph either', () => {
    const k = value(2, { requiresGrad: false });
    const out = k.mul(3);
    expect(out.requiresGrad).toBe(false);
    expect(out.inputs).toHaveLength(0);
  });

  it('detach cuts the graph: no gradient flows through a detached value', () => {
    const a = value(3);
    const frozen = a.mul(2).detach();
    const out = a.mul(frozen); // d/da = frozen = 6 (frozen is a constant here)
    out.backward();
    expect(a.grad).toBe(6);
    expect(frozen.requiresGrad).toBe(false);
  });

  it('interior nodes hold the gradient of the pass', () => {
    const a = value(2);
    const hidden = a.mul(a);
    hidden.mul(3).backward();
    expect(hidden.grad).toBe(3);
    expect(a.grad).toBe(12);
  });

  it('a second backward through a freed graph throws a GraphError that says how to keep it', () => {
    const a = value(2);
    const out = a.mul(a).add(1);
    out.backward();
    expect(() => out.backward()).toThrow(GraphError);
    expect(() => out.backward()).toThrow(/retainGraph: true/);
    expect(a.grad).toBe(4); // the refused backward changed nothing
  });

  it('backward through a million chained ops does not overflow the stack', () => {
    const x = value(1);
    let y: Value = x;
    for (let i = 0; i < 1_000_000; i++) y = y.add(1e-6);
    y.backward();
    expect(x.grad).toBe(1);
    expect(y.data).toBeCloseTo(2, 6);
  });
});

describe('numeric safety', () => {
  it('sigmoid(-1000) is 0 with gradient 0, and sigmoid(1000) is 1 with gradient 0 (no NaN)', () => {
    for (const [x0, expected] of [
      [-1000, 0],
      [1000, 1],
    ] as const) {
      const x = value(x0);
      const s = x.sigmoid();
      s.backward();
      expect(s.data).toBe(expected);
      expect(x.grad).toBe(0);
    }
  });

  it('log follows IEEE at 0: -Infinity with gradient +Infinity, never a silent clamp', () => {
    const x = value(0);
    const y = x.log();
    y.backward();
    expect(y.data).toBe(-Infinity);
    expect(x.grad).toBe(Infinity);
  });

  it("relu'(0) is 0, as in PyTorch", () => {
    const x = value(0);
    x.relu().backward();
    expect(x.grad).toBe(0);
  });
});

describe('errors on bad input', () => {
  it('value() refuses NaN and non-numbers, naming the function', () => {
    expect(() => value(Number.NaN)).toThrow(ArgumentError);
    expect(() => value(Number.NaN)).toThrow(/^value: /);
    expect(() => value('3' as unknown as number)).toThrow(ArgumentError);
  });

  it('value() refuses a label that is not a string', () => {
    expect(() => value(1, { label: 5 as unknown as string })).toThrow(/label must be a string/);
  });

  it('ops refuse operands that are neither Values nor numbers, naming the op', () => {
    const a = value(1);
    expect(() => a.mul('2' as unknown as number)).toThrow(ArgumentError);
    expect(() => a.mul('2' as unknown as number)).toThrow(/^mul: expected a Value or a number/);
    expect(() => a.add({} as unknown as number)).toThrow(/^add: /);
    expect(() => a.sub(Number.NaN)).toThrow(/^sub: /);
  });

  it('pow takes a number exponent only', () => {
    const a = value(2);
    expect(() => a.pow(value(2) as unknown as number)).toThrow(/^pow: the exponent must be a number/);
  });

  it('every error is a ChainruleError whose op names the refusing function', () => {
    try {
      value(1).div([] as unknown as number);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ChainruleError);
      expect((e as ChainruleError).op).toBe('div');
      expect((e as ChainruleError).name).toBe('ArgumentError');
    }
  });
});
