import { expect, it } from 'vitest';
import { tensor } from '@chainrule/core';

it('resolves the workspace package to its source', () => {
  expect(tensor([1]).mul(3).item()).toBe(3);
});
