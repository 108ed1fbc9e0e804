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
import { fileDTypes, parseHeader, type FileDType } from './safetensors-header';

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const fileDTypeOf: Record<DType, FileDType> = { float64: 'F64', float32: 'F32', int32: 'I32', bool: 'BOOL' };

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
    position = writeData(out, view, position, e.tensor.data());
  }
  return out;
}

function writeData(
  out: Uint8Array,
  view: DataView,
  position: number,
  data: Float32Array | Float64Array | Int32Array | Uint8Array,
): number {
  if (littleEndianHost || data instanceof Uint8Array) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), position);
    return position + data.byteLength;
  }
  const step = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (data instanceof Float64Array) view.setFloat64(position + i * step, v, true);
    else if (data instanceof Float32Array) view.setFloat32(position + i * step, v, true);
    else view.setInt32(position + i * step, v, true);
  }
  return position + data.byteLength;
}

/**
 * Decodes a safetensors file into tensors by name (F32, F64, I32 and BOOL).
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
    const values = readData(dtype, count, data.subarray(start, dataStart + e.end), view, start);
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

function readData(
  dtype: DType,
  count: number,
  raw: Uint8Array,
  view: DataView,
  start: number,
): Float32Array | Float64Array | Int32Array | Uint8Array {
  if (dtype === 'bool') return Uint8Array.from(raw, (b) => (b === 0 ? 0 : 1));
  const out =
    dtype === 'float64'
      ? new Float64Array(count)
      : dtype === 'float32'
        ? new Float32Array(count)
        : new Int32Array(count);
  if (littleEndianHost) {
    // Copying the bytes (rather than viewing them) also handles unaligned offsets.
    new Uint8Array(out.buffer).set(raw);
    return out;
  }
  for (let i = 0; i < count; i++) {
    if (out instanceof Float64Array) out[i] = view.getFloat64(start + i * 8, true);
    else if (out instanceof Float32Array) out[i] = view.getFloat32(start + i * 4, true);
    else out[i] = view.getInt32(start + i * 4, true);
  }
  return out;
}
