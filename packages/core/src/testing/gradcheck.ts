/**
 * gradcheck and gradgradcheck: the engine's derivatives of a user's function
 * against central finite differences in float64, as PyTorch's gradcheck and
 * JAX's check_grads do, with a report a person can read.
 */
import { ArgumentError, ChainruleError, Tensor, Value } from '../index';
import { describeValue } from '../internal/index';
import { checkOptionKeys } from '../internal/options';
import { compare, formatReport, type CheckSettings, type GradcheckReport } from './report';
import { checkFinite, evaluateTensors, firstDerivativeFunction, prepareTensors } from './tensor-check';
import { evaluateValues } from './value-check';

/** Options of {@link gradcheck} and {@link gradgradcheck}. */
export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, times |numeric| (default 1e-3). */
  rtol?: number;
  /** Which arguments to check (default: every float32/float64 Tensor, or every Value). Other arguments are passed through unchanged. */
  argnums?: number | readonly number[];
  /** Seed of the random output cotangent (default 0). */
  seed?: number;
}

/** Thrown by {@link assertGradcheck} and {@link assertGradgradcheck}; the message is the formatted report. */
export class GradcheckError extends ChainruleError {
  readonly #report: GradcheckReport;

  constructor(op: string, report: GradcheckReport) {
    super(op, formatReport(report));
    this.#report = report;
  }

  /** The report the message was formatted from. */
  get report(): GradcheckReport {
    return this.#report;
  }

  /**
   * What JSON.stringify and test runners show: the message already is the
   * report, so printing the report object after it again only adds noise.
   */
  toJSON(): { name: string; op: string; message: string } {
    return { name: this.name, op: this.op, message: this.message };
  }
}

/** A function gradcheck accepts: any arguments in, a Tensor (any shape) or a Value out. */
export type CheckedFunction<A extends readonly unknown[]> = (...args: A) => Tensor | Value;

/**
 * Compares the engine's gradient of `f` at `inputs` with central finite
 * differences in float64 and returns a report (`ok`, errors, the worst
 * entry). Tensor inputs are checked as float64 copies (float32 ones are
 * upcast); a non-scalar output is multiplied by a random cotangent v first,
 * so what is checked is the vector-Jacobian product vᵀJ.
 *
 * @example
 * const report = gradcheck((x, w) => x.matmul(w).tanh(), [randn([2, 3]), randn([3, 4])]);
 * report.ok; // true
 */
export function gradcheck<A extends readonly unknown[]>(
  f: CheckedFunction<A>,
  inputs: Readonly<A>,
  options: GradcheckOptions = {},
): GradcheckReport {
  const op = 'gradcheck';
  const settings = checkSettings(op, options);
  const seed = checkSeed(op, options.seed);
  const { positions, kind } = selectInputs(op, f, inputs, options.argnums);
  const evaluation =
    kind === 'value'
      ? evaluateValues(op, f, inputs, positions, settings.eps)
      : evaluateTensors(op, f, prepareTensors(inputs, positions), settings.eps, seed, 1);
  return compare(evaluation, settings);
}

/**
 * Like {@link gradcheck}, but checks second derivatives: the engine's
 * gradient of ⟨u, ∇⟨v, f⟩⟩ (random u, v; a Hessian-vector product, computed
 * with `createGraph`) against finite differences of the engine's first
 * derivatives. Tensor functions only (Values are first-order).
 *
 * @example
 * gradgradcheck((x) => x.tanh().sum(), [randn([3], { dtype: 'float64' })]).ok; // true
 */
export function gradgradcheck<A extends readonly unknown[]>(
  f: CheckedFunction<A>,
  inputs: Readonly<A>,
  options: GradcheckOptions = {},
): GradcheckReport {
  const op = 'gradgradcheck';
  const settings = checkSettings(op, options);
  const seed = checkSeed(op, options.seed);
  const { positions, kind } = selectInputs(op, f, inputs, options.argnums);
  if (kind === 'value') {
    throw new ArgumentError(
      op,
      'Values are first-order only (their gradients are plain numbers); write f with Tensors to check second derivatives',
    );
  }
  const prepared = prepareTensors(inputs, positions);
  const first = firstDerivativeFunction(op, f, prepared, positions, seed);
  const evaluation = evaluateTensors(op, first.g, prepared, settings.eps, seed, 2);
  return compare({ ...evaluation, output: first.output }, settings);
}

/**
 * {@link gradcheck}, throwing a {@link GradcheckError} whose message is the
 * report when the check fails.
 *
 * @example
 * it('has the right gradient', () => {
 *   assertGradcheck((x) => mySwish(x).sum(), [randn([4, 3], { dtype: 'float64' })]);
 * });
 */
export function assertGradcheck<A extends readonly unknown[]>(
  f: CheckedFunction<A>,
  inputs: Readonly<A>,
  options: GradcheckOptions = {},
): GradcheckReport {
  const report = gradcheck(f, inputs, options);
  if (!report.ok) throw new GradcheckError('gradcheck', report);
  return report;
}

/** {@link gradgradcheck}, throwing a {@link GradcheckError} with the report when it fails. */
export function assertGradgradcheck<A extends readonly unknown[]>(
  f: CheckedFunction<A>,
  inputs: Readonly<A>,
  options: GradcheckOptions = {},
): GradcheckReport {
  const report = gradgradcheck(f, inputs, options);
  if (!report.ok) throw new GradcheckError('gradgradcheck', report);
  return report;
}

function checkSettings(op: string, options: GradcheckOptions): CheckSettings {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(
      op,
      `options must be an object like { eps: 1e-6, atol: 1e-5, rtol: 1e-3 }, got ${String(options)}`,
    );
  }
  checkOptionKeys(op, options, ['eps', 'atol', 'rtol', 'argnums', 'seed']);
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) {
    throw new ArgumentError(op, `eps must be a finite number > 0, got ${String(eps)}`);
  }
  for (const [name, v] of [
    ['atol', atol],
    ['rtol', rtol],
  ] as const) {
    if (typeof v !== 'number' || !(v >= 0))
      throw new ArgumentError(op, `${name} must be a number ≥ 0, got ${String(v)}`);
  }
  return { eps, atol, rtol };
}

function checkSeed(op: string, seed: unknown): number {
  if (seed === undefined) return 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
    throw new ArgumentError(op, `seed must be a safe integer, got ${String(seed)}`);
  return seed;
}

type Kind = 'tensor' | 'value' | 'other';

function kindOf(x: unknown): Kind {
  if (x instanceof Tensor) return x.dtype === 'float32' || x.dtype === 'float64' ? 'tensor' : 'other';
  return x instanceof Value ? 'value' : 'other';
}

/** Tensors by dtype (what decides whether they can be checked), anything else as every message shows it. */
function describe(x: unknown): string {
  if (x instanceof Tensor) return `${x.dtype === 'int32' ? 'an' : 'a'} ${x.dtype} Tensor`;
  return describeValue(x);
}

/** The positions of the inputs to check, all Tensors or all Values. */
function selectInputs(
  op: string,
  f: unknown,
  inputs: readonly unknown[],
  argnums: number | readonly number[] | undefined,
): { positions: number[]; kind: 'tensor' | 'value' } {
  if (typeof f !== 'function') throw new ArgumentError(op, `f must be a function, got ${describe(f)}`);
  if (!Array.isArray(inputs))
    throw new ArgumentError(op, `inputs must be an array of f's arguments, got ${describe(inputs)}`);
  const kinds = inputs.map(kindOf);
  let positions: number[];
  if (argnums === undefined) {
    positions = kinds.flatMap((k, i) => (k === 'other' ? [] : [i]));
  } else {
    const list = typeof argnums === 'number' ? [argnums] : Array.isArray(argnums) ? argnums : null;
    if (list === null || list.length === 0)
      throw new ArgumentError(op, `argnums must be an index or a non-empty list of indices, got ${String(argnums)}`);
    positions = list.map((a) => {
      if (!Number.isInteger(a) || a < -inputs.length || a >= inputs.length) {
        throw new ArgumentError(op, `argnums ${a} is out of range for ${inputs.length} input(s)`);
      }
      const p = a < 0 ? a + inputs.length : a;
      if (kinds[p] === 'other') {
        throw new ArgumentError(
          op,
          `argnums names input ${p}, which is ${describe(inputs[p])}; only float32/float64 Tensors and Values have gradients`,
        );
      }
      return p;
    });
    if (new Set(positions).size !== positions.length)
      throw new ArgumentError(op, `argnums ${JSON.stringify(list)} names an input twice`);
  }
  if (positions.length === 0) {
    throw new ArgumentError(
      op,
      `no input to check: inputs are ${inputs.map(describe).join(', ') || 'empty'}; pass float32/float64 Tensors or Values`,
    );
  }
  const kind = kinds[positions[0] as number] as 'tensor' | 'value';
  if (positions.some((p) => kinds[p] !== kind)) {
    throw new ArgumentError(
      op,
      'the checked inputs mix Tensors and Values, which never share a graph; check them separately (argnums)',
    );
  }
  for (const p of positions) {
    const x = inputs[p];
    if (x instanceof Tensor) checkFinite(op, x, p);
    else if (x instanceof Value && !Number.isFinite(x.data))
      throw new ArgumentError(op, `input ${p} is a Value holding ${x.data}; checked inputs must be finite`);
  }
  return { positions, kind };
}
