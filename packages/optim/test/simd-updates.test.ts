/**
 * Large float32 parameters are updated by core's WebAssembly SIMD kernels
 * (addInPlace for plain SGD, adamUpdateF32 for Adam and AdamW). The reference
 * here is the same optimizer with the kernels forced to plain JavaScript
 * (setBackend('js')), whose loops the trajectory tests check against PyTorch:
 * the two must agree bit for bit, state buffers included, over several steps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setBackend, tensor, type Tensor } from '@chainrule/core';
import { Adam, AdamW, SGD, type Optimizer } from '../src/index';

const size = 1500; // past the size from which core's SIMD updates run
const floats = (length: number) =>
  fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: length, maxLength: length });

type Make = (params: Tensor[]) => Optimizer<never, never>;

/** Runs `steps` steps of `make`'s optimizer on one parameter; returns its final data and every state buffer. */
function run(backend: 'js' | 'wasm', make: Make, start: number[], grads: number[][]): number[][] {
  setBackend(backend);
  try {
    const p = tensor(start, { shape: [30, 50], requiresGrad: true });
    const optimizer = make([p]);
    for (const g of grads) {
      p.grad = tensor(g, { shape: [30, 50] });
      optimizer.step();
    }
    const state = optimizer.stateDict().state[0] ?? {};
    const buffers = Object.values(state).filter(
      (x): x is Tensor => typeof x === 'object' && x !== null && 'shape' in x,
    );
    return [Array.from(p.data()), ...buffers.map((b) => Array.from(b.data()))];
  } finally {
    setBackend(null);
  }
}

const optimizers: Record<string, fc.Arbitrary<Make>> = {
  'SGD (plain)': fc
    .record({ lr: fc.double({ min: 0, max: 2, noNaN: true }), maximize: fc.boolean() })
    .map((o) => (ps: Tensor[]) => new SGD(ps, o) as unknown as Optimizer<never, never>),
  Adam: fc
    .record({
      lr: fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
      weightDecay: fc.constantFrom(0, 0.01),
      amsgrad: fc.boolean(),
      maximize: fc.boolean(),
    })
    .map((o) => (ps: Tensor[]) => new Adam(ps, o) as unknown as Optimizer<never, never>),
  AdamW: fc
    .record({
      lr: fc.double({ min: 1e-4, max: 0.5, noNaN: true }),
      weightDecay: fc.constantFrom(0, 0.05),
      amsgrad: fc.boolean(),
    })
    .map((o) => (ps: Tensor[]) => new AdamW(ps, o) as unknown as Optimizer<never, never>),
};

describe('SIMD updates of large float32 parameters equal the JavaScript loops bit for bit', () => {
  for (const [name, make] of Object.entries(optimizers)) {
    it(name, () => {
      fc.assert(
        fc.property(make, floats(size), fc.array(floats(size), { minLength: 1, maxLength: 3 }), (m, start, grads) => {
          expect(run('wasm', m, start, grads)).toEqual(run('js', m, start, grads));
        }),
        { numRuns: 15 },
      );
    });
  }
});
