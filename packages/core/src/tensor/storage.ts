import type { DataArray } from './dtype';

/**
 * The memory behind one or more tensors. Views (reshape, transpose, slice,
 * expand, detach) share a Storage, and so share its version counter: an
 * in-place change through any of them is seen by backward rules that saved
 * another.
 */
export class Storage {
  /** Bumped by every in-place change. */
  version = 0;
  constructor(readonly data: DataArray) {}
}
