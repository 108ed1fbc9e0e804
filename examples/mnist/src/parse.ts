/**
 * Parsers for the command-line values. Each throws commander's
 * InvalidArgumentError with a short reason, which commander prints as one
 * line ("error: option '--lr <rate>' argument '-1' is invalid. ...") before
 * exiting with status 1.
 */
import { InvalidArgumentError } from 'commander';

/** A number written in decimal or exponent notation ("3", "0.5", "1e-3"). */
function parseNumber(text: string): number {
  const trimmed = text.trim();
  const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`Expected a number such as 3, 0.5 or 1e-3.`);
  return value;
}

/** A whole number written with digits only. */
function parseInteger(text: string): number {
  const trimmed = text.trim();
  const value = /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(value)) throw new InvalidArgumentError(`Expected a whole number.`);
  return value;
}

export function positiveNumber(text: string): number {
  const value = parseNumber(text);
  if (!(value > 0)) throw new InvalidArgumentError(`It must be greater than 0.`);
  return value;
}

export function nonNegativeNumber(text: string): number {
  const value = parseNumber(text);
  if (value < 0) throw new InvalidArgumentError(`It must be 0 or more.`);
  return value;
}

/** A momentum factor: in [0, 1). */
export function momentumFactor(text: string): number {
  const value = parseNumber(text);
  if (value < 0 || value >= 1) throw new InvalidArgumentError(`It must be at least 0 and below 1.`);
  return value;
}

export function positiveInteger(text: string): number {
  const value = parseInteger(text);
  if (value < 1) throw new InvalidArgumentError(`It must be at least 1.`);
  return value;
}

export function nonNegativeInteger(text: string): number {
  const value = parseInteger(text);
  if (value < 0) throw new InvalidArgumentError(`It must be 0 or more.`);
  return value;
}

/** Hidden layer widths: "64", "128,64"; "none" for no hidden layer (logistic regression). */
export function hiddenSizes(text: string): number[] {
  if (text.trim().toLowerCase() === 'none') return [];
  const parts = text.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || !Number.isSafeInteger(Number(p)))) {
    throw new InvalidArgumentError(
      `Expected layer widths such as "64" or "128,64" (positive whole numbers separated by commas), or "none".`,
    );
  }
  return parts.map(Number);
}
