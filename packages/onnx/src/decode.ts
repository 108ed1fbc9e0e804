/**
 * Decoding and checking an ONNX model for importOnnx. Everything here reads
 * the decoded message and allocates at most in proportion to the bytes
 * given: a tensor's values are copied out only by `tensorValues`, which the
 * importer calls after the whole model has been checked, and only for a
 * tensor whose declared size the bytes present were found to hold.
 */
import type { DType } from '@chainrule/core';
import { importModelProto } from './decode-schema';
import { OnnxImportError } from './import-error';

const op = 'importOnnx';

/** The largest size of one dimension, and of one tensor in elements (what a typed array can hold). */
export const maxDim = 2 ** 31 - 1;

/** ONNX data type numbers chainrule reads, and the dtype each becomes. */
const dtypeOf: Readonly<Record<number, DType>> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  5: 'int16',
  6: 'int32',
  // NOTE: chainrule has no int64; int64 values (shapes, indices, axes) become int32, clamped to its range.
  7: 'int32',
  9: 'bool',
  11: 'float64',
};

const typeNames: Readonly<Record<number, string>> = {
  0: 'UNDEFINED',
  1: 'FLOAT',
  2: 'UINT8',
  3: 'INT8',
  4: 'UINT16',
  5: 'INT16',
  6: 'INT32',
  7: 'INT64',
  8: 'STRING',
  9: 'BOOL',
  10: 'FLOAT16',
  11: 'DOUBLE',
  12: 'UINT32',
  13: 'UINT64',
  14: 'COMPLEX64',
  15: 'COMPLEX128',
  16: 'BFLOAT16',
};

/** Bytes per element in raw_data, by ONNX data type. */
const rawSize: Readonly<Record<number, number>> = { 1: 4, 2: 1, 3: 1, 5: 2, 6: 4, 7: 8, 9: 1, 11: 8 };

/** The name of an ONNX data type number, for messages. */
export function typeName(t: number): string {
  return typeNames[t] ?? `data type ${t}`;
}

/** The chainrule dtype an ONNX data type number is read as, or undefined when chainrule has none. */
export function chainruleDType(t: number): DType | undefined {
  return dtypeOf[t];
}

/** A tensor of the model (an initializer or an attribute's value), checked but not yet read. */
export interface TensorInfo {
  readonly name: string;
  /** The ONNX data type number. */
  readonly type: number;
  readonly dtype: DType;
  readonly dims: readonly number[];
  readonly size: number;
  /** Where the values are: raw little-endian bytes, or one of the typed fields. */
  readonly source: Uint8Array | readonly number[] | readonly unknown[];
  readonly raw: boolean;
}

/** An attribute of a node, with only the fields its type uses. */
export interface AttributeInfo {
  readonly name: string;
  readonly type: number;
  readonly f?: number;
  readonly i?: number;
  readonly s?: string;
  readonly t?: TensorInfo;
  readonly floats?: readonly number[];
  readonly ints?: readonly number[];
}

export interface NodeInfo {
  readonly opType: string;
  readonly domain: string;
  /** The node's name, or `#index` when it has none. */
  readonly name: string;
  /** Input value names; '' marks an optional input left out. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, AttributeInfo>;
}

/**
 * A graph input or output: its name, dtype and dimensions (a string for a
 * symbolic one, null for an unknown one). An output declared without a type
 * has type 0 and no dimensions.
 */
export interface ValueInfo {
  readonly name: string;
  readonly type: number;
  readonly dtype: DType;
  readonly dims: readonly (number | string | null)[] | null;
}

export interface ModelInfo {
  readonly irVersion: number;
  readonly opset: number;
  readonly producer: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly initializers: readonly TensorInfo[];
  /** The nodes in an order where every input is defined before use. */
  readonly nodes: readonly NodeInfo[];
}

/** The opsets of the default domain the importer knows the operators of. */
export const opsetRange = [13, 21] as const;
const irRange = [3, 10] as const;

const fail = (message: string): never => {
  throw new OnnxImportError(op, message);
};

/** An int64 field as a number: protobufjs gives a Long, or a number. Large values lose precision; callers bound them first. */
function int(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'object' && v !== null && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return 0;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
const has = (o: object, key: string): boolean => Object.hasOwn(o, key);

/** The element count of `dims`, refusing negative or oversized dimensions and counts past what a typed array holds. */
function elementCount(dims: readonly number[], what: string): number {
  let size = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > maxDim) {
      fail(`${what} declares the dimension ${d} (dimensions must be integers from 0 to ${maxDim})`);
    }
    size *= d;
    if (size > maxDim) fail(`${what} declares dims [${dims.join(', ')}], more than ${maxDim} elements`);
  }
  return size;
}

function readTensor(t: Record<string, unknown>, what: string): TensorInfo {
  const name = str(t.name);
  const label = name === '' ? what : `${what} '${name}'`;
  const type = int(t.data_type ?? 0);
  const dtype = dtypeOf[type];
  if (dtype === undefined) {
    fail(`${label} has data type ${typeName(type)}; supported: FLOAT, DOUBLE, INT64, INT32, INT16, INT8, UINT8, BOOL`);
  }
  if (int(t.data_location ?? 0) === 1 || list(t.external_data).length > 0) {
    fail(
      `${label} keeps its values in an external file, which importOnnx cannot read (pass a model saved with its data inside)`,
    );
  }
  const dims = list(t.dims).map(int);
  if (dims.length > 64) fail(`${label} declares ${dims.length} dimensions (at most 64)`);
  const size = elementCount(dims, label);
  const raw = t.raw_data instanceof Uint8Array ? t.raw_data : null;
  const fields: [string, number[]][] = [
    ['float_data', [1]],
    ['int32_data', [2, 3, 5, 6, 9]],
    ['int64_data', [7]],
    ['double_data', [11]],
  ];
  if (raw !== null && raw.length > 0) {
    const expected = size * (rawSize[type] as number);
    if (raw.length !== expected) {
      fail(
        `${label} declares dims [${dims.join(', ')}] of ${typeName(type)} (${expected} bytes) but holds ${raw.length} bytes`,
      );
    }
    return { name, type, dtype: dtype as DType, dims, size, source: raw, raw: true };
  }
  for (const [field, types] of fields) {
    const values = list(t[field]);
    if (values.length === 0) continue;
    if (!types.includes(type))
      fail(`${label} of ${typeName(type)} holds its values in ${field}, which is for other types`);
    if (values.length !== size) {
      fail(
        `${label} declares dims [${dims.join(', ')}] (${size} elements) but holds ${values.length} values in ${field}`,
      );
    }
    return { name, type, dtype: dtype as DType, dims, size, source: values, raw: false };
  }
  if (size !== 0) fail(`${label} declares dims [${dims.join(', ')}] (${size} elements) but holds no values`);
  return { name, type, dtype: dtype as DType, dims, size, source: [], raw: false };
}

function readValueInfo(v: Record<string, unknown>, what: string): ValueInfo {
  const name = str(v.name);
  if (name === '') fail(`a graph ${what} has no name`);
  // An output may leave its type to inference (ONNX Runtime accepts that); the importer computes it anyway.
  if (what === 'output' && (v.type === undefined || v.type === null))
    return { name, type: 0, dtype: 'float32', dims: null };
  const type = (v.type ?? {}) as Record<string, unknown>;
  const tt = type.tensor_type as Record<string, unknown> | undefined;
  if (tt === undefined || tt === null)
    fail(`the graph ${what} '${name}' is not a tensor (sequences, maps and optionals are not supported)`);
  const t = tt as Record<string, unknown>;
  const elem = int(t.elem_type ?? 0);
  const dtype = dtypeOf[elem];
  if (dtype === undefined) {
    fail(
      `the graph ${what} '${name}' has data type ${typeName(elem)}; supported: FLOAT, DOUBLE, INT64, INT32, INT16, INT8, UINT8, BOOL`,
    );
  }
  let dims: (number | string | null)[] | null = null;
  if (t.shape !== undefined && t.shape !== null) {
    dims = list((t.shape as Record<string, unknown>).dim).map((d) => {
      const dim = d as Record<string, unknown>;
      if (has(dim, 'dim_value')) {
        const n = int(dim.dim_value);
        if (!Number.isInteger(n) || n < 0 || n > maxDim) {
          fail(
            `the graph ${what} '${name}' declares the dimension ${n} (dimensions must be integers from 0 to ${maxDim})`,
          );
        }
        return n;
      }
      if (has(dim, 'dim_param') && str(dim.dim_param) !== '') return str(dim.dim_param);
      return null;
    });
  }
  return { name, type: elem, dtype: dtype as DType, dims };
}

const attributeTypes: Readonly<Record<number, string>> = {
  1: 'f',
  2: 'i',
  3: 's',
  4: 't',
  6: 'floats',
  7: 'ints',
};

function readAttribute(a: Record<string, unknown>, node: string): AttributeInfo {
  const name = str(a.name);
  if (name === '') fail(`node ${node} has an attribute without a name`);
  if (str(a.ref_attr_name) !== '')
    fail(`node ${node}: attribute '${name}' refers to a function's attribute, which is not supported`);
  const type = int(a.type ?? 0);
  const field = attributeTypes[type];
  if (field === undefined) {
    fail(
      `node ${node}: attribute '${name}' has type ${type} (graphs, sparse tensors, strings lists and type protos are not supported)`,
    );
  }
  switch (field) {
    case 'f':
      return { name, type, f: typeof a.f === 'number' ? a.f : 0 };
    case 'i':
      return { name, type, i: int(a.i ?? 0) };
    case 's':
      return { name, type, s: a.s instanceof Uint8Array ? new TextDecoder().decode(a.s) : '' };
    case 't': {
      if (typeof a.t !== 'object' || a.t === null)
        fail(`node ${node}: attribute '${name}' declares a tensor but holds none`);
      return {
        name,
        type,
        t: readTensor(a.t as Record<string, unknown>, `the tensor of node ${node}'s attribute '${name}'`),
      };
    }
    case 'floats':
      return { name, type, floats: list(a.floats).map((v) => (typeof v === 'number' ? v : Number.NaN)) };
    default:
      return { name, type, ints: list(a.ints).map(int) };
  }
}

function decodeMessage(bytes: Uint8Array): Record<string, unknown> {
  try {
    return importModelProto().decode(bytes) as unknown as Record<string, unknown>;
  } catch (e) {
    // protobufjs throws plain Errors (and a deeply nested message may exhaust the stack): all mean malformed bytes.
    const reason = e instanceof Error ? e.message : String(e);
    return fail(`the bytes are not an ONNX model (protobuf decoding failed: ${reason})`);
  }
}

/**
 * Decodes `bytes` as an ONNX ModelProto and checks it whole: versions,
 * tensors' declared sizes against the bytes present, data types, names, and
 * that the nodes form a DAG over defined values (sorted into a topological
 * order when they are listed out of one). Values are not read yet.
 */
export function decodeModel(bytes: Uint8Array): ModelInfo {
  if (!(bytes instanceof Uint8Array)) {
    fail(`expected the model's bytes as a Uint8Array (or a Buffer), got ${bytes === null ? 'null' : typeof bytes}`);
  }
  if (bytes.length === 0) fail('the bytes are empty, not an ONNX model');
  const m = decodeMessage(bytes);
  const irVersion = int(m.ir_version ?? 0);
  if (irVersion < irRange[0] || irVersion > irRange[1]) {
    fail(`the model has IR version ${irVersion}; supported: ${irRange[0]} to ${irRange[1]} (is this an ONNX file?)`);
  }
  if (list(m.functions).length > 0) fail('the model defines local functions, which are not supported');
  let opset: number | undefined;
  const otherDomains: string[] = [];
  for (const entry of list(m.opset_import)) {
    const e = entry as Record<string, unknown>;
    const domain = str(e.domain);
    if (domain === '' || domain === 'ai.onnx') opset = int(e.version ?? 0);
    else otherDomains.push(domain);
  }
  if (opset === undefined) fail('the model imports no opset of the default ONNX domain');
  const version = opset as number;
  if (version < opsetRange[0] || version > opsetRange[1]) {
    fail(
      `the model uses opset ${version} of the ONNX domain; supported: ${opsetRange[0]} to ${opsetRange[1]} (convert it with onnx.version_converter)`,
    );
  }
  const g = m.graph as Record<string, unknown> | undefined;
  if (g === undefined || g === null) fail('the model has no graph');
  const graph = g as Record<string, unknown>;
  if (list(graph.sparse_initializer).length > 0) fail('the graph has sparse initializers, which are not supported');

  const initializers = list(graph.initializer).map((t, i) => {
    const info = readTensor(t as Record<string, unknown>, 'the initializer');
    if (info.name === '') fail(`initializer #${i} has no name`);
    return info;
  });
  const defined = new Set<string>();
  for (const t of initializers) {
    if (defined.has(t.name)) fail(`two initializers are named '${t.name}'`);
    defined.add(t.name);
  }
  // NOTE: IR < 4 lists initializers among the graph inputs too; those are parameters, not inputs of the function.
  const inputs = list(graph.input)
    .map((v) => readValueInfo(v as Record<string, unknown>, 'input'))
    .filter((v) => !defined.has(v.name));
  for (const v of inputs) {
    if (defined.has(v.name)) fail(`two graph inputs are named '${v.name}'`);
    defined.add(v.name);
  }
  const outputs = list(graph.output).map((v) => readValueInfo(v as Record<string, unknown>, 'output'));
  if (outputs.length === 0) fail('the graph has no outputs');

  const nodes = list(graph.node).map((n, index): NodeInfo => {
    const node = n as Record<string, unknown>;
    const opType = str(node.op_type);
    const given = str(node.name);
    const label = given === '' ? `#${index}` : `'${given}'`;
    if (opType === '') fail(`node ${label} has no op_type`);
    const attributes = new Map<string, AttributeInfo>();
    for (const a of list(node.attribute)) {
      const attr = readAttribute(a as Record<string, unknown>, `${label} (${opType})`);
      if (attributes.has(attr.name)) fail(`node ${label} (${opType}) has two attributes named '${attr.name}'`);
      attributes.set(attr.name, attr);
    }
    return {
      opType,
      domain: str(node.domain) === 'ai.onnx' ? '' : str(node.domain),
      name: given === '' ? `#${index}` : given,
      inputs: list(node.input).map(str),
      outputs: list(node.output).map(str),
      attributes,
    };
  });
  for (const n of nodes) {
    if (n.domain !== '' && !otherDomains.includes(n.domain)) {
      fail(`node '${n.name}' (${n.opType}) is in the domain '${n.domain}', which the model does not import`);
    }
  }
  const sorted = sortNodes(nodes, defined);
  for (const o of outputs) {
    if (!defined.has(o.name))
      fail(`the graph output '${o.name}' is not computed by any node, nor an input or initializer`);
  }
  return {
    irVersion,
    opset: version,
    producer: str(m.producer_name),
    inputs,
    outputs,
    initializers,
    nodes: sorted,
  };
}

/**
 * The nodes in topological order (Kahn's algorithm, keeping the file's order
 * among ready nodes). Every value must be defined once; a node that can
 * never run is on a cycle or reads a value nothing defines.
 */
function sortNodes(nodes: readonly NodeInfo[], defined: Set<string>): NodeInfo[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const out of n.outputs) {
      if (out === '') continue;
      if (defined.has(out) || producer.has(out))
        fail(`the value '${out}' is defined twice (again by node '${n.name}' (${n.opType}))`);
      producer.set(out, i);
    }
  });
  for (const n of nodes) {
    for (const name of n.inputs) {
      if (name !== '' && !defined.has(name) && !producer.has(name)) {
        fail(
          `node '${n.name}' (${n.opType}) reads '${name}', which no node, graph input or initializer defines (a missing initializer?)`,
        );
      }
    }
  }
  const waiting = nodes.map((n) => new Set(n.inputs.filter((name) => name !== '' && !defined.has(name))).size);
  const readers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const name of new Set(n.inputs)) {
      if (name === '' || defined.has(name)) continue;
      const r = readers.get(name);
      if (r === undefined) readers.set(name, [i]);
      else r.push(i);
    }
  });
  const order: NodeInfo[] = [];
  const ready = nodes.map((_, i) => i).filter((i) => waiting[i] === 0);
  // A stack of ready indices would reorder; a sorted ready list keeps the file's order where it is valid.
  const queue = [...ready];
  let head = 0;
  while (head < queue.length) {
    const i = queue[head++] as number;
    const n = nodes[i] as NodeInfo;
    order.push(n);
    for (const out of n.outputs) {
      for (const r of readers.get(out) ?? []) {
        waiting[r] = (waiting[r] as number) - 1;
        if (waiting[r] === 0) queue.push(r);
      }
    }
  }
  if (order.length < nodes.length) {
    const stuck = nodes.filter((_, i) => (waiting[i] as number) > 0).map((n) => `'${n.name}' (${n.opType})`);
    fail(
      `the graph has a cycle: the nodes ${stuck.slice(0, 8).join(', ')}${stuck.length > 8 ? ', ...' : ''} each wait on another's output`,
    );
  }
  for (const n of order) for (const out of n.outputs) if (out !== '') defined.add(out);
  return order;
}

/** Reads a checked tensor's values into a typed array of its chainrule dtype (int64 clamped to int32's range). */
export function tensorValues(
  t: TensorInfo,
): Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array {
  const n = t.size;
  if (t.raw) {
    const raw = t.source as Uint8Array;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    switch (t.type) {
      case 1:
        return Float32Array.from({ length: n }, (_, k) => view.getFloat32(4 * k, true));
      case 11:
        return Float64Array.from({ length: n }, (_, k) => view.getFloat64(8 * k, true));
      case 6:
        return Int32Array.from({ length: n }, (_, k) => view.getInt32(4 * k, true));
      case 7:
        return Int32Array.from({ length: n }, (_, k) => clampInt32(Number(view.getBigInt64(8 * k, true))));
      case 5:
        return Int16Array.from({ length: n }, (_, k) => view.getInt16(2 * k, true));
      case 3:
        return Int8Array.from({ length: n }, (_, k) => view.getInt8(k));
      case 9:
        return Uint8Array.from({ length: n }, (_, k) => (view.getUint8(k) === 0 ? 0 : 1));
      default:
        return Uint8Array.from({ length: n }, (_, k) => view.getUint8(k));
    }
  }
  const values = (t.source as readonly unknown[]).map((v) => (t.type === 7 ? clampInt32(int(v)) : Number(v)));
  switch (t.type) {
    case 1:
      return Float32Array.from(values);
    case 11:
      return Float64Array.from(values);
    case 6:
    case 7:
      return Int32Array.from(values);
    case 5:
      return Int16Array.from(values);
    case 3:
      return Int8Array.from(values);
    case 9:
      return Uint8Array.from(values, (v) => (v === 0 ? 0 : 1));
    default:
      return Uint8Array.from(values);
  }
}

/** An int64 as int32: ONNX writes "to the end" as INT64_MAX (Slice) and such; chainrule's sizes fit int32. */
function clampInt32(v: number): number {
  return Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, v));
}
