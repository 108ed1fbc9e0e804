/**
 * The one argument check nn adds to the shared ones of
 * '@chainrule/core/internal' (describeValue, optionsObject, booleanOption,
 * ...): a generator option must be a core Generator.
 */
import { ArgumentError, Generator } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';

/** Throws unless `generator` is undefined or a core Generator. */
export function checkGenerator(op: string, generator: unknown): Generator | undefined {
  if (generator === undefined || generator instanceof Generator) return generator;
  throw new ArgumentError(
    op,
    `generator must be a Generator from @chainrule/core (new Generator(seed)), got ${describeValue(generator)}`,
  );
}
