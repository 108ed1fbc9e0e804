/**
 * The figures docs/reliability.md quotes for deep graphs: time and heap of
 * building, differentiating and drawing a 1,000,000-op Value chain and a
 * 100,000-op Tensor chain. Not a test (timings belong nowhere near a pass or
 * fail): run it by hand, with a GC exposed so heap use is measured after
 * collection:
 *
 *   node --expose-gc --import tsx --conditions=@chainrule/source packages/core/test/reliability/measure-deep-graphs.ts
 */
import { tensor, toDot, value, type Tensor, type Value } from '../../src/index';

const gc = (globalThis as { gc?: () => void }).gc;

function heapMB(): number {
  gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

function timed<T>(label: string, f: () => T): T {
  const start = performance.now();
  const out = f();
  console.log(
    `${label.padEnd(44)} ${(performance.now() - start).toFixed(0).padStart(6)} ms   heap ${heapMB().toFixed(0).padStart(5)} MB`,
  );
  return out;
}

console.log(
  `node ${process.version}, heap at start ${heapMB().toFixed(0)} MB${gc === undefined ? ' (no --expose-gc: heap figures include garbage)' : ''}`,
);

const chain = timed('Value chain, 1,000,000 adds: build', () => {
  const x = value(1);
  let y: Value = x;
  for (let i = 0; i < 1_000_000; i++) y = y.add(1e-6);
  return { x, y };
});
timed('Value chain: toDot (500 of 1,000,001 nodes)', () => toDot(chain.y).length);
timed('Value chain: backward', () => chain.y.backward());
console.log(`  dx = ${chain.x.grad}`);

const t = timed('Tensor chain, 100,000 mul/div on [4] float64: build', () => {
  const x = tensor([1, -2, 0.5, 4], { dtype: 'float64', requiresGrad: true });
  let y: Tensor = x;
  for (let i = 0; i < 100_000; i++) y = i % 2 === 0 ? y.mul(1.5) : y.div(1.5);
  return { x, y };
});
timed('Tensor chain: toDot (500 of 100,001 nodes)', () => toDot(t.y).length);
timed('Tensor chain: backward', () => t.y.sum().backward());
console.log(`  dx = ${Array.from((t.x.grad as Tensor).data()).join(', ')}`);
