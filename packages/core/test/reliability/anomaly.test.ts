/**
 * Anomaly mode: inside detectAnomaly, the first op whose forward output or
 * backward gradient holds a NaN or ±Infinity throws an AnomalyError naming
 * the op, its input shapes and the line of *this file* that called it. Out
 * of it, the same code runs as it always does: NaN and Infinity flow through
 * silently (IEEE, as in PyTorch) and no stacks are recorded.
 */
import { describe, expect, it } from 'vitest';
import {
  AnomalyError,
  ArgumentError,
  customOp,
  detectAnomaly,
  grad,
  isAnomalyEnabled,
  noGrad,
  tensor,
  value,
  type Tensor,
} from '../../src/index';

/** The `file:line` of the caller, to compare with the frame an AnomalyError reports. */
function lineHere(): string {
  const frame = (new Error().stack ?? '').split('\n')[2] ?? '';
  const match = /([^/\\(]+\.test\.ts):(\d+):\d+/.exec(frame);
  return match === null ? 'unknown' : `${match[1]}:${match[2]}`;
}

function anomalyOf(f: () => unknown): AnomalyError {
  try {
    detectAnomaly(f);
  } catch (e) {
    expect(e).toBeInstanceOf(AnomalyError);
    return e as AnomalyError;
  }
  throw new Error('expected detectAnomaly to throw');
}

/** The frames listed after "the op was called at:" / "created at:". */
function framesOf(error: Error): string[] {
  const [, stack = ''] = error.message.split(/\nthe op was (?:called|created) at:\n/);
  return stack.split('\n').filter((l) => l.trim() !== '');
}

describe('forward: the first op that produced a NaN or Infinity', () => {
  it('log of a negative number, named with its input shape and the line that called it', () => {
    const x = tensor([1, -2, 3], { requiresGrad: true });
    let line = '';
    const error = anomalyOf(() => {
      const y = x.mul(2);
      // One statement on one line: the op and the line number recorded for it.
      const z = ((line = lineHere()), y.log());
      return z.exp();
    });
    expect(error.op).toBe('log');
    expect(error.message).toMatch(
      /^log: forward produced NaN at element 1 of its output of shape \[3\] from finite inputs; input shapes \[3\]/,
    );
    const frames = framesOf(error);
    // The first frame shown is this file's line, not chainrule's internals.
    expect(frames[0]).toContain(line);
    expect(frames.some((f) => f.includes('/src/ops/'))).toBe(false);
  });

  it('names the first op of a chain, not the later ones the NaN flows into', () => {
    const x = tensor([
      [4, 0],
      [1, 2],
    ]);
    // 4/0 = Infinity in div; the sub and square after it would only carry it on.
    const error = anomalyOf(() => x.div(x.slice(1, 1).squeeze(1).unsqueeze(0)).sub(1).square());
    expect(error.op).toBe('div');
    expect(error.message).toMatch(
      /^div: forward produced Infinity at element 0 of its output of shape \[2,2\] from finite inputs; input shapes \[2,2\], \[1,2\]/,
    );
  });

  it('checks under noGrad too (evaluation code is where NaNs often start)', () => {
    const error = anomalyOf(() => noGrad(() => tensor([0, 1]).log()));
    expect(error.op).toBe('log');
    expect(error.message).toContain('forward produced -Infinity at element 0');
  });

  it('says when the NaN came in through an input instead', () => {
    const error = anomalyOf(() => tensor([1, NaN]).mul(2));
    expect(error.op).toBe('mul');
    expect(error.message).toContain('because input 0 already held NaN (made outside the recorded ops');
  });

  it('checks the ops inside composites by their own names (logsumexp of an Infinity: its max)', () => {
    const error = anomalyOf(() => tensor([Infinity, 1]).logsumexp());
    expect(error.message).toMatch(/^\w+: forward produced/);
    expect(error.message).toContain('because input 0 already held Infinity');
  });
});

describe('backward: the first rule that produced a NaN or Infinity', () => {
  it('sqrt at 0: an Infinity gradient, reported with the line where sqrt was called', () => {
    const x = tensor([4, 0], { requiresGrad: true });
    let line = '';
    const error = anomalyOf(() => {
      const y = ((line = lineHere()), x.sqrt());
      y.mul(3).sum().backward();
    });
    expect(error.op).toBe('sqrt');
    // d√x/dx = 1/(2√x): 3/(2·0) = Infinity at element 1; mul and sum before it were finite.
    expect(error.message).toMatch(
      /^sqrt: backward produced Infinity in the gradient of input 0 \(shape \[2\], element 1\) from a finite incoming gradient; input shapes \[2\]/,
    );
    expect(framesOf(error)[0]).toContain(line);
  });

  it('a 0/0 in a rule: sqrt at 0 with a zero incoming gradient gives NaN', () => {
    const x = tensor([0], { dtype: 'float64', requiresGrad: true });
    const error = anomalyOf(() => x.sqrt().mul(0).sum().backward());
    expect(error.op).toBe('sqrt');
    expect(error.message).toContain('backward produced NaN in the gradient of input 0');
  });

  it('a custom op whose backward divides by zero is named by its own name, at the line that applied it', () => {
    const brokenSquare = customOp({
      name: 'brokenSquare',
      forward: (ctx, x) => {
        ctx.save(x);
        return x.square();
      },
      // Wrong on purpose: 2x² / x is 0/0 at x = 0.
      backward: ({ saved: [x] }, g) => g.mul((x as Tensor).square().mul(2)).div(x as Tensor),
    });
    const x = tensor([1, 0, 2], { requiresGrad: true });
    let line = '';
    const error = anomalyOf(() => {
      const y = ((line = lineHere()), brokenSquare(x));
      y.sum().backward();
    });
    expect(error.op).toBe('brokenSquare');
    expect(error.message).toMatch(
      /^brokenSquare: backward produced NaN in the gradient of input 0 \(shape \[3\], element 1\)/,
    );
    expect(framesOf(error)[0]).toContain(line);
  });

  it('a gradOutput holding NaN is reported as such, before any rule runs', () => {
    const y = tensor([1, 2], { requiresGrad: true }).mul(2);
    const error = anomalyOf(() => y.backward(tensor([1, NaN])));
    expect(error.message).toBe('backward: gradOutput holds NaN at element 1 (shape [2])');
  });

  it('finds the rule even when the graph was built outside anomaly mode (then without a stack)', () => {
    const x = tensor([0], { requiresGrad: true });
    const y = x.sqrt().sum();
    const error = anomalyOf(() => y.backward());
    expect(error.op).toBe('sqrt');
    expect(error.message).not.toContain('the op was created at');
  });

  it('leaves .grad untouched when it throws', () => {
    const x = tensor([1, 0], { requiresGrad: true });
    anomalyOf(() => x.sqrt().sum().backward());
    expect(x.grad).toBeNull();
  });

  it('second derivatives of finite functions pass: the ops inside backward rules are not checked one by one', () => {
    // d²/dx² x³ = 6x; the rules' inner ops see only finite values here, but a
    // rule like pow's masks an Infinity it computes on the way (0^-1 at x = 0).
    const x = tensor([0, 2]);
    const second = detectAnomaly(() => grad((t: Tensor) => grad((u: Tensor) => u.pow(3).sum())(t).sum())(x));
    expect(second.toArray()).toEqual([0, 12]);
  });
});

describe('the scalar Value graph', () => {
  it('forward: log of a negative number, with its input and the line that called it', () => {
    let line = '';
    const error = anomalyOf(() => {
      const x = value(3);
      const y = x.sub(5);
      return ((line = lineHere()), y.log());
    });
    expect(error.op).toBe('log');
    expect(error.message).toMatch(/^log: forward produced NaN from finite inputs \(inputs -2\)/);
    expect(framesOf(error)[0]).toContain(line);
  });

  it('forward: the first of a chain, by the name of the op (div, not "/ 0")', () => {
    const error = anomalyOf(() => value(2).div(0).mul(3).exp());
    expect(error.op).toBe('div');
    expect(error.message).toMatch(/^div: forward produced Infinity from finite inputs \(inputs 2\)/);
  });

  it('backward: √x at 0 has an infinite derivative, found at the pow node with the line that made it', () => {
    const x = value(0);
    let line = '';
    const error = anomalyOf(() => {
      const y = ((line = lineHere()), x.pow(0.5));
      y.mul(3).backward();
    });
    expect(error.op).toBe('pow');
    expect(error.message).toMatch(
      /^pow: backward produced Infinity in the gradient of input 0 \(which holds 0\) from a finite incoming gradient/,
    );
    expect(framesOf(error)[0]).toContain(line);
  });

  it('backward: a 0/0 (a zero gradient times an infinite derivative) is NaN, found at the same node', () => {
    const error = anomalyOf(() => value(0).pow(0.5).mul(0).backward());
    expect(error.op).toBe('pow');
    expect(error.message).toContain('backward produced NaN');
  });

  it('finite Value programs give the same numbers with and without it', () => {
    const run = () => {
      const w = value(0.5);
      const out = w.mul(w).add(w.exp()).tanh().sigmoid();
      out.backward();
      return [out.data, w.grad];
    };
    expect(detectAnomaly(run)).toEqual(run());
  });
});

describe('outside anomaly mode nothing changes', () => {
  it('NaN and Infinity flow through as IEEE says, and backward gives the Infinity gradient', () => {
    expect(isAnomalyEnabled()).toBe(false);
    expect(tensor([-1]).log().item()).toBeNaN();
    const x = tensor([0], { requiresGrad: true });
    x.sqrt().sum().backward();
    expect(x.grad?.item()).toBe(Infinity);
  });

  it('no stack is recorded on graph nodes', () => {
    const y = tensor([1], { requiresGrad: true }).mul(2);
    expect(y.gradFn?.stack).toBeUndefined();
    const z = detectAnomaly(() => tensor([1], { requiresGrad: true }).mul(2));
    expect(z.gradFn?.stack).toContain('anomaly.test.ts');
  });

  it('finite computations give identical values and gradients with and without it', () => {
    const run = () => {
      const w = tensor(
        [
          [0.5, -1.25],
          [2, 0.75],
        ],
        { requiresGrad: true },
      );
      const loss = w
        .matmul(tensor([[1], [-2]]))
        .sigmoid()
        .log()
        .mean();
      loss.backward();
      return [loss.item(), ...(w.grad?.data() ?? [])];
    };
    expect(detectAnomaly(run)).toEqual(run());
  });

  it('the mode is off again after a throw, and nests', () => {
    expect(() => detectAnomaly(() => tensor([-1]).log())).toThrow(AnomalyError);
    expect(isAnomalyEnabled()).toBe(false);
    detectAnomaly(() => {
      detectAnomaly(() => undefined);
      expect(isAnomalyEnabled()).toBe(true);
    });
    expect(isAnomalyEnabled()).toBe(false);
  });

  it('detectAnomaly refuses a non-function with an ArgumentError (it was a raw TypeError)', () => {
    expect(() => detectAnomaly(3 as never)).toThrow(ArgumentError);
    expect(() => detectAnomaly(null as never)).toThrow(/^detectAnomaly: expected a function to run, got null/);
  });
});
