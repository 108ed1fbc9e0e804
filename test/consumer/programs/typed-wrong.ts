// Must NOT type-check: proves the consumer check reads our declarations.
import { tensor } from '@chainrule/core';
import { Linear } from '@chainrule/nn';

const w: string = tensor([1, 2]).sum();
new Linear('two', 3);
export { w };
