/**
 * Every family's table of ops, in one place. Tests iterate over these (the
 * fuzzers, the argument-error cases, the gradient cases), so an op added to
 * a table cannot go untested: a meta-test fails until each suite covers it.
 *
 * A family may span several files: each file keeps its own table, and the
 * family here is the spread of them all (one line per family to extend).
 */
import { unaryOps } from './unary';
import { specialOps } from './special';
import { roundingOps } from './rounding';
import { binaryOps } from './binary';
import { binaryMathOps } from './binary-math';
import { reduceOps } from './reduce';
import { reductionOps } from './reductions';
import { shapeOps } from './shape';
import { comparisons } from './compare';
import { valueTests } from './value-tests';
import { shapeToolboxOps } from './shape-toolbox';
import { activationOps } from './activations';
import { bitwiseOps } from './bitwise';
import { cumulativeOps } from './cumulative';
import { sortOps } from './sort';
import { indexingOps } from './indexing';
import { scatterOps } from './scatter';
import { maskedOps } from './masked';
import { convOps } from './conv';

const unary = { ...unaryOps, ...specialOps, ...roundingOps, ...activationOps };
const binary = { ...binaryOps, ...binaryMathOps };
const reduce = { ...reduceOps, ...reductionOps };
const shape = { ...shapeOps, ...shapeToolboxOps };
const indexing = { ...indexingOps, ...scatterOps, ...maskedOps };

export const opTables = {
  unary,
  binary,
  reduce,
  shape,
  cumulative: cumulativeOps,
  sort: sortOps,
  indexing,
  conv: convOps,
} as const;

/** The comparisons: not OpDefs (bool results carry no gradient), but the suites call them too. */
export const comparisonNames = Object.keys(comparisons) as (keyof typeof comparisons)[];

/** The one-operand value tests (isnan, ...): bool results like the comparisons, and the suites call them too. */
export const valueTestNames = Object.keys(valueTests) as (keyof typeof valueTests)[];

/** The bitwise ops (integer results, no gradient): the suites call them as they call comparisons. */
export const bitwiseNames = Object.keys(bitwiseOps) as (keyof typeof bitwiseOps)[];
