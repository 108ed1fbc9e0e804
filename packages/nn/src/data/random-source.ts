/** The random stream of a shuffling helper: its own seeded one, a given one, or the global one. */
import { ArgumentError, Generator, defaultGenerator } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';
import { checkGenerator } from '../arguments';

export function generatorFor(op: string, options: { seed?: number; generator?: Generator }): Generator {
  if (options.seed !== undefined && options.generator !== undefined) {
    throw new ArgumentError(op, 'give either seed or generator, not both');
  }
  const generator = checkGenerator(op, options.generator);
  if (generator !== undefined) return generator;
  if (options.seed === undefined) return defaultGenerator;
  if (!Number.isSafeInteger(options.seed))
    throw new ArgumentError(op, `seed must be a safe integer, got ${describeValue(options.seed)}`);
  return new Generator(options.seed);
}
