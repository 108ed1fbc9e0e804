/** The random stream of a shuffling helper: its own seeded one, a given one, or the global one. */
import { ArgumentError, Generator, defaultGenerator } from '@chainrule/core';

export function generatorFor(op: string, options: { seed?: number; generator?: Generator }): Generator {
  if (options.seed !== undefined && options.generator !== undefined) {
    throw new ArgumentError(op, 'give either seed or generator, not both');
  }
  if (options.generator !== undefined) {
    if (!(options.generator instanceof Generator)) throw new ArgumentError(op, 'generator must be a Generator from @chainrule/core');
    return options.generator;
  }
  // Generator's constructor checks the seed and names manualSeed in its error.
  return options.seed !== undefined ? new Generator(options.seed) : defaultGenerator;
}
