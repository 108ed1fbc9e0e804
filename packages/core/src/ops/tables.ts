/**
 * Every family's table of ops, in one place. Tests iterate over these (the
 * fuzzers, the argument-error cases, the gradient cases), so an op added to
 * a table cannot go untested: a meta-test fails until each suite covers it.
 */
import { unaryOps } from './unary';
// Tables of unary ops kept in files of their own, merged into the unary family below.
import { specialOps } from './special';
import { roundingOps } from './rounding';
import { binaryOps } from './binary';
import { reduceOps } from './reduce';
import { shapeOps } from './shape';
import { comparisons } from './compare';

/** Every row of the unary family: the core table, then one spread per table of its own. */
const unary = { ...unaryOps, ...specialOps, ...roundingOps };

export const opTables = { unary, binary: binaryOps, reduce: reduceOps, shape: shapeOps } as const;

/** The comparisons: not OpDefs (bool results carry no gradient), but the suites call them too. */
export const comparisonNames = Object.keys(comparisons) as (keyof typeof comparisons)[];
