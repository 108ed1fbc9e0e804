/**
 * @chainrule/core/testing/properties: gradient checks as property tests.
 * The `arb*` functions are fast-check arbitraries of shapes and tensors, and
 * `gradientProperty` turns them and `gradcheck` into a property of your own
 * layer; `propertySeed`/`configurePropertySeed` make a failing run
 * reproducible.
 *
 * This entry point imports fast-check, a peer dependency: install it
 * (`npm install -D fast-check`) to use it. `gradcheck` and `allClose` alone
 * are in `@chainrule/core/testing`, which needs nothing.
 *
 * @module @chainrule/core/testing/properties
 */
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
// Random programs and the properties over them (issue 24).
export {
  Program,
  ProgramDraw,
  buildProgram,
  programInputs,
  paramSource,
  paramValue,
  callOp,
  type ProgramOp,
  type ProgramNode,
  type ProgramParam,
  type ProgramShape,
  type ProgramStep,
  type ProgramRecipe,
  type IndexTensorParam,
  type OpPlan,
  type BuildOptions,
} from './program';
export {
  programOps,
  programOpRows,
  programExtraOps,
  scalarProgramOps,
  type ExcludedRow,
} from './program-ops';
export { arbProgram, type ProgramOptions } from './program-arbitrary';
export {
  programGradientProperty,
  vjpJvpDualityProperty,
  precisionAgreementProperty,
  valueTensorAgreementProperty,
  precisionBound,
  ProgramPropertyError,
  type ProgramPropertyOptions,
  type ProgramGradientOptions,
} from './program-properties';
