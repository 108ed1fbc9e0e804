/**
 * The one error kind nn adds to core's: a safetensors file that cannot be
 * trusted. Everything else nn refuses (shapes, dtypes, arguments, state dict
 * keys) uses core's ShapeError, DTypeError and ArgumentError.
 */
import { ChainruleError } from '@chainrule/core';

/** What was wrong with a safetensors file, for programs that branch on it. */
export type SafetensorsProblem =
  | 'truncated' // fewer than 8 bytes, or the header runs past the end
  | 'header-too-large' // the declared header length is above the limit
  | 'header-json' // the header is not UTF-8 JSON of the expected form
  | 'dtype' // a dtype chainrule does not read
  | 'out-of-range' // an I64 value beyond ±2^53, which float64 (its widened dtype) cannot hold exactly
  | 'shape' // a shape that is not a list of non-negative integers
  | 'offsets' // data_offsets malformed, out of range, overlapping or leaving gaps
  | 'size-mismatch' // a tensor's byte range does not match its shape and dtype
  | 'trailing-data' // bytes after the last tensor
  | 'unsupported-tensor'; // saving: a value that is not a Tensor, or a name that cannot be written

/**
 * A safetensors file (or state dict being written as one) was rejected. It is
 * thrown before anything is allocated from the file's claims or changed.
 *
 * @example
 * try { loadSafetensors(bytes) } catch (e) {
 *   if (e instanceof SafetensorsError && e.problem === 'truncated') ...
 * }
 */
export class SafetensorsError extends ChainruleError {
  readonly problem: SafetensorsProblem;

  constructor(op: string, problem: SafetensorsProblem, message: string) {
    super(op, message);
    this.problem = problem;
  }
}
