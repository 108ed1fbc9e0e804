/**
 * Properties over random programs (arbProgram): the engine's gradients
 * against finite differences, vjp against jvp, float32 against float64 and
 * Values against Tensors. Each fails with the shrunk program printed as
 * TypeScript, and its inputs as code.
 */
import fc, { type IPropertyWithHooks } from 'fast-check';
import { ChainruleError, Tensor, gradients, jvp, noGrad, tensor, value, vjp, type Value } from '../index';
import { gradcheck, gradgradcheck, type GradcheckOptions } from './gradcheck';
import { tensorSource } from './numbers';
import { formatReport } from './report';
import { programInputs, type Program, type ProgramNode } from './program';
import { arbProgram, type ProgramOptions } from './program-arbitrary';

/** Thrown by the program properties: the message names the property, prints the program, its inputs and what disagreed. */
export class ProgramPropertyError extends ChainruleError {
  /** The failing program. */
  readonly program: Program;

  constructor(op: string, program: Program, inputs: readonly Tensor[], what: string) {
    const listed = inputs.map((x, i) => `  x${program.inputIndices[i]} = ${tensorSource(x)}`).join('\n');
    super(op, `${what}\n\nprogram:\n${program.toSource()}\ninputs:\n${listed}`);
    this.program = program;
  }
}

/** Options of the program properties: the programs' ({@link ProgramOptions}), and how closely results must agree. */
export interface ProgramPropertyOptions extends ProgramOptions {
  /** Programs whose float64 inputs come within this distance of an op's kink, jump or tie are skipped (default 1e-3). */
  margin?: number;
}

/** Options of {@link programGradientProperty}. */
export interface ProgramGradientOptions extends ProgramPropertyOptions, Omit<GradcheckOptions, 'argnums'> {
  /** Check second derivatives too (gradgradcheck; default true). */
  secondOrder?: boolean;
}

interface Drawn {
  program: Program;
  seed: number;
  /** Whether every op of the `include` option made it into the program. */
  complete: boolean;
}

function drawn(options: ProgramOptions): fc.Arbitrary<Drawn> {
  const names = (options.include ?? []).map((o) => o.name);
  // An included op whose step could not apply (a shape it refuses) is missing: such draws do not count.
  return fc
    .record({ program: arbProgram(options), seed: fc.nat(1000) })
    .map((d) => ({ ...d, complete: names.every((n) => d.program.opNames.includes(n)) }));
}

const allFinite = (t: Tensor): boolean => Array.from(t.data() as ArrayLike<number>).every(Number.isFinite);

/** Runs the program on float64 inputs, skipping (fc.pre) programs without ops, with non-finite outputs or near a kink. */
function usable({ program, seed, complete }: Drawn, margin: number | null): Tensor[] {
  fc.pre(complete && program.opCount > 0);
  const xs = programInputs(program, seed, 'float64');
  fc.pre(noGrad(() => allFinite(program.run(xs))));
  if (margin !== null) fc.pre(program.kinkDistance(xs) > margin);
  return xs;
}

function splitOptions(options: ProgramPropertyOptions): { program: ProgramOptions; margin: number } {
  const { margin, ...program } = options;
  return { program, margin: margin ?? 1e-3 };
}

/**
 * Engine vs finite differences over random programs, in float64: gradcheck
 * (a random cotangent times the Jacobian) and, unless `secondOrder` is
 * false, gradgradcheck. Programs near a kink are skipped.
 *
 * @example
 * fc.assert(programGradientProperty({ maxSteps: 5 }), { numRuns: 50 });
 */
export function programGradientProperty(options: ProgramGradientOptions = {}): IPropertyWithHooks<[Drawn]> {
  const { secondOrder, eps, atol, rtol, seed, ...rest } = options;
  const { program: programOptions, margin } = splitOptions(rest);
  const check: GradcheckOptions = {};
  if (eps !== undefined) check.eps = eps;
  if (atol !== undefined) check.atol = atol;
  if (rtol !== undefined) check.rtol = rtol;
  if (seed !== undefined) check.seed = seed;
  return fc.property(drawn(programOptions), (d) => {
    const { program } = d;
    const xs = usable(d, margin);
    const f = (...a: Tensor[]) => program.run(a);
    const first = gradcheck(f, xs, check);
    if (!first.ok) throw new ProgramPropertyError('programGradientProperty', program, xs, formatReport(first));
    if (secondOrder !== false && program.nodes.every((n) => n.op?.firstOrderOnly !== true)) {
      const second = gradgradcheck(f, xs, check);
      if (!second.ok) throw new ProgramPropertyError('programGradientProperty', program, xs, formatReport(second));
    }
  });
}

const dot = (a: Tensor, b: Tensor): number => a.mul(b).sum().item();

/**
 * vjp and jvp agree as adjoints: ⟨vjp(u), v⟩ = ⟨u, jvp(v)⟩ for random
 * cotangents u and tangents v, in float64, within 1e-9 of the sum of the
 * terms' magnitudes. jvp is the double-vjp trick here, so this checks every
 * op's backward of its backward (at kinks too: both sides use one linear map).
 *
 * @example
 * fc.assert(vjpJvpDualityProperty(), { numRuns: 50 });
 */
export function vjpJvpDualityProperty(options: ProgramPropertyOptions = {}): IPropertyWithHooks<[Drawn]> {
  const { program: programOptions } = splitOptions(options);
  return fc.property(drawn(programOptions), (d) => {
    const { program, seed } = d;
    const xs = usable(d, null);
    const f = (...a: Tensor[]) => program.run(a);
    const [y, back] = vjp(f, ...xs);
    const cotangent = randomLike(y, seed + 2);
    const tangents = xs.map((x, i) => randomLike(x, seed + 3 + i));
    const pulled = back(cotangent);
    const [, pushed] = jvp(f, xs, tangents);
    const left = pulled.reduce((acc, g, i) => acc + dot(g, tangents[i] as Tensor), 0);
    const right = dot(cotangent, pushed);
    const scale =
      pulled.reduce((acc, g, i) => acc + dot(g.abs(), (tangents[i] as Tensor).abs()), 0) +
      dot(cotangent.abs(), pushed.abs());
    if (!(Math.abs(left - right) <= 1e-9 * (scale + 1))) {
      throw new ProgramPropertyError(
        'vjpJvpDualityProperty',
        program,
        xs,
        `⟨vjp(u), v⟩ = ${left} but ⟨u, jvp(v)⟩ = ${right} (difference ${Math.abs(left - right)}, allowed ${1e-9 * (scale + 1)})`,
      );
    }
  });
}

/** A float64 tensor like t with values in [-1, 1] from a seed. */
function randomLike(t: Tensor, seed: number): Tensor {
  let s = (seed * 2654435761) >>> 0;
  const values = Array.from({ length: t.size }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return tensor(values, { dtype: 'float64', shape: t.shape.slice() });
}

/** float32's unit roundoff, 2⁻²⁴. */
const UNIT = 2 ** -24;

/**
 * The bound {@link precisionAgreementProperty} allows for |⟨w, y₃₂⟩ − ⟨w, y₆₄⟩|:
 * first-order rounding-error analysis. Each node n rounds each of its
 * elements up to k_n times (k = 1 for elementwise ops, the reduced length for
 * reductions, the inner size for matmul, 3 for a domain guard, whose
 * intermediate values count), each by a relative error of at most
 * u = 2⁻²⁴; that error reaches the output times ∂s/∂n. So
 *
 *   bound = C · u · Σₙ kₙ · Σᵢ |∂s/∂nᵢ| · |nᵢ|,   C = 16,
 *
 * with the derivatives of s = ⟨w, y⟩ taken in float64. The sum is the
 * program's condition number spelt out node by node: it grows with depth
 * through the chain rule's products of each op's derivative (its
 * condition), and C covers kernels that round a few times per element.
 */
export function precisionBound(program: Program, inputs: readonly Tensor[], w: Tensor): number {
  const leaves = inputs.map((x) => x.detach().to('float64'));
  for (const x of leaves) x.requiresGrad = true;
  const values = program.evaluate(leaves);
  const s = values[values.length - 1]?.mul(w).sum() as Tensor;
  const opValues = values.filter((_, i) => program.nodes[i]?.kind !== 'input');
  const nodes = program.nodes.filter((n) => n.kind !== 'input');
  const usedValues = opValues.filter((v) => v.requiresGrad);
  const grads = gradients(s, usedValues);
  let total = 0;
  let k = 0;
  opValues.forEach((v, i) => {
    if (!v.requiresGrad) return;
    const g = grads[k++];
    if (g === null || g === undefined) return;
    const node = nodes[i] as ProgramNode;
    total += noGrad(() => dot(g.abs(), nodeScale(program, node, v.detach())));
  });
  return 16 * UNIT * total;
}

/**
 * k · |n| per element of a node: how much float32 rounding one element can
 * carry. A guard rounds three times (sigmoid, times hi − lo, plus lo) at
 * magnitudes up to |hi − lo| + |lo|, however small its result; a keepDims
 * sum rounds once per summed element; a reshape not at all.
 */
function nodeScale(program: Program, node: ProgramNode, v: Tensor): Tensor {
  if (node.kind === 'guard') {
    const [lo, hi] = node.params as [number, number];
    return v
      .abs()
      .mul(0)
      .add(3 * (Math.abs(hi - lo) + Math.abs(lo)));
  }
  const shapes = node.inputs.map((j) => program.nodes[j]?.shape ?? []);
  if (node.kind === 'fit') {
    const fit = node.params[0] as { sumAxes?: number[]; reshape?: number[] };
    if (fit.reshape !== undefined) return v.abs().mul(0);
    const summed = (fit.sumAxes ?? []).reduce((p, a) => p * ((shapes[0] ?? [])[a] ?? 1), 1);
    return v.abs().mul(summed);
  }
  return v.abs().mul(node.op?.roundings?.(shapes) ?? 1);
}

/**
 * float32 and float64 runs of a program agree: |⟨w, y₃₂⟩ − ⟨w, y₆₄⟩| stays
 * within {@link precisionBound} (first-order rounding analysis, so depth and
 * each op's condition enter through the derivatives), plus 1e-30. Inputs are
 * multiples of 2⁻¹⁰, exact in both dtypes; programs within `margin` (default
 * 1e-3) of a kink are skipped, where float32's error could change a branch.
 *
 * @example
 * fc.assert(precisionAgreementProperty(), { numRuns: 50 });
 */
export function precisionAgreementProperty(options: ProgramPropertyOptions = {}): IPropertyWithHooks<[Drawn]> {
  const { program: programOptions, margin } = splitOptions(options);
  return fc.property(drawn(programOptions), (d) => {
    const { program, seed } = d;
    const xs = usable(d, margin);
    const y64 = noGrad(() => program.run(xs));
    const y32 = noGrad(() => program.run(xs.map((x) => x.to('float32')))).to('float64');
    const w = randomLike(y64, seed + 7);
    const diff = Math.abs(dot(y32, w) - dot(y64, w));
    const bound = precisionBound(program, xs, w) + 1e-30;
    if (!(diff <= bound)) {
      throw new ProgramPropertyError(
        'precisionAgreementProperty',
        program,
        xs,
        `float32 and float64 differ by ${diff} in ⟨w, y⟩, above the rounding bound ${bound}`,
      );
    }
  });
}

/**
 * Scalar programs give the same value and gradients on Values as on 0-d
 * float64 Tensors (within 1e-12 relative): the two graphs and their
 * backward drivers against each other.
 *
 * @example
 * fc.assert(valueTensorAgreementProperty(), { numRuns: 100 });
 */
export function valueTensorAgreementProperty(options: ProgramPropertyOptions = {}): IPropertyWithHooks<[Drawn]> {
  const { program: programOptions } = splitOptions(options);
  return fc.property(drawn({ ...programOptions, scalar: true }), (d) => {
    const { program } = d;
    const xs = usable(d, null);
    const vs: Value[] = xs.map((x) => value(x.item()));
    const out = program.runValues(vs);
    out.backward();
    const leaves = xs.map((x) => {
      const l = x.detach();
      l.requiresGrad = true;
      return l;
    });
    const y = program.run(leaves);
    const gs = gradients(y, leaves);
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b));
    const problems: string[] = [];
    if (!close(out.data, y.item())) problems.push(`value: Value ${out.data}, Tensor ${y.item()}`);
    vs.forEach((v, i) => {
      const g = gs[i]?.item() ?? 0;
      if (!close(v.grad, g)) problems.push(`gradient of x${program.inputIndices[i]}: Value ${v.grad}, Tensor ${g}`);
    });
    if (problems.length > 0)
      throw new ProgramPropertyError('valueTensorAgreementProperty', program, xs, problems.join('\n'));
  });
}
