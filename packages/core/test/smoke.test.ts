import { describe, expect, it } from 'vitest';
import { tensor } from '../src/index';

describe('smoke', () => {
  it('adds', () => {
    expect(tensor([1, 2]).add(1).toArray()).toEqual([2, 3]);
  });
});
