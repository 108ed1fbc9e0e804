// The arrows of DESIGN.md ("Dependencies point one way"), checked by
// `pnpm check:imports` in CI. Only sources are checked: tests, examples and the
// benchmark may import anything. Type-only imports count (tsPreCompilationDeps).
//
// Inside @chainrule/core, bottom to top:
//   kernels/  ->  autograd/  ->  tensor/, value/, ops/  ->  functional/, testing/, viz/
// with the files at src/ root (errors, backend switches) usable from autograd up.
// internal/ holds the helpers core, nn and optim share ('@chainrule/core/internal').
const core = '^packages/core/src/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'core-kernels-at-the-bottom',
      comment: 'kernels/ are plain loops over typed arrays: they import nothing else of core (no Tensor, no graph).',
      severity: 'error',
      from: { path: `${core}kernels/` },
      to: { path: core, pathNot: `${core}kernels/` },
    },
    {
      name: 'core-autograd-below-tensor',
      comment:
        'autograd/ (the driver Value and Tensor share) knows nothing of Tensor or Value: it imports only kernels/ and files at src/ root.',
      severity: 'error',
      from: { path: `${core}autograd/` },
      to: { path: `${core}(tensor|value|ops|functional|testing|viz)/` },
    },
    {
      name: 'core-middle-below-top',
      comment: 'tensor/, value/ and ops/ do not import the layers built on them (functional/, testing/, viz/).',
      severity: 'error',
      from: { path: `${core}(tensor|value|ops)/` },
      to: { path: `${core}(functional|testing|viz)/` },
    },
    {
      name: 'core-root-files-below-tensor',
      comment:
        'Files at src/ root other than index.ts (errors, backend switches) sit beside autograd/: no Tensor, Value or ops.',
      severity: 'error',
      from: { path: `${core}[^/]+\\.ts$`, pathNot: `${core}index\\.ts$` },
      to: { path: `${core}(tensor|value|ops|functional|testing|viz)/` },
    },
    {
      name: 'core-inside-not-through-index',
      comment:
        'Below the top layer, core imports files, not its own public surface (index.ts): that is how cycles start.',
      severity: 'error',
      from: { path: [`${core}(kernels|autograd|tensor|value|ops)/`, `${core}[^/]+\\.ts$`] },
      to: { path: `${core}index\\.ts$` },
    },
    {
      name: 'core-imports-no-sibling',
      comment: 'core imports nothing of ours: nn and optim are built on it, never the reverse.',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: ['^packages/(?!core/)[^/]+/', '^@chainrule/(?!core)'] },
    },
    {
      name: 'nn-not-optim',
      comment: 'nn and optim do not import each other (both import only core).',
      severity: 'error',
      from: { path: '^packages/nn/' },
      to: { path: ['^packages/optim/', '^@chainrule/optim'] },
    },
    {
      name: 'optim-not-nn',
      comment: 'nn and optim do not import each other (both import only core).',
      severity: 'error',
      from: { path: '^packages/optim/' },
      to: { path: ['^packages/nn/', '^@chainrule/nn'] },
    },
    {
      name: 'onnx-on-top',
      comment: 'onnx may import core, nn and optim; nothing of ours imports onnx.',
      severity: 'error',
      from: { path: '^packages/(core|nn|optim)/' },
      to: { path: ['^packages/onnx/', '^@chainrule/onnx'] },
    },
    {
      name: 'packages-use-core-entry-points',
      comment:
        "nn, optim and onnx reach core only through its entry points ('@chainrule/core', '/testing', and '/internal' for the helpers all three packages share), never its files.",
      severity: 'error',
      from: { path: '^packages/(nn|optim|onnx)/src/' },
      to: { path: core, pathNot: `${core}(index|testing/index|testing/vitest|internal/index)\\.ts$` },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that does not resolve is a typo or a missing dependency.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Only the published sources are checked; their imports are followed into
    // sibling packages, which resolve to src/ through the source condition. An
    // `@chainrule/x` a package does not depend on stays unresolved: kept too.
    includeOnly: ['^packages/[^/]+/src/', '^@chainrule/'],
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are imports too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['@chainrule/source', 'import', 'types', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
