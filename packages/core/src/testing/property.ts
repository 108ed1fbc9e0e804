/**
 * gradientProperty: gradcheck (and optionally gradgradcheck) as a fast-check
 * property, so a whole gradient test of a layer is one `fc.assert` line.
 */
import fc, { type Arbitrary, type IPropertyWithHooks } from 'fast-check';
import { ArgumentError } from '../index';
import { assertGradcheck, assertGradgradcheck, type CheckedFunction, type GradcheckOptions } from './gradcheck';

/** Options of {@link gradientProperty}. */
export interface GradientPropertyOptions extends GradcheckOptions {
  /** Also check second derivatives with gradgradcheck (Tensor functions; default false). */
  secondOrder?: boolean;
}

/** One arbitrary per argument of f, or one arbitrary of the whole argument list. */
export type ArgumentArbitraries<A extends readonly unknown[]> = { [K in keyof A]: Arbitrary<A[K]> } | Arbitrary<A>;

/**
 * A fast-check property: for every generated argument list, the engine's
 * gradient of `f` matches finite differences. On failure fast-check shrinks
 * the arguments and reports the smallest counterexample (tensors print as
 * code that rebuilds them) together with the gradcheck report.
 *
 * @example
 * fc.assert(gradientProperty((x, w) => x.matmul(w).tanh(), [arbTensor({ shape: [2, 3] }), arbTensor({ shape: [3, 4] })]));
 */
export function gradientProperty<A extends readonly unknown[]>(
  f: CheckedFunction<A>,
  arbitraries: ArgumentArbitraries<A>,
  options: GradientPropertyOptions = {},
): IPropertyWithHooks<[A]> {
  const args = argumentList(arbitraries);
  const { secondOrder, ...check } = options;
  return fc.property(args, (inputs) => {
    assertGradcheck(f, inputs, check);
    if (secondOrder === true) assertGradgradcheck(f, inputs, check);
  });
}

function argumentList<A extends readonly unknown[]>(arbitraries: ArgumentArbitraries<A>): Arbitrary<A> {
  if (arbitraries instanceof fc.Arbitrary) return arbitraries;
  if (!Array.isArray(arbitraries) || !arbitraries.every((a) => a instanceof fc.Arbitrary)) {
    throw new ArgumentError(
      'gradientProperty',
      'expected an array with one fast-check arbitrary per argument of f, or one arbitrary of the argument list',
    );
  }
  return fc.tuple(...(arbitraries as readonly Arbitrary<unknown>[])) as unknown as Arbitrary<A>;
}
