/**
 * Every family's table of ops, in one place. Tests iterate over these (the
 * fuzzers, the argument-error cases, the gradient cases), so an op added to
 * a table cannot go untested: a meta-test fails until each suite covers it.
 */
import { unaryOps } from './unary';
import { binaryOps } from './binary';
import { reduceOps } from './reduce';
import { shapeOps } from './shape';
import { comparisons } from './compare';

// Binary math ops and value tests (issue 17).
import { binaryMathOps } from './binary-math';
import { valueTests } from './value-tests';

export const opTables = {
  unary: unaryOps,
  // binaryMathOps (ops/binary-math.ts) is part of the binary family: one table for the suites.
  binary: { ...binaryOps, ...binaryMathOps },
  reduce: reduceOps,
  shape: shapeOps,
} as const;

/** The comparisons: not OpDefs (bool results carry no gradient), but the suites call them too. */
export const comparisonNames = Object.keys(comparisons) as (keyof typeof comparisons)[];

/** The one-operand value tests (isnan, ...): bool results like the comparisons, and the suites call them too. */
export const valueTestNames = Object.keys(valueTests) as (keyof typeof valueTests)[];
