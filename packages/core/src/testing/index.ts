/**
 * @chainrule/core/testing: gradient checking as a library. `gradcheck` and
 * `gradgradcheck` compare the engine's derivatives with finite differences,
 * the `arb*` functions are fast-check arbitraries of shapes and tensors, and
 * `gradientProperty` turns both into a property test of your own layer.
 * `allClose` and the `toBeAllClose` matcher compare numbers with tolerances.
 *
 * fast-check is a peer dependency of this entry point only; the main entry
 * `@chainrule/core` imports nothing. See docs/gradient-checking.md.
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
export {
  arbShape,
  arbBroadcastableShapes,
  arbMatmulShapes,
  arbAxis,
  arbAxes,
  arbTensor,
  arbTensors,
  arbValue,
  type ShapeOptions,
  type MatmulShapeOptions,
  type TensorOptions,
  type ValueRange,
  type TupleOf,
} from './arbitraries';
export { gradientProperty, type GradientPropertyOptions, type ArgumentArbitraries } from './property';
export { propertySeed, configurePropertySeed } from './seed';
