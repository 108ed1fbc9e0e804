/**
 * Test helpers for nn: fixture loading, closeness of nested numbers, and a
 * finite-difference check for a module's parameters. Functions of tensors are
 * checked with core's gradcheck ('@chainrule/core/testing'); a parameter is
 * not an argument of a function, so its check nudges the parameter in place.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import '@chainrule/core/testing/vitest';
import { Tensor, noGrad, tensor } from '@chainrule/core';

/** The bytes of a file in packages/nn/fixtures. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));
}

/** A JSON fixture, typed by the caller. */
export function fixtureJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

type NestedNumbers = number | NestedNumbers[];

function flat(x: Tensor | NestedNumbers): number[] {
  if (x instanceof Tensor) return Array.from(x.data());
  return Array.isArray(x) ? x.flatMap(flat) : [x];
}

function shapeOf(x: Tensor | NestedNumbers): number[] {
  if (x instanceof Tensor) return [...x.shape];
  if (!Array.isArray(x)) return [];
  return [x.length, ...(x.length > 0 ? shapeOf(x[0] as NestedNumbers) : [])];
}

/** Asserts |actual - expected| ≤ atol + rtol·|expected| elementwise, with equal shapes. */
export function expectClose(
  actual: Tensor | NestedNumbers,
  expected: Tensor | NestedNumbers,
  tol: { rtol?: number; atol?: number } = {},
): void {
  const rtol = tol.rtol ?? 1e-6;
  const atol = tol.atol ?? 1e-9;
  expect(shapeOf(actual)).toEqual(shapeOf(expected));
  expect(flat(actual)).toBeAllClose(flat(expected), { rtol, atol });
}

/** The gradient backward computes for scalar f at float64 x. */
export function analyticGradient(f: (x: Tensor) => Tensor, x: Tensor): number[] {
  const leaf = tensor(x.data(), { shape: x.shape, dtype: 'float64', requiresGrad: true });
  f(leaf).backward();
  if (leaf.grad === null) throw new Error('backward left no gradient');
  return Array.from(leaf.grad.data());
}

/**
 * Asserts that backward's gradient of `loss()` for the float64 parameter `p`
 * matches central differences taken by nudging p's own elements in place.
 */
export function expectParameterGradientMatches(
  loss: () => Tensor,
  p: Tensor,
  tol: { rtol?: number; atol?: number } = {},
  h = 1e-6,
): void {
  expect(p.dtype).toBe('float64');
  clearGrad(p);
  loss().backward();
  if (p.grad === null) throw new Error('backward left no gradient for the parameter');
  const analytic = Array.from(p.grad.data());
  const base = Float64Array.from(p.data());
  const at = (i: number, delta: number): number => {
    const values = base.slice();
    values[i] = (values[i] as number) + delta;
    noGrad(() => p.copyFrom(tensor(values, { shape: p.shape, dtype: 'float64' })));
    return noGrad(() => loss().item());
  };
  const numeric = Array.from(base, (_, i) => (at(i, h) - at(i, -h)) / (2 * h));
  noGrad(() => p.copyFrom(tensor(base, { shape: p.shape, dtype: 'float64' })));
  expectClose(analytic, numeric, { rtol: tol.rtol ?? 1e-5, atol: tol.atol ?? 1e-7 });
}

function clearGrad(p: Tensor): void {
  p.grad = null;
}
