/**
 * Reproducible property tests: fast-check prints the seed of a failing run
 * (`seed: -1819918769, path: "3:1"`); setting `FC_SEED` to that number runs
 * every property from that seed again.
 */
import fc from 'fast-check';
import { ArgumentError } from '../index';

/**
 * The seed named by an environment variable's text, as fast-check prints it
 * in a failure report (a 32-bit integer, possibly negative), or undefined
 * when the variable is unset or empty, so each run draws a fresh seed.
 *
 * @example
 * propertySeed('-1819918769'); // -1819918769
 * propertySeed(undefined);     // undefined
 */
export function propertySeed(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < -(2 ** 31) || seed >= 2 ** 32) {
    throw new ArgumentError(
      'propertySeed',
      `FC_SEED must be an integer as fast-check prints it (e.g. FC_SEED=-1819918769), got '${text}'`,
    );
  }
  return seed;
}

/**
 * Makes every later `fc.assert` start from the seed in `text` (the value of
 * FC_SEED), keeping the rest of fast-check's global settings. Call it from a
 * test runner's setup file; with no seed it changes nothing.
 *
 * @example
 * // vitest.setup.ts, listed in test.setupFiles:
 * configurePropertySeed(process.env['FC_SEED']);
 */
export function configurePropertySeed(text: string | undefined): number | undefined {
  const seed = propertySeed(text);
  if (seed !== undefined) fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
  return seed;
}
