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
export { allClose, chainruleMatchers, type AllCloseOptions, type AllCloseResult, type ChainruleMatchers, type MatcherResult } from './all-close';
export { tensorSource, type Numeric } from './numbers';
