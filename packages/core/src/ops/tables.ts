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
// Convolution, pooling and unfold (issue 16).
import { convOps } from './conv';

export const opTables = {
  unary: unaryOps,
  binary: binaryOps,
  reduce: reduceOps,
  shape: shapeOps,
  conv: convOps,
} as const;

/** The comparisons: not OpDefs (bool results carry no gradient), but the suites call them too. */
export const comparisonNames = Object.keys(comparisons) as (keyof typeof comparisons)[];
