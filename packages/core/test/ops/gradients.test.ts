/**
 * First derivatives of every differentiable op, checked against central
 * finite differences in float64 over random shapes (broadcast shapes, negative
 * and multiple axes included) by the property table in gradient-cases.ts.
 */
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import { Tensor, Value } from '../../src/index';
import { opTables } from '../../src/ops/tables';
import { methodToExport, tensorOpCases, valueOpCases, type OpCase } from './gradient-cases';
import { notDifferentiable, notOpMethods } from './not-differentiable';

const numRuns = 40;

/** Rows of (op, what is checked, case) for it.each. */
function table(cases: Record<string, readonly OpCase[]>): [string, string, OpCase][] {
  return Object.entries(cases).flatMap(([op, list]) => list.map((c): [string, string, OpCase] => [op, c.label, c]));
}

describe('gradients of Tensor ops match finite differences', () => {
  it.each(table(tensorOpCases))('%s: %s', (_op, _label, c) => {
    c.run(numRuns, false);
  });
});

describe('gradients of Value ops match finite differences', () => {
  it.each(table(valueOpCases))('%s: %s', (_op, _label, c) => {
    c.run(numRuns, false);
  });
});

function methodsOf(prototype: object): string[] {
  return Object.getOwnPropertyNames(prototype).filter((name) => {
    const d = Object.getOwnPropertyDescriptor(prototype, name);
    return typeof d?.value === 'function' || d?.get !== undefined;
  });
}

describe('the table covers every differentiable op', () => {
  it('has an entry for every export of @chainrule/core that is not listed as non-differentiable', () => {
    const missing = Object.keys(core).filter((name) => !(name in notDifferentiable) && !(name in tensorOpCases));
    expect(missing).toEqual([]);
    const both = Object.keys(notDifferentiable).filter((name) => name in tensorOpCases);
    expect(both).toEqual([]);
    const stale = Object.keys(notDifferentiable).filter((name) => !(name in core));
    expect(stale).toEqual([]);
  });

  it('has an entry for every op of the unary and binary op tables', () => {
    // opTables.unary and opTables.binary hold every table of their family.
    const names = [...Object.keys(opTables.unary), ...Object.keys(opTables.binary)];
    expect(names.filter((name) => !(name in tensorOpCases))).toEqual([]);
  });

  it('has an entry for every Tensor method that is an op', () => {
    const skip = new Set<string>(notOpMethods.tensor);
    const missing = methodsOf(Tensor.prototype).filter(
      (m) => !skip.has(m) && !((methodToExport[m] ?? m) in tensorOpCases),
    );
    expect(missing).toEqual([]);
  });

  it('has an entry for every Value method that is an op', () => {
    const skip = new Set<string>(notOpMethods.value);
    const missing = methodsOf(Value.prototype).filter((m) => !skip.has(m) && !(m in valueOpCases));
    expect(missing).toEqual([]);
  });
});
