import type { DataArray } from './dtype';

/**
 * The memory behind one or more tensors. Views (reshape, transpose, slice,
 * expand, detach) share a Storage, and so share its version counter: an
 * in-place change through any of them is seen by backward rules that saved
 * another.
 */
let created = 0;

export class Storage {
  /** Creation order: storages made after a point in time have larger ids. */
  readonly id = ++created;
  /** Bumped by every in-place change. */
  version = 0;
  constructor(readonly data: DataArray) {}
}

/** The id the next Storage will get. */
export function nextStorageId(): number {
  return created + 1;
}
