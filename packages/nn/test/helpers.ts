/**
 * Test helpers for nn: fixture loading, closeness of nested numbers, and a
 * small central-difference gradient check in float64.
 *
 * NOTE: core's gradcheck ('@chainrule/core/testing') was being written at the
 * same time as these tests; this local check is deliberately tiny (central
 * differences of a scalar function, float64) and can be swapped for it.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
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
export function expectClose(actual: Tensor | NestedNumbers, expected: Tensor | NestedNumbers, tol: { rtol?: number; atol?: number } = {}): void {
  const rtol = tol.rtol ?? 1e-6;
  const atol = tol.atol ?? 1e-9;
  expect(shapeOf(actual)).toEqual(shapeOf(expected));
  const a = flat(actual);
  const e = flat(expected);
  const bad = a.map((v, i) => ({ i, v, e: e[i] as number })).filter(({ v, e: w }) => !(Math.abs(v - w) <= atol + rtol * Math.abs(w)));
  expect(bad, `elements outside rtol ${rtol}, atol ${atol}`).toEqual([]);
}

/** ∂f/∂x by central differences, (f(x + h) - f(x - h)) / 2h per element, for a scalar f of float64 x. */
export function numericGradient(f: (x: Tensor) => Tensor, x: Tensor, h = 1e-6): number[] {
  const base = Float64Array.from(x.data());
  const at = (values: Float64Array): number => noGrad(() => f(tensor(values, { shape: x.shape, dtype: 'float64' })).item());
  return Array.from(base, (_, i) => {
    const plus = base.slice();
    const minus = base.slice();
    plus[i] = (plus[i] as number) + h;
    minus[i] = (minus[i] as number) - h;
    return (at(plus) - at(minus)) / (2 * h);
  });
}

/** The gradient backward computes for scalar f at float64 x. */
export function analyticGradient(f: (x: Tensor) => Tensor, x: Tensor): number[] {
  const leaf = tensor(x.data(), { shape: x.shape, dtype: 'float64', requiresGrad: true });
  f(leaf).backward();
  if (leaf.grad === null) throw new Error('backward left no gradient');
  return Array.from(leaf.grad.data());
}

/** Asserts backward's gradient of scalar f matches central differences at x (float64). */
export function expectGradientMatchesFiniteDifferences(f: (x: Tensor) => Tensor, x: Tensor, tol: { rtol?: number; atol?: number } = {}): void {
  expect(x.dtype).toBe('float64');
  expectClose(analyticGradient(f, x), numericGradient(f, x), { rtol: tol.rtol ?? 1e-5, atol: tol.atol ?? 1e-7 });
}

/**
 * Asserts that backward's gradient of `loss()` for the float64 parameter `p`
 * matches central differences taken by nudging p's own elements in place.
 */
export function expectParameterGradientMatches(loss: () => Tensor, p: Tensor, tol: { rtol?: number; atol?: number } = {}, h = 1e-6): void {
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
