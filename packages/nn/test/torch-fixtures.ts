/**
 * Reading the PyTorch fixtures of test/fixtures (written by attention.py):
 * JSON whose non-finite numbers are the strings "Infinity", "-Infinity" and
 * "NaN", nested lists turned into float64 or bool tensors, and state dicts.
 */
import { readFileSync } from 'node:fs';
import { Tensor, tensor } from '@chainrule/core';
import type { StateDict } from '../src/index';

/** Nested lists of numbers, as the fixtures hold float tensors. */
export type Nested = number | Nested[];

/** Nested lists of numbers or booleans: a float or a bool mask. */
export type NestedMask = number | boolean | NestedMask[];

const nonFinite: Record<string, number> = { Infinity: Infinity, '-Infinity': -Infinity, NaN: Number.NaN };

/** A fixture from test/fixtures, with "Infinity"/"-Infinity"/"NaN" strings as numbers. */
export function torchFixture<T>(name: string): T {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'string' && value in nonFinite ? nonFinite[value] : value,
  ) as T;
}

/** A float64 tensor of nested lists (a bool tensor when the lists hold booleans). */
export function t64(values: NestedMask, options: { requiresGrad?: boolean } = {}): Tensor {
  if (isBoolean(values)) return tensor(values as boolean[], { dtype: 'bool' });
  return tensor(values as number[], { dtype: 'float64', requiresGrad: options.requiresGrad ?? false });
}

function isBoolean(values: NestedMask): boolean {
  let x: NestedMask = values;
  while (Array.isArray(x)) {
    if (x.length === 0) return false;
    x = x[0] as NestedMask;
  }
  return typeof x === 'boolean';
}

/** A state dict of float64 tensors from the fixture's nested lists. */
export function stateOf(state: Record<string, Nested>): StateDict {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, t64(v)]));
}
