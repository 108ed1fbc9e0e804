/**
 * State dicts as safetensors bytes (https://huggingface.co/docs/safetensors):
 * the format PyTorch's `safetensors` package reads and writes, so weights
 * trained here load there and back. Browser-safe: bytes in, bytes out; the
 * Node file helpers live in '@chainrule/nn/node'.
 */
import { Tensor, tensor, type DType } from '@chainrule/core';
import { checkOptionKeys, describeValue } from '@chainrule/core/internal';
import { SafetensorsError } from '../errors';
import { defineEntry, type StateDict } from '../module';
import { fileDTypes, parseHeader, widenedDTypes, type FileDType } from './safetensors-header';

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const fileDTypeOf: Record<DType, FileDType> = {
  float64: 'F64',
  float32: 'F32',
  int32: 'I32',
  int16: 'I16',
  int8: 'I8',
  uint8: 'U8',
  bool: 'BOOL',
};

type ElementArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** Reads and writes one little-endian element of each multi-byte dtype (for big-endian hosts). */
const littleEndian = {
  float64: [
    (v: DataView, at: number) => v.getFloat64(at, true),
    (v: DataView, at: number, x: number) => v.setFloat64(at, x, true),
  ],
  float32: [
    (v: DataView, at: number) => v.getFloat32(at, true),
    (v: DataView, at: number, x: number) => v.setFloat32(at, x, true),
  ],
  int32: [
    (v: DataView, at: number) => v.getInt32(at, true),
    (v: DataView, at: number, x: number) => v.setInt32(at, x, true),
  ],
  int16: [
    (v: DataView, at: number) => v.getInt16(at, true),
    (v: DataView, at: number, x: number) => v.setInt16(at, x, true),
  ],
} as const;

const arrayOf = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
} as const;

/** Options of `saveSafetensors`. */
export interface SaveSafetensorsOptions {
  /** Free-form string pairs stored in the header's `__metadata__`. */
  metadata?: Record<string, string>;
}

/**
 * Encodes tensors by name as a safetensors file. Tensors are written
 * largest dtype first, so every tensor starts at a multiple of its element
 * size (the header is padded with spaces to a multiple of 8), as the
 * reference writer does.
 *
 * @example
 * const bytes = saveSafetensors(model.stateDict(), { metadata: { epochs: '10' } });
 */
export function saveSafetensors(tensors: StateDict, options: SaveSafetensorsOptions = {}): Uint8Array {
  const op = 'saveSafetensors';
  if (tensors === null || typeof tensors !== 'object' || tensors instanceof Tensor || Array.isArray(tensors)) {
    throw new SafetensorsError(
      op,
      'unsupported-tensor',
      `expected an object of tensors by name, as stateDict() returns, got ${describeValue(tensors)}`,
    );
  }
  const entries = Object.entries(tensors).map(([name, t]) => {
    if (!(t instanceof Tensor)) throw new SafetensorsError(op, 'unsupported-tensor', `'${name}' is not a Tensor`);
    if (name === '__metadata__')
      throw new SafetensorsError(op, 'unsupported-tensor', `the name '__metadata__' is reserved by the format`);
    return { name, tensor: t, dtype: fileDTypeOf[t.dtype] };
  });
  // An ArgumentError, as for every options object: the options are not part of the file.
  checkOptionKeys(op, options, ['metadata']);
  const metadata = options.metadata;
  if (
    metadata !== undefined &&
    (metadata === null || typeof metadata !== 'object' || !Object.values(metadata).every((v) => typeof v === 'string'))
  ) {
    throw new SafetensorsError(op, 'unsupported-tensor', 'metadata must be an object of string values');
  }
  // Stable sort: largest elements first keeps every tensor aligned.
  entries.sort((a, b) => fileDTypes[b.dtype].bytes - fileDTypes[a.dtype].bytes);
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header['__metadata__'] = { ...metadata };
  let offset = 0;
  for (const e of entries) {
    const bytes = e.tensor.size * fileDTypes[e.dtype].bytes;
    Object.defineProperty(header, e.name, {
      value: { dtype: e.dtype, shape: [...e.tensor.shape], data_offsets: [offset, offset + bytes] },
      enumerable: true,
    });
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength % 2 ** 32, true);
  view.setUint32(4, Math.floor(headerLength / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const e of entries) {
    position = writeData(out, view, position, e.tensor.dtype, e.tensor.data());
  }
  return out;
}

function writeData(out: Uint8Array, view: DataView, position: number, dtype: DType, data: ElementArray): number {
  const step = data.BYTES_PER_ELEMENT;
  if (littleEndianHost || step === 1) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    return position + data.byteLength;
  }
  const set = littleEndian[dtype as keyof typeof littleEndian][1];
  for (let i = 0; i < data.length; i++) set(view, position + i * step, data[i] as number);
  return position + data.byteLength;
}

/**
 * Decodes a safetensors file into tensors by name: F64, F32, I32, I16, I8,
 * U8 and BOOL as themselves; I64 (PyTorch's `long`, e.g. BatchNorm's
 * `num_batches_tracked`) widened to float64, refused past ±2^53 where float64
 * stops being exact; F16 and BF16 widened to float32, which holds every
 * value of both exactly.
 * Corrupt or hostile input throws a {@link SafetensorsError} (its `problem`
 * says which check failed) before anything is allocated from the file's
 * claims.
 *
 * @example
 * model.loadStateDict(loadSafetensors(bytes));
 */
export function loadSafetensors(bytes: Uint8Array | ArrayBuffer): StateDict {
  const data = asBytes(bytes);
  const { entries, dataStart } = parseHeader(data);
  const out: StateDict = {};
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (const e of entries) {
    const { dtype, bytes: step } = fileDTypes[e.dtype];
    const count = (e.end - e.begin) / step;
    const start = dataStart + e.begin;
    const values = widenedDTypes.has(e.dtype)
      ? readWidened(e.name, e.dtype, count, view, start)
      : readData(dtype, count, data.subarray(start, dataStart + e.end), view, start);
    defineEntry(out, e.name, tensor(values, { shape: e.shape, dtype }));
  }
  return out;
}

/** The header's tensors (name, dtype, shape) and metadata, checked, without reading the data. */
export function readSafetensorsHeader(bytes: Uint8Array | ArrayBuffer): {
  tensors: { name: string; dtype: DType; shape: number[] }[];
  metadata: Record<string, string>;
} {
  const { entries, metadata } = parseHeader(asBytes(bytes));
  return {
    tensors: entries.map((e) => ({ name: e.name, dtype: fileDTypes[e.dtype].dtype, shape: e.shape })),
    metadata,
  };
}

function asBytes(bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new SafetensorsError(
    'loadSafetensors',
    'truncated',
    `expected the file as a Uint8Array or ArrayBuffer, got ${describeValue(bytes)}`,
  );
}

function readData(dtype: DType, count: number, raw: Uint8Array, view: DataView, start: number): ElementArray {
  if (dtype === 'bool') return Uint8Array.from(raw, (b) => (b === 0 ? 0 : 1));
  const out = new arrayOf[dtype](count);
  if (littleEndianHost || out.BYTES_PER_ELEMENT === 1) {
    // Copying the bytes (rather than viewing them) also handles unaligned offsets.
    new Uint8Array(out.buffer).set(raw);
    return out;
  }
  const get = littleEndian[dtype as keyof typeof littleEndian][0];
  for (let i = 0; i < count; i++) out[i] = get(view, start + i * out.BYTES_PER_ELEMENT);
  return out;
}

/** 2^53: the largest magnitude below which every integer is a float64. */
const exactLimit = 2n ** 53n;

/** Reads I64, F16 or BF16 elements into the wider dtype that holds them exactly. */
function readWidened(name: string, dtype: FileDType, count: number, view: DataView, start: number): ElementArray {
  if (dtype === 'I64') {
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const v = view.getBigInt64(start + i * 8, true);
      if (v > exactLimit || v < -exactLimit) {
        throw new SafetensorsError(
          'loadSafetensors',
          'out-of-range',
          `tensor '${name}' (I64) holds ${v} at element ${i}; chainrule reads I64 as float64, exact only within ±2^53`,
        );
      }
      out[i] = Number(v);
    }
    return out;
  }
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const bits = view.getUint16(start + i * 2, true);
    out[i] = dtype === 'BF16' ? bfloat16(bits) : float16(bits);
  }
  return out;
}

const bf16View = new DataView(new ArrayBuffer(4));

/** A bfloat16 is the high half of a float32. */
function bfloat16(bits: number): number {
  bf16View.setUint32(0, bits << 16);
  return bf16View.getFloat32(0);
}

/** IEEE half precision: 1 sign bit, 5 exponent bits (bias 15), 10 fraction bits. */
function float16(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}
