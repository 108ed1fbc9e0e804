/**
 * Parsers for the command-line values. Each throws commander's
 * InvalidArgumentError with a short reason, which commander prints as one
 * line before exiting with status 1.
 */
import { InvalidArgumentError } from 'commander';

function parseNumber(text: string): number {
  const trimmed = text.trim();
  const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(value)) throw new InvalidArgumentError('Expected a number such as 3, 0.5 or 1e-3.');
  return value;
}

function parseInteger(text: string): number {
  const trimmed = text.trim();
  const value = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError('Expected a whole number.');
  return value;
}

export function positiveNumber(text: string): number {
  const value = parseNumber(text);
  if (!(value > 0)) throw new InvalidArgumentError('It must be greater than 0.');
  return value;
}

export function nonNegativeNumber(text: string): number {
  const value = parseNumber(text);
  if (value < 0) throw new InvalidArgumentError('It must be 0 or more.');
  return value;
}

export function positiveInteger(text: string): number {
  const value = parseInteger(text);
  if (value < 1) throw new InvalidArgumentError('It must be 1 or more.');
  return value;
}

export function nonNegativeInteger(text: string): number {
  const value = parseInteger(text);
  if (value < 0) throw new InvalidArgumentError('It must be 0 or more.');
  return value;
}

/** A fraction in (0, 1]. */
export function fraction(text: string): number {
  const value = parseNumber(text);
  if (!(value > 0 && value <= 1)) throw new InvalidArgumentError('It must be above 0 and at most 1 (e.g. 0.99).');
  return value;
}

/** Operand width: 1 to 5 digits (more would take far longer than this example is meant to run). */
export function digitCount(text: string): number {
  const value = parseInteger(text);
  if (value < 1 || value > 5) throw new InvalidArgumentError('It must be from 1 to 5.');
  return value;
}
