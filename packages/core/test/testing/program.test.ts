/**
 * arbProgram and the programs it builds: the catalogue covers every
 * op-table row, programs share nodes and keep shapes and domains, and the
 * printed source, run on its own, gives what `run` gives.
 */
import fc from 'fast-check';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import { ArgumentError, Tensor } from '../../src/index';
import { opTables } from '../../src/ops/tables';
import {
  arbProgram,
  buildProgram,
  programInputs,
  programOpRows,
  programOps,
  type Program,
} from '../../src/testing/properties';

/** As op-tables.test.ts lists them: rows that are another row's backward. */
const internal = new Set(['padSlice', 'linearScan', 'indexBackward']);

type Tables = typeof opTables;
type Row = { [F in keyof Tables]: keyof Tables[F] & string }[keyof Tables];
/** A row added to a table without program metadata is a compile error here (and a failure below). */
const everyRowHasProgramMetadata: {
  readonly [K in Exclude<Row, 'padSlice' | 'linearScan' | 'indexBackward'>]: unknown;
} = programOpRows;

/** Runs printed source: TypeScript's own transpiler to CommonJS, `@chainrule/core` resolved to the sources. */
function runSource(source: string, inputs: readonly Tensor[]): Tensor {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
  const exports: Record<string, unknown> = {};
  const require = (name: string) => {
    if (name === '@chainrule/core') return core;
    throw new Error(`unexpected import ${name}`);
  };
  new Function('require', 'exports', js)(require, exports);
  return (exports['program'] as (...xs: Tensor[]) => Tensor)(...inputs);
}

const sample = (n: number, options = {}): Program[] => fc.sample(arbProgram(options), { numRuns: n, seed: 24 });

describe('the program op catalogue', () => {
  const rows = Object.values(opTables).flatMap((t) => Object.keys(t).filter((name) => !internal.has(name)));

  it.each(rows)('op-table row %s has program metadata', (name) => {
    expect(Object.keys(everyRowHasProgramMetadata)).toContain(name);
  });

  it.each(programOps.map((o) => [o.name, o] as const))(
    'op %s is reachable: some recipe builds a program calling it',
    (_name, op) => {
      const built = fc
        .sample(
          fc.tuple(
            fc.array(fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 }), { minLength: 1, maxLength: 2 }),
            fc.array(fc.nat(15), { maxLength: 6 }),
          ),
          { numRuns: 40, seed: 7 },
        )
        .map(([inputShapes, draws]) =>
          buildProgram([op], { inputShapes, steps: [{ op: 0, picks: [0, 1, 0], draws }] }),
        );
      expect(built.some((p) => p.opNames.includes(op.name))).toBe(true);
    },
  );
});

describe('arbProgram', () => {
  const programs = sample(300);

  it('shares nodes: some node feeds two ops, or one op twice (x.mul(x))', () => {
    const shared = programs.filter((p) => {
      const uses = new Map<number, number>();
      for (const n of p.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
      return [...uses.values()].some((c) => c >= 2);
    });
    expect(shared.length).toBeGreaterThan(10);
    expect(programs.some((p) => p.nodes.some((n) => n.inputs.length === 2 && n.inputs[0] === n.inputs[1]))).toBe(true);
  });

  it('keeps shapes consistent: every program runs, and each node has the shape it was built with', () => {
    for (const p of programs) {
      const values = p.evaluate(programInputs(p, 1));
      values.forEach((v, i) => expect(v.shape).toEqual(p.nodes[i]?.shape));
    }
    // Broadcasting with a keepDims sum where shapes would not broadcast, and rank adapters.
    expect(programs.some((p) => p.nodes.some((n) => n.kind === 'fit'))).toBe(true);
  });

  it("keeps inputs in each op's domain, unless asked not to", () => {
    const log = programOps.filter((o) => o.name === 'log' || o.name === 'sqrt');
    const guarded = sample(50, { ops: log });
    for (const p of guarded) expect(p.evaluate(programInputs(p, 3)).every((t) => !t.isnan().any().item())).toBe(true);
    // The inputs are drawn in [-2, 2]: without the domain map, log and sqrt of negatives give NaN.
    const raw = sample(50, { ops: log, domains: false });
    expect(raw.some((p) => Boolean(p.run(programInputs(p, 3)).isnan().any().item()))).toBe(true);
  });

  it('prints runnable TypeScript that computes what run computes', () => {
    for (const p of programs.slice(0, 60)) {
      const xs = programInputs(p, 5);
      const printed = runSource(p.toSource(), xs);
      expect(printed.shape).toEqual(p.run(xs).shape);
      expect(Array.from(printed.data())).toEqual(Array.from(p.run(xs).data()));
    }
  }, 60_000);

  it('runs scalar programs on Values', () => {
    const scalar = sample(50, { scalar: true });
    for (const p of scalar) {
      expect(p.isScalar).toBe(true);
      const xs = programInputs(p, 2);
      const v = p.runValues(xs.map((x) => core.value(x.item())));
      const t = p.run(xs).item();
      // Same formulas in float64 on both graphs; NaN only where both are NaN.
      expect(Number.isNaN(v.data) ? Number.isNaN(t) : Math.abs(v.data - t) <= 1e-12 * Math.max(1, Math.abs(t))).toBe(
        true,
      );
    }
  });

  it('refuses bad options with typed errors that say what is accepted', () => {
    expect(() => arbProgram({ ops: [] })).toThrow(ArgumentError);
    expect(() => arbProgram({ ops: [] })).toThrow(/^arbProgram: ops must be a non-empty array/);
    expect(() => arbProgram({ maxSteps: -1 })).toThrow(/maxSteps must be an integer ≥ 0, got -1/);
    const exp = programOps.find((o) => o.name === 'exp')!;
    expect(() => arbProgram({ ops: [exp], scalar: true })).not.toThrow();
    const sin = programOps.find((o) => o.name === 'sin')!;
    expect(() => arbProgram({ ops: [sin], scalar: true })).toThrow(/op 'sin' has no value\(\)/);
  });
});
