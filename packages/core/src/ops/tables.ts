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
// Cumulative and sorting ops (issue 18).
import { cumulativeOps } from './cumulative';
import { sortOps } from './sort';

export const opTables = {
  unary: unaryOps,
  binary: binaryOps,
  reduce: reduceOps,
  shape: shapeOps,
  cumulative: cumulativeOps,
  sort: sortOps,
} as const;

/** The comparisons: not OpDefs (bool results carry no gradient), but the suites call them too. */
export const comparisonNames = Object.keys(comparisons) as (keyof typeof comparisons)[];
