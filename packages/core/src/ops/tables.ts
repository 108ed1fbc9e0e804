/**
 * Every family's table of ops, in one place. Tests iterate over these (the
 * fuzzers, the argument-error cases, the gradient cases), so an op added to
 * a table cannot go untested: a meta-test fails until each suite covers it.
 */
import { unaryOps } from './unary';
import { binaryOps } from './binary';
import { reduceOps } from './reduce';
import { shapeOps } from './shape';

export const opTables = { unary: unaryOps, binary: binaryOps, reduce: reduceOps, shape: shapeOps } as const;

/** The name of every op in every table. */
export const tableOpNames: readonly string[] = Object.values(opTables).flatMap((table) => Object.keys(table));
