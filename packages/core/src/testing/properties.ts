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
