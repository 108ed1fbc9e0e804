/**
 * releaseGrad (what optim's and nn's zeroGrad call) gives a leaf's gradient
 * array back to the allocation pool when backward stored it and nobody has
 * read `.grad` since (issue 20: a fresh 400 KB gradient per step cost the
 * browser ~100 page faults). These tests pin both halves: the array is
 * reused when it is private, and never when a user may hold it (its values
 * would change under the next allocation of the same size).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { tensor, zeros, type Tensor } from '../../src/index';
import { peekGrad, releaseGrad, traceOps } from '../../src/internal/index';
import { setRecycling, takeRecycled } from '../../src/tensor/pool';

afterEach(() => setRecycling(true));

const n = 4096; // above the pool's minimum length

/** A fixed input of n elements: x[i] = (i % 7) - 3 + k. */
function input(k: number): Tensor {
  return tensor(Float32Array.from({ length: n }, (_, i) => (i % 7) - 3 + k));
}

/** Σ w ⊙ x: by hand, ∂/∂w = x, whatever w is. */
function lossOf(w: Tensor, x: Tensor): Tensor {
  return w.mul(x).sum();
}

/** The array behind `.grad`, read without marking the gradient seen. */
function gradArray(t: Tensor): unknown {
  return peekGrad(t)?.storage.data;
}

/** Empties the pool of float32 arrays of n elements, returning them. */
function drainPool(): unknown[] {
  const out: unknown[] = [];
  for (let a = takeRecycled('Float32Array', n); a !== undefined; a = takeRecycled('Float32Array', n)) out.push(a);
  return out;
}

/** Allocates and fills many tensors of n elements, which would reuse any recycled array. */
function churn(): void {
  for (let i = 0; i < 40; i++) zeros([n]).fill(123);
}

describe('releaseGrad', () => {
  it('clears .grad and gives an unread gradient array back to the pool', () => {
    const w = zeros([n]).requireGrad();
    lossOf(w, input(0)).backward();
    const first = gradArray(w);
    expect(first).toBeInstanceOf(Float32Array);
    drainPool();
    releaseGrad(w);
    expect(peekGrad(w)).toBeNull();
    expect(drainPool()).toEqual([first]);
    expect(drainPool()[0]).toBeUndefined();
  });

  it('lets a training loop reuse the array, with the same gradients', () => {
    // A layer's weight: the forward makes nothing of n elements, so the pool's
    // array of n goes back to the weight's gradient, step after step.
    const w = zeros([64, 64]).requireGrad();
    const x = (k: number) => tensor(Float32Array.from({ length: 64 }, (_, j) => j - 30 + k));
    // Σ_i Σ_j w_ij x_j: by hand, ∂/∂w_ij = x_j in every row.
    const step = (k: number) => w.matmul(x(k)).sum().backward();
    step(0);
    const first = gradArray(w);
    for (let k = 1; k <= 3; k++) {
      releaseGrad(w);
      step(k);
      expect(gradArray(w)).toBe(first);
    }
    const rows = Array.from({ length: 64 }, () => Array.from({ length: 64 }, (_, j) => j - 30 + 3));
    expect(w.grad?.toArray()).toEqual(rows);
  });

  it('never recycles a gradient read through .grad', () => {
    const w = zeros([n]).requireGrad();
    lossOf(w, input(0)).backward();
    const held = w.grad as Tensor;
    const values = held.data();
    releaseGrad(w);
    churn();
    expect(drainPool()).not.toContain(held.storage.data);
    lossOf(w, input(1)).backward();
    expect(held.data()).toEqual(values);
    expect(gradArray(w)).not.toBe(held.storage.data);
  });

  it('never recycles a gradient assigned by hand', () => {
    const w = zeros([n]).requireGrad();
    // After a backward that stored a gradient of its own, so the assignment replaces a private one.
    lossOf(w, input(0)).backward();
    const mine = input(5);
    w.grad = mine;
    releaseGrad(w);
    expect(drainPool()).not.toContain(mine.storage.data);
    churn();
    expect(mine.data()).toEqual(input(5).data());
    // Accumulating into a hand-set gradient keeps it the user's: still never recycled.
    w.grad = mine;
    lossOf(w, input(0)).backward();
    releaseGrad(w);
    churn();
    // input(5) + input(0), element by element (∂/∂w = x added into .grad).
    expect(mine.data()).toEqual(Float32Array.from({ length: n }, (_, i) => 2 * ((i % 7) - 3) + 5));
  });

  it('never recycles a gradient stored while a tracer recorded the rules', () => {
    const w = zeros([n]).requireGrad();
    const { records } = traceOps(() => lossOf(w, input(0)).backward());
    expect(records.length).toBeGreaterThan(0);
    const stored = gradArray(w);
    releaseGrad(w);
    expect(drainPool()).not.toContain(stored);
    churn();
    expect(stored).toEqual(input(0).data());
  });

  it('keeps accumulating into an unread gradient across passes before it is released', () => {
    const w = zeros([n]).requireGrad();
    lossOf(w, input(0)).backward();
    const first = gradArray(w);
    lossOf(w, input(2)).backward();
    expect(gradArray(w)).toBe(first);
    // input(0) + input(2), element by element.
    expect(w.grad?.data()).toEqual(Float32Array.from({ length: n }, (_, i) => 2 * ((i % 7) - 3) + 2));
  });

  it('recycles nothing while recycling is off', () => {
    setRecycling(false);
    const w = zeros([n]).requireGrad();
    lossOf(w, input(0)).backward();
    releaseGrad(w);
    expect(peekGrad(w)).toBeNull();
    expect(drainPool()).toEqual([]);
  });
});
