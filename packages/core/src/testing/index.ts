/**
 * @chainrule/core/testing: gradient checking as a library. `gradcheck` and
 * `gradgradcheck` compare the engine's derivatives with finite differences;
 * `allClose` and the `toBeAllClose` matcher compare numbers with tolerances.
 * Nothing here needs fast-check: the property-test half (the `arb*`
 * arbitraries and `gradientProperty`) is `@chainrule/core/testing/properties`,
 * the only entry point that imports it. See docs/gradient-checking.md.
 *
 * @module @chainrule/core/testing
 */
export {
  allClose,
  chainruleMatchers,
  type AllCloseOptions,
  type AllCloseResult,
  type ChainruleMatchers,
  type MatcherResult,
} from './all-close';
export { tensorSource, type Numeric } from './numbers';
export {
  gradcheck,
  gradgradcheck,
  assertGradcheck,
  assertGradgradcheck,
  GradcheckError,
  type GradcheckOptions,
  type CheckedFunction,
} from './gradcheck';
export {
  formatReport,
  type GradcheckReport,
  type GradcheckEntry,
  type CheckedInput,
  type CheckSettings,
} from './report';
// findDivergence (float32 against a float64 replay of the same graph) and gradcheckModule.
export {
  findDivergence,
  formatDivergence,
  type FindDivergenceOptions,
  type DivergenceReport,
  type DivergentOp,
  type TensorSummary,
} from './divergence';
export {
  gradcheckModule,
  formatModuleReport,
  type CheckableModule,
  type GradcheckModuleOptions,
  type ModuleGradcheckReport,
  type ModuleLoss,
} from './module-check';
export { gradientMatchers, type GradientMatchers, type ModuleGradientMatcherOptions } from './gradient-matchers';
