/**
 * The findDivergence report shown in docs/gradient-checking.md is this
 * test's output, and the test fails when the page and the output part.
 * What is expected of the report itself is derived by hand: E[x²] ≈ 1e6,
 * where float32's spacing is 0.0625, minus E[x]² ≈ 1e6 leaves a variance of
 * about 0.5 with an error of several hundredths.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { tensor, type Tensor } from '@chainrule/core';
import { findDivergence } from '@chainrule/core/testing';

// Readings of a sensor around 1000, with a variance of about 0.5.
const readings = tensor(Array.from({ length: 64 }, (_, i) => 1000 + Math.sin(1.7 * i)));

// The one-pass variance, E[x²] − E[x]².
function onePassVariance(x: Tensor): Tensor {
  return x.square().mean().sub(x.mean().square());
}

it('docs/gradient-checking.md shows the report findDivergence gives', () => {
  const report = findDivergence(onePassVariance, [readings]);
  expect(report.divergence?.op).toBe('sub');
  expect(report.divergence?.float64.max).toBeLessThan(1);
  // The path is relative to where vitest runs; the page shows it from the repository root.
  const text = String(report).replace(
    /\S*divergence-docs\.test\.ts/,
    'packages/core/test/testing/divergence-docs.test.ts',
  );
  const page = readFileSync(new URL('../../../../docs/gradient-checking.md', import.meta.url), 'utf8');
  // SHOW_REPORT=1 prints the report, to paste into the page after a deliberate change.
  if (process.env.SHOW_REPORT) console.log(text);
  expect(page).toContain('```text\n' + text + '\n```');
});
