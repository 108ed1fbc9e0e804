/**
 * The ONNX graph being written: nodes in an order where every input is
 * defined before use, initializers, and fresh names.
 */
import type { Tensor } from '@chainrule/core';
import { DataType } from './schema';

export interface OnnxAttribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  ints?: number[];
  floats?: number[];
}

export interface OnnxNode {
  op_type: string;
  input: string[];
  output: string[];
  name: string;
  attribute: OnnxAttribute[];
}

export interface OnnxTensor {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

/** A node's attributes, from plain values: integers, floats, integer lists. */
export type Attributes = Record<string, number | { float: number } | readonly number[] | undefined>;

const INT = 2;
const FLOAT = 1;
const INTS = 7;

function attributes(attrs: Attributes): OnnxAttribute[] {
  const out: OnnxAttribute[] = [];
  for (const [name, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (typeof v === 'number') out.push({ name, type: INT, i: v });
    else if ('float' in v) out.push({ name, type: FLOAT, f: v.float });
    else out.push({ name, type: INTS, ints: [...v] });
  }
  return out;
}

/** Little-endian bytes of a typed array (ONNX's raw_data is little-endian; so is every engine JS runs on). */
function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();
  private count = 0;

  /** A name no other value has, from `base`. */
  fresh(base: string): string {
    let name = base;
    while (this.used.has(name)) name = `${base}_${++this.count}`;
    this.used.add(name);
    return name;
  }

  /** Adds a node with one output (or `outputs` of them) and returns the first output's name. */
  node(opType: string, inputs: readonly string[], attrs: Attributes = {}, outputs = 1): string {
    const names = Array.from({ length: outputs }, () => this.fresh(`${opType}_out`));
    this.nodes.push({
      op_type: opType,
      input: [...inputs],
      output: names,
      name: this.fresh(opType),
      attribute: attributes(attrs),
    });
    return names[0] as string;
  }

  /** An initializer holding `t`'s values (any strides: read in row-major order). */
  tensor(name: string, t: Tensor): string {
    const dtype = t.dtype;
    const c = t.contiguous();
    const data = c.storage.data.subarray(c.offset, c.offset + c.size);
    const type = DataType[dtype];
    this.initializers.push({ name, dims: [...t.shape], data_type: type, raw_data: bytesOf(data) });
    return name;
  }

  /** An int64 initializer (shapes, axes, pads). */
  int64s(values: readonly number[], base = 'const'): string {
    const name = this.fresh(base);
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    this.initializers.push({ name, dims: [values.length], data_type: DataType.int64, raw_data: bytesOf(data) });
    return name;
  }

  /** A 0-d float initializer of the given dtype. */
  scalar(value: number, dtype: 'float32' | 'float64', base = 'const'): string {
    const name = this.fresh(base);
    const data = dtype === 'float32' ? Float32Array.of(value) : Float64Array.of(value);
    this.initializers.push({ name, dims: [], data_type: DataType[dtype], raw_data: bytesOf(data) });
    return name;
  }
}
