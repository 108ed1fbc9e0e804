/**
 * truncNormal: the normal distribution N(mean, std²) conditioned on [a, b]
 * (PyTorch's `trunc_normal_`, the ViT and BERT weight init).
 *
 * PyTorch draws by the inverse CDF: Φ⁻¹ of a uniform between Φ(α) and Φ(β)
 * (α, β the standardized bounds), then clamps. In float64 that loses the far
 * tails: Φ(9) rounds to 1, so PyTorch 1.13 puts every draw on [9σ, 10σ] at
 * the clamp's bound, and draws only 13 distinct values on [8σ, 9σ]. Here the draws are Robert's (1995) exact rejection
 * samplers, which only ever evaluate exp and log: whatever α and β, each
 * draw lies in [a, b] and follows the truncated density, and each proposal
 * is accepted with probability above 1/5 (bounds derived beside each case).
 */
import { ArgumentError, Tensor, defaultGenerator, type Generator } from '@chainrule/core';
import { describeValue, optionsObject, valueOr } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';
import { checkTarget, fillWith, finite, type RandomInitOptions } from './fill';

/** Options of {@link truncNormal}: PyTorch's defaults, N(0, 1) cut to [-2, 2]. */
export interface TruncNormalOptions extends RandomInitOptions {
  /** Mean of the normal before truncation (default 0). */
  mean?: number;
  /** Standard deviation of the normal before truncation (default 1). */
  std?: number;
  /** Lower bound, in the units of the values, not of std (default -2; -Infinity allowed). */
  a?: number;
  /** Upper bound, in the units of the values (default 2; Infinity allowed). */
  b?: number;
}

/**
 * Fills `t` with draws from N(mean, std²) conditioned on [a, b]. NOTE: a and
 * b are values, not multiples of std, as in PyTorch:
 * `truncNormal(w, { std: 0.02 })` cuts at ±2, i.e. ±100σ, which cuts
 * nothing; `{ std: 0.02, a: -0.04, b: 0.04 }` cuts at ±2σ.
 *
 * @example
 * truncNormal(embedding, { std: 0.02, a: -0.04, b: 0.04, generator: new Generator(0) });
 */
export function truncNormal(t: Tensor, options: TruncNormalOptions = {}): Tensor {
  const op = 'truncNormal';
  const target = checkTarget(op, t);
  const o = optionsObject(op, options, { mean: true, std: true, a: true, b: true, generator: true });
  const mean = finite(op, 'mean', valueOr(o.mean, 0));
  const std = finite(op, 'std', valueOr(o.std, 1));
  if (std < 0) throw new ArgumentError(op, `std must be ≥ 0, got ${std}`);
  const a = bound(op, 'a', valueOr(o.a, -2));
  const b = bound(op, 'b', valueOr(o.b, 2));
  if (!(a <= b)) throw new ArgumentError(op, `a ${a} is greater than b ${b}; the interval [a, b] must not be empty`);
  if (a === Number.POSITIVE_INFINITY || b === Number.NEGATIVE_INFINITY)
    throw new ArgumentError(op, `the interval [${a}, ${b}] holds no finite number`);
  const generator = checkGenerator(op, o.generator) ?? defaultGenerator;
  // NOTE: std = 0 is the point mass at mean, conditioned on [a, b]: its nearest point.
  if (std === 0) return fillWith(target, () => Math.min(Math.max(mean, a), b));
  const alpha = (a - mean) / std;
  const beta = (b - mean) / std;
  // A tiny std can overflow a standardized bound: the whole mass then sits at the bound nearest the mean.
  if (alpha === Number.POSITIVE_INFINITY) return fillWith(target, () => a);
  if (beta === Number.NEGATIVE_INFINITY) return fillWith(target, () => b);
  const draw = standardSampler(alpha, beta, generator);
  // The clamp only undoes rounding in mean + std·z (z itself lies in [α, β]).
  return fillWith(target, () => Math.min(Math.max(mean + std * draw(), a), b));
}

function bound(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || Number.isNaN(v))
    throw new ArgumentError(op, `${name} must be a number (±Infinity allowed), got ${describeValue(v)}`);
  return v;
}

/** A sampler of the standard normal conditioned on [alpha, beta]. */
function standardSampler(alpha: number, beta: number, g: Generator): () => number {
  // NOTE: a single point (a = b, or an interval too narrow for float64 to
  // tell apart after standardizing) has all its mass there.
  if (alpha === beta) return () => alpha;
  if (alpha >= 0) return tailSampler(alpha, beta, g);
  if (beta <= 0) {
    const mirrored = tailSampler(-beta, -alpha, g);
    return () => -mirrored();
  }
  return centralSampler(alpha, beta, g);
}

/** An exponential draw with rate 1 (1 - U lies in (0, 1], so the log is finite). */
const exponential = (g: Generator): number => -Math.log(1 - g.random());

/**
 * [alpha, beta] with 0 ≤ alpha < beta ≤ ∞: Robert's proposals for a tail.
 *
 * Wide (λ·(β - α) ≥ 1, λ = (α + √(α² + 4))/2): z = α + E/λ with E ~ Exp(1),
 * accepted with probability exp(-(z - λ)²/2) if z ≤ β. For the one-sided
 * tail (β = ∞) that is e^(-1/2)·√(π/2) ≈ 0.76 at α = 0, rising to 1 as α
 * grows; cutting at β with λ(β - α) ≥ 1 keeps it above 0.5 (the least,
 * 0.519, is at α = 0, λ(β - α) = 1, by quadrature).
 *
 * Narrow (λ·(β - α) < 1): z ~ U(α, β), accepted with probability
 * exp((α² - z²)/2) ≥ exp(-(β - α)(β + α)/2). With w = β - α < 1/λ and
 * λ ≥ α, λ ≥ 1: (β - α)(β + α) = w(2α + w) < 2 + 1, so ≥ e^-1.5 ≈ 0.22.
 */
function tailSampler(alpha: number, beta: number, g: Generator): () => number {
  // (α + √(α² + 4))/2 written so that α² cannot overflow for α past 1e154.
  const lambda = alpha / 2 + Math.hypot(alpha / 2, 1);
  if (lambda * (beta - alpha) < 1) {
    return () => {
      for (;;) {
        const z = alpha + (beta - alpha) * g.random();
        // (α² - z²)/2 as (α - z)(α + z)/2: no cancellation when α is large.
        if (g.random() < Math.exp(((alpha - z) * (alpha + z)) / 2)) return z;
      }
    };
  }
  return () => {
    for (;;) {
      const z = alpha + exponential(g) / lambda;
      if (z <= beta && g.random() < Math.exp(-((z - lambda) ** 2) / 2)) return z;
    }
  };
}

/**
 * [alpha, beta] with alpha < 0 < beta: around the mode.
 *
 * Wide (β - α ≥ 2.5): plain normal draws until one lands inside, which
 * happens with probability Φ(β) - Φ(α) ≥ Φ(2.5) - 1/2 ≈ 0.49 (the worst
 * case is an interval [0⁻, 2.5]).
 *
 * Narrow (β - α < 2.5): z ~ U(α, β), accepted with probability
 * exp(-z²/2), whose mean over the interval is at least its mean over
 * [0, 2.5], ≈ 0.50.
 */
function centralSampler(alpha: number, beta: number, g: Generator): () => number {
  if (beta - alpha >= 2.5) {
    return () => {
      for (;;) {
        const z = g.normal();
        if (z >= alpha && z <= beta) return z;
      }
    };
  }
  return () => {
    for (;;) {
      const z = alpha + (beta - alpha) * g.random();
      if (g.random() < Math.exp((-z * z) / 2)) return z;
    }
  };
}
