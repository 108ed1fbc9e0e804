/**
 * Reading and checking a safetensors header: an 8-byte little-endian length
 * n, then n bytes of JSON `{ name: { dtype, shape, data_offsets: [begin, end] },
 * "__metadata__"?: { string: string } }`, then the tensors' bytes, offsets
 * counted from the end of the header. Every claim of the file is checked
 * against the bytes actually present before anything is allocated from it:
 * the header must fit in the file, the byte ranges must tile the data
 * exactly (sorted, no gaps, no overlaps, nothing after the last), and each
 * range must hold exactly shape × dtype bytes.
 */
import type { DType } from '@chainrule/core';
import { describeValue, describeList } from '@chainrule/core/internal';
import { SafetensorsError, type SafetensorsProblem } from '../errors';

/**
 * The file dtypes chainrule reads, with the tensor dtype each maps to. The
 * last three have no chainrule dtype of their own and are widened on
 * reading (see {@link widenedDTypes}); chainrule never writes them.
 */
export const fileDTypes = {
  F64: { dtype: 'float64', bytes: 8 },
  F32: { dtype: 'float32', bytes: 4 },
  I32: { dtype: 'int32', bytes: 4 },
  I16: { dtype: 'int16', bytes: 2 },
  I8: { dtype: 'int8', bytes: 1 },
  U8: { dtype: 'uint8', bytes: 1 },
  BOOL: { dtype: 'bool', bytes: 1 },
  I64: { dtype: 'float64', bytes: 8 },
  F16: { dtype: 'float32', bytes: 2 },
  BF16: { dtype: 'float32', bytes: 2 },
} as const satisfies Record<string, { dtype: DType; bytes: number }>;

/** File dtypes read into a wider chainrule dtype: I64 → float64 (exact to 2^53), F16 and BF16 → float32 (exact). */
export const widenedDTypes = new Set<string>(['I64', 'F16', 'BF16']);

export type FileDType = keyof typeof fileDTypes;

/** The same limit as the reference implementation: 100 MB of header. */
export const maxHeaderBytes = 100_000_000;

/** The most axes a tensor may have (core's limit). */
const maxRank = 32;

/**
 * The largest dimension (and size) a tensor may have: what a typed array
 * indexes, core's own limit. A shape with a 0 in it claims no bytes, so the
 * byte-range check alone would let [0, 2**40] through to tensor(), which
 * would refuse it with a ShapeError instead of this reader's error.
 */
const maxDimension = 2 ** 31 - 1;

/** One tensor as the header describes it, after checking. */
export interface HeaderEntry {
  name: string;
  dtype: FileDType;
  shape: number[];
  /** Byte range within the data section. */
  begin: number;
  end: number;
}

export interface ParsedHeader {
  entries: HeaderEntry[];
  metadata: Record<string, string>;
  /** Where the data section starts in the file (8 + header length). */
  dataStart: number;
}

const op = 'loadSafetensors';

function fail(problem: SafetensorsProblem, message: string): never {
  throw new SafetensorsError(op, problem, message);
}

/** Parses and checks the header of `bytes` against the file's real size. */
export function parseHeader(bytes: Uint8Array): ParsedHeader {
  if (bytes.length < 8)
    fail('truncated', `the file has ${bytes.length} bytes; a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Above 2^53 this is imprecise, but then it is far above the limit anyway.
  const headerLength = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (headerLength > maxHeaderBytes) {
    fail('header-too-large', `the header claims ${headerLength} bytes, more than the limit of ${maxHeaderBytes}`);
  }
  if (8 + headerLength > bytes.length) {
    fail('truncated', `the header claims ${headerLength} bytes but only ${bytes.length - 8} follow the length field`);
  }
  const header = parseJson(bytes.subarray(8, 8 + headerLength));
  const dataLength = bytes.length - 8 - headerLength;
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, info] of Object.entries(header)) {
    if (name === '__metadata__') metadata = checkMetadata(info);
    else entries.push(checkEntry(name, info, dataLength));
  }
  checkTiling(entries, dataLength);
  return { entries, metadata, dataStart: 8 + headerLength };
}

function parseJson(raw: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    fail('header-json', 'the header is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    fail('header-json', `the header is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isRecord(value)) fail('header-json', `the header must be a JSON object of tensors by name, got ${kind(value)}`);
  return value;
}

function checkMetadata(info: unknown): Record<string, string> {
  if (!isRecord(info) || !Object.values(info).every((v) => typeof v === 'string')) {
    fail('header-json', '__metadata__ must be an object of string values');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(info))
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

function checkEntry(name: string, info: unknown, dataLength: number): HeaderEntry {
  if (!isRecord(info))
    fail('header-json', `tensor '${name}' must be described by { dtype, shape, data_offsets }, got ${kind(info)}`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== 'string' || !Object.hasOwn(fileDTypes, dtype)) {
    fail(
      'dtype',
      `tensor '${name}' has dtype ${describeValue(dtype)}; chainrule reads ${Object.keys(fileDTypes).join(', ')}`,
    );
  }
  if (!Array.isArray(shape) || shape.length > maxRank || !shape.every(isCount)) {
    fail(
      'shape',
      `tensor '${name}' has shape ${Array.isArray(shape) ? describeList(shape) : describeValue(shape)}; expected a list of at most ${maxRank} non-negative integers`,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(
      'offsets',
      `tensor '${name}' has data_offsets ${Array.isArray(offsets) ? describeList(offsets) : describeValue(offsets)}; expected [begin, end] with non-negative integers`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) {
    fail(
      'offsets',
      `tensor '${name}' has data_offsets [${begin}, ${end}], outside the ${dataLength} data bytes of the file (or begin after end)`,
    );
  }
  const itemBytes = fileDTypes[dtype as FileDType].bytes;
  // Stop as soon as the count exceeds what the range could hold, so no
  // product overflows and a hostile shape is caught without arithmetic surprises.
  let count = (shape as number[]).includes(0) ? 0 : 1;
  for (const d of shape as number[]) {
    if (count * itemBytes > end - begin) break;
    count *= d;
  }
  if (count * itemBytes !== end - begin) {
    fail(
      'size-mismatch',
      `tensor '${name}' of shape [${(shape as number[]).join(',')}] and dtype ${dtype} needs ${(shape as number[]).reduce((n, d) => n * d, 1) * itemBytes} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`,
    );
  }
  // Short of a file over 2 GiB, only a shape with a 0 gets here with a
  // dimension this large (any other needs more bytes than its range holds).
  // Checked last, so that the checks above keep reporting what they did.
  const tooLarge = (shape as number[]).find((d) => d > maxDimension);
  if (tooLarge !== undefined) {
    fail(
      'shape',
      `tensor '${name}' has shape ${describeList(shape)}; a dimension of ${tooLarge} is more than a tensor can hold (at most ${maxDimension})`,
    );
  }
  if (count > maxDimension) {
    fail(
      'shape',
      `tensor '${name}' of shape ${describeList(shape)} holds ${count} elements, more than a tensor can hold (at most ${maxDimension})`,
    );
  }
  return { name, dtype: dtype as FileDType, shape: shape as number[], begin, end };
}

/** The byte ranges must cover the data section exactly once, in order. */
function checkTiling(entries: HeaderEntry[], dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    if (e.begin !== expected) {
      fail(
        'offsets',
        `tensor '${e.name}' starts at byte ${e.begin} of the data, expected ${expected} (${e.begin < expected ? 'it overlaps the previous tensor' : 'there is a gap before it'})`,
      );
    }
    expected = e.end;
  }
  if (expected !== dataLength) {
    fail(
      'trailing-data',
      `the tensors end at data byte ${expected} but the file has ${dataLength - expected} more bytes after them`,
    );
  }
}

function isCount(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}

function kind(x: unknown): string {
  if (x === null) return 'null';
  return Array.isArray(x) ? 'an array' : typeof x;
}
