/**
 * gradcheck and gradcheckModule shaped as matchers for `expect.extend`
 * (vitest or Jest), without importing either: `toMatchFiniteDifferences`
 * for a function, `toHaveCorrectGradients` for a module. The failure
 * message is the check's report.
 */
import type { MatcherResult } from './all-close';
import { formatReport } from './report';
import { gradcheck, type GradcheckOptions } from './gradcheck';
import { gradcheckModule, type CheckableModule, type GradcheckModuleOptions, type ModuleLoss } from './module-check';

/** Options of the `toHaveCorrectGradients` matcher: gradcheckModule's, and its loss. */
export interface ModuleGradientMatcherOptions extends GradcheckModuleOptions {
  /** Applied to the module's output (default: every float tensor of the output, times a random cotangent). */
  lossFn?: ModuleLoss;
}

/**
 * The gradient matchers for `expect.extend`; in vitest, importing
 * `@chainrule/core/testing/vitest` registers them and adds the types.
 *
 * @example
 * expect.extend(gradientMatchers);
 * expect((x: Tensor) => mySwish(x).sum()).toMatchFiniteDifferences([randn([4, 3])]);
 * expect(model).toHaveCorrectGradients(randn([8, 3]), { lossFn: (y: Tensor) => y.square().mean() });
 */
export const gradientMatchers = {
  toMatchFiniteDifferences(received: unknown, inputs: readonly unknown[], options?: GradcheckOptions): MatcherResult {
    const report = gradcheck(received as (...args: unknown[]) => never, inputs, options ?? {});
    const text = formatReport(report);
    return {
      pass: report.ok,
      message: () => (report.ok ? `expected the gradient not to match finite differences, but: ${text}` : text),
    };
  },
  toHaveCorrectGradients(received: unknown, input: unknown, options?: ModuleGradientMatcherOptions): MatcherResult {
    const { lossFn, ...rest } = options ?? {};
    const report = gradcheckModule(received as CheckableModule, input, lossFn, rest);
    const text = String(report);
    return {
      pass: report.ok,
      message: () => (report.ok ? `expected the module's gradients not to be correct, but: ${text}` : text),
    };
  },
};

/** The gradient matchers' types, for declaring them on your test framework's assertion interface. */
export interface GradientMatchers<R = unknown> {
  /**
   * The function's gradient at `inputs` matches central finite differences
   * in float64 ({@link gradcheck}); the failure message is the report.
   */
  toMatchFiniteDifferences(inputs: readonly unknown[], options?: GradcheckOptions): R;
  /**
   * Every parameter gradient of the module at `input` (forward's argument,
   * or an array of them) matches finite differences in float64
   * ({@link gradcheckModule}); the failure message names the parameter and
   * element (`layers.2.weight[3, 7]`).
   */
  toHaveCorrectGradients(input: unknown, options?: ModuleGradientMatcherOptions): R;
}
