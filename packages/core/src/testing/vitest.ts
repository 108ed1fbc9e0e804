/**
 * `import '@chainrule/core/testing/vitest'` in a vitest test file (or in a
 * file listed in `test.setupFiles`) registers chainrule's matchers with
 * vitest's `expect` and declares their types:
 *
 * @example
 * import '@chainrule/core/testing/vitest';
 * expect(x.grad).toBeAllClose([2, 4], { atol: 1e-6 });
 *
 * This is the only module of chainrule that imports vitest; the rest of
 * `@chainrule/core/testing` works with any test runner.
 */
import { expect } from 'vitest';
import { chainruleMatchers, type ChainruleMatchers } from './all-close';

expect.extend(chainruleMatchers);

declare module 'vitest' {
  // The type parameter must repeat vitest's own declaration of Matchers exactly.
  interface Matchers<T> extends ChainruleMatchers<T> {}
}

// The gradient matchers (gradient-matchers.ts): toMatchFiniteDifferences and toHaveCorrectGradients.
import { gradientMatchers, type GradientMatchers } from './gradient-matchers';

expect.extend(gradientMatchers);

declare module 'vitest' {
  interface Matchers<T> extends GradientMatchers<T> {}
}
