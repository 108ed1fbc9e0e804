/**
 * Atomic loads into a module: a file loaded with '@chainrule/nn/node' that
 * fails validation at any stage (the file's bytes, its names, its shapes, its
 * dtypes) changes no parameter. node.test.ts covers one corrupt file and one
 * other architecture; here every failure kind is tried, on a float64 model
 * with a parameter shared by two layers, each against a full snapshot of
 * every parameter's values. (nn modules hold no buffers besides parameters.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ArgumentError, ChainruleError, DTypeError, Generator, ShapeError, tensor, type Tensor } from '@chainrule/core';
import { Dense, Module, SafetensorsError, constant, saveSafetensors, type StateDict } from '../src/index';
import { load } from '../src/node';

const dir = mkdtempSync(join(tmpdir(), 'chainrule-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Two float64 layers and a third that shares the first one's weight. */
class Tied extends Module {
  readonly a = new Dense(3, 3, { dtype: 'float64', generator: new Generator(1) });
  readonly b = new Dense(3, 2, { dtype: 'float64', generator: new Generator(2) });
  readonly tied: Tensor[] = [this.a.weight];
  forward(x: Tensor): Tensor {
    return this.b.forward(this.a.forward(x));
  }
}

function validDict(): StateDict {
  const source = new Tied();
  for (const p of source.parameters()) constant(p, 0.25); // values differ from the target's
  return source.stateDict();
}

function bytesOf(dict: StateDict): Uint8Array {
  return saveSafetensors(dict);
}

const cases: [string, () => Uint8Array, new (...args: never[]) => ChainruleError][] = [
  ['a truncated file', () => bytesOf(validDict()).subarray(0, 40), SafetensorsError],
  [
    'a file whose last tensor runs past the end',
    () => bytesOf(validDict()).subarray(0, bytesOf(validDict()).length - 1),
    SafetensorsError,
  ],
  [
    'a missing parameter (the last one)',
    () => bytesOf(Object.fromEntries(Object.entries(validDict()).filter(([k]) => k !== 'b.bias'))),
    ArgumentError,
  ],
  ['an unexpected name', () => bytesOf({ ...validDict(), 'c.weight': tensor([1]) }), ArgumentError],
  [
    'the last tensor with another shape',
    () => bytesOf({ ...validDict(), 'b.bias': tensor([1, 2, 3], { dtype: 'float64' }) }),
    ShapeError,
  ],
  [
    'the shared weight, under its second name, with another shape',
    () => bytesOf({ ...validDict(), 'tied.0': tensor([[1]], { dtype: 'float64' }) }),
    ShapeError,
  ],
  ['a bool tensor', () => bytesOf({ ...validDict(), 'b.bias': tensor([true, false]) }), DTypeError],
];

describe('a failed load from a file changes no parameter', () => {
  for (const [what, bytes, type] of cases) {
    it(what, async () => {
      const model = new Tied();
      const before = model.parameters().map((p) => Array.from(p.data()));
      const path = join(dir, `${what.replaceAll(' ', '-')}.safetensors`);
      writeFileSync(path, bytes());
      await expect(load(model, path)).rejects.toThrow(type);
      expect(model.parameters().map((p) => Array.from(p.data()))).toEqual(before);
    });
  }

  it('the valid file loads every parameter (so the cases above fail only by their one change)', async () => {
    const model = new Tied();
    const path = join(dir, 'valid.safetensors');
    writeFileSync(path, bytesOf(validDict()));
    await load(model, path);
    expect(model.parameters().every((p) => Array.from(p.data()).every((v) => v === 0.25))).toBe(true);
  });
});
