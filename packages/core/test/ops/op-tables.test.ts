/**
 * The op tables are the one list of ops: every suite that iterates over ops
 * must cover every row, so a new op cannot pass the suites untested (before
 * this test, an op added to the unary table was silently skipped by the
 * fuzzers).
 */
import { describe, expect, it } from 'vitest';
import { opTables } from '../../src/ops/tables';
import { tensorOpCases } from './gradient-cases';
import { elementwiseOps, reductionOps } from '../fuzz/sequence-ops';
import { shapeOps as shapeSequenceOps } from '../fuzz/sequence-shape-ops';
// Cumulative, sorting and search ops (issue 18).
import { sortSequenceOps } from '../fuzz/sequence-sort-ops';
import { indexOps as indexSequenceOps } from '../fuzz/sequence-index-ops';
import { convSequenceOps } from '../fuzz/sequence-conv-ops';

/** Rows users cannot call: each is the backward of another row and is checked through it. */
const internal = new Set(['padSlice', 'linearScan', 'indexBackward']);

const rows = Object.entries(opTables).flatMap(([family, table]) =>
  Object.keys(table)
    .filter((name) => !internal.has(name))
    .map((name) => [family, name] as const),
);

describe('every op of the tables is covered', () => {
  const fuzzed = new Set([
    ...Object.keys(elementwiseOps),
    ...Object.keys(reductionOps),
    ...Object.keys(shapeSequenceOps),
    ...Object.keys(sortSequenceOps),
    ...Object.keys(indexSequenceOps),
    ...Object.keys(convSequenceOps),
  ]);
  const checked = new Set(Object.keys(tensorOpCases));

  it.each(rows)('%s op %s is in the random op-sequence fuzzer', (_family, name) => {
    expect(fuzzed.has(name)).toBe(true);
  });

  it.each(rows)('%s op %s has gradient cases', (_family, name) => {
    expect(checked.has(name)).toBe(true);
  });
});
