/**
 * Arrays known to be dead, kept for the next allocation of the same type and
 * length. Allocating a large typed array costs far more than zeroing one
 * (tens of µs for 128 KB, against a few to zero it), and backward produces
 * many short-lived gradient arrays whose end it knows exactly: the driver
 * recycles them here (tensor/backward.ts), and `allocate` takes from here.
 * Only arrays nothing can read any more are ever added; the pool is bounded.
 */
import type { DataArray } from './dtype';

/** Arrays shorter than this are cheap to allocate and are not pooled. */
export const pooledFrom = 1024;
const maxBytes = 64 * 2 ** 20;
const maxPerKey = 16;

const pools = new Map<string, DataArray[]>();
let pooledBytes = 0;
let enabled = true;

function key(data: DataArray): string {
  return `${data.constructor.name}:${data.length}`;
}

/** Keeps `data` for reuse. The caller guarantees nothing references it any more. */
export function recycle(data: DataArray): void {
  if (!enabled || data.length < pooledFrom || pooledBytes + data.byteLength > maxBytes) return;
  const k = key(data);
  const list = pools.get(k) ?? [];
  if (list.length >= maxPerKey) return;
  list.push(data);
  pools.set(k, list);
  pooledBytes += data.byteLength;
}

/** A zero-filled pooled array of that constructor and length, if one is free. */
export function takeRecycled(constructorName: string, length: number): DataArray | undefined {
  const list = pools.get(`${constructorName}:${length}`);
  const data = list?.pop();
  if (data === undefined) return undefined;
  pooledBytes -= data.byteLength;
  data.fill(0);
  return data;
}

/** @internal Turns recycling off (and empties the pool), e.g. to compare results with and without it. */
export function setRecycling(on: boolean): void {
  enabled = on;
  if (!on) {
    pools.clear();
    pooledBytes = 0;
  }
}
