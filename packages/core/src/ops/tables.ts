/**
 * Every family's table of ops, in one place. Tests iterate over these (the
 * fuzzers, the argument-error cases, the gradient cases), so an op added to
 * a table cannot go untested: a meta-test fails until each suite covers it.
 */
import { unaryOps } from './unary';
import { binaryOps } from './binary';
import { reduceOps } from './reduce';
import { reductionOps } from './reductions';
import { shapeOps } from './shape';
import { comparisons } from './compare';

export const opTables = {
  unary: unaryOps,
  binary: binaryOps,
  // reduce.ts holds sum and max/min, reductions.ts prod, norm, std, amax/amin and nansum: one family.
  reduce: { ...reduceOps, ...reductionOps },
  shape: shapeOps,
} as const;

/** The comparisons: not OpDefs (bool results carry no gradient), but the suites call them too. */
export const comparisonNames = Object.keys(comparisons) as (keyof typeof comparisons)[];
