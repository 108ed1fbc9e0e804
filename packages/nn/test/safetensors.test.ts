import { describe, expect, it } from 'vitest';
import { ChainruleError, Generator, Tensor, tensor, zeros } from '@chainrule/core';
import {
  Linear,
  SafetensorsError,
  Sequential,
  Sigmoid,
  loadSafetensors,
  mlp,
  readSafetensorsHeader,
  saveSafetensors,
  type SafetensorsProblem,
  type StateDict,
} from '../src/index';
import { expectClose, fixtureBytes, fixtureJson } from './helpers';

/** A file from a header object and data bytes, with the length field as given (default: the true length). */
function file(header: unknown, data: number[] | Uint8Array = [], headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  const view = new DataView(out.buffer);
  const n = headerLength ?? json.length;
  view.setUint32(0, n % 2 ** 32, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function bits(t: Tensor): number[] {
  const d = t.data();
  return Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
}

function expectProblem(bytes: Uint8Array, problem: SafetensorsProblem, message?: RegExp): void {
  let caught: unknown = null;
  try {
    loadSafetensors(bytes);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(SafetensorsError);
  expect(caught).toBeInstanceOf(ChainruleError);
  expect((caught as SafetensorsError).problem).toBe(problem);
  expect((caught as SafetensorsError).message).toMatch(/^loadSafetensors: /);
  if (message !== undefined) expect((caught as SafetensorsError).message).toMatch(message);
}

describe('saveSafetensors → loadSafetensors', () => {
  it('round-trips a model state dict exactly, into a fresh model', () => {
    const model = mlp([3, 5, 2], { generator: new Generator(1) });
    const fresh = mlp([3, 5, 2], { generator: new Generator(2) });
    fresh.loadStateDict(loadSafetensors(saveSafetensors(model.stateDict())));
    for (const [[name, a], [, b]] of model.namedParameters().map((e, i) => [e, fresh.namedParameters()[i]!] as const)) {
      expect(bits(b), name).toEqual(bits(a));
    }
    const x = tensor([[0.1, 0.2, 0.3]]);
    expect(fresh.forward(x).toArray()).toEqual(model.forward(x).toArray());
  });

  it('round-trips every dtype bit for bit, including NaN, ±Infinity, -0, subnormals, 0-d and empty tensors', () => {
    const dict: StateDict = {
      f64: tensor([NaN, Infinity, -Infinity, -0, 5e-324, 1 / 3], { dtype: 'float64' }),
      f32: tensor([
        [NaN, -0],
        [1e-45, 3.4e38],
      ]),
      i32: tensor([-2147483648, 0, 2147483647], { dtype: 'int32' }),
      i16: tensor([-32768, -1, 32767], { dtype: 'int16' }),
      i8: tensor([-128, 0, 127], { dtype: 'int8' }),
      u8: tensor([0, 128, 255], { dtype: 'uint8' }),
      mask: tensor([true, false, true]),
      scalar: tensor(7.25),
      empty: zeros([0, 4], { dtype: 'float64' }),
    };
    const back = loadSafetensors(saveSafetensors(dict));
    expect(Object.keys(back).sort()).toEqual(Object.keys(dict).sort());
    for (const [name, t] of Object.entries(dict)) {
      const b = back[name] as Tensor;
      expect(b.dtype, name).toBe(t.dtype);
      expect(b.shape, name).toEqual(t.shape);
      expect(bits(b), name).toEqual(bits(t));
    }
  });

  it('writes the documented layout: u64 LE header length, JSON padded to 8 bytes, F64 data first, offsets tiling the data', () => {
    const bytes = saveSafetensors(
      { a: tensor([1, 2, 3]), b: tensor([4], { dtype: 'float64' }) },
      { metadata: { note: 'hi' } },
    );
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = view.getUint32(0, true);
    expect(view.getUint32(4, true)).toBe(0);
    expect((8 + n) % 8).toBe(0);
    const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(text.trimEnd().length).toBeLessThanOrEqual(n);
    expect(JSON.parse(text)).toEqual({
      __metadata__: { note: 'hi' },
      b: { dtype: 'F64', shape: [1], data_offsets: [0, 8] },
      a: { dtype: 'F32', shape: [3], data_offsets: [8, 20] },
    });
    expect(bytes.length).toBe(8 + n + 20);
    expect(view.getFloat64(8 + n, true)).toBe(4);
    expect(view.getFloat32(8 + n + 8 + 4, true)).toBe(2);
    expect(readSafetensorsHeader(bytes).metadata).toEqual({ note: 'hi' });
  });

  it('names the integer dtypes as the format does (I16, I8, U8) and reads them little-endian', () => {
    // Hand-built: int16 [-2, 258] is bytes fe ff 02 01; int8 [-1] is ff; uint8 [200] is c8.
    const data = Uint8Array.from([0xfe, 0xff, 0x02, 0x01, 0xff, 0xc8]);
    const loaded = loadSafetensors(
      file(
        {
          s: { dtype: 'I16', shape: [2], data_offsets: [0, 4] },
          i: { dtype: 'I8', shape: [1], data_offsets: [4, 5] },
          u: { dtype: 'U8', shape: [1], data_offsets: [5, 6] },
        },
        data,
      ),
    );
    expect([loaded['s']?.dtype, loaded['s']?.toArray()]).toEqual(['int16', [-2, 258]]);
    expect([loaded['i']?.dtype, loaded['i']?.toArray()]).toEqual(['int8', [-1]]);
    expect([loaded['u']?.dtype, loaded['u']?.toArray()]).toEqual(['uint8', [200]]);
    const saved = saveSafetensors(loaded);
    const n = new DataView(saved.buffer, saved.byteOffset).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(saved.subarray(8, 8 + n))) as Record<string, { dtype: string }>;
    expect([header['s']?.dtype, header['i']?.dtype, header['u']?.dtype]).toEqual(['I16', 'I8', 'U8']);
  });

  it('accepts an ArrayBuffer and tensors listed in any key order', () => {
    const data = new Uint8Array(new Float32Array([1, 2]).buffer);
    const loaded = loadSafetensors(
      file(
        {
          second: { dtype: 'F32', shape: [1], data_offsets: [4, 8] },
          first: { dtype: 'F32', shape: [1], data_offsets: [0, 4] },
        },
        data,
      ).buffer as ArrayBuffer,
    );
    expect(loaded['first']?.item()).toBe(1);
    expect(loaded['second']?.item()).toBe(2);
  });

  it('keeps a tensor named __proto__ as an ordinary entry', () => {
    // Written as text: in an object literal, __proto__ would set the prototype instead of a key.
    const loaded = loadSafetensors(
      file(
        '{"__proto__": {"dtype": "F32", "shape": [], "data_offsets": [0, 4]}}',
        new Uint8Array(new Float32Array([3]).buffer),
      ),
    );
    expect(Object.keys(loaded)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expect((Object.getOwnPropertyDescriptor(loaded, '__proto__')!.value as Tensor).item()).toBe(3);
  });

  it('refuses to save values that are not tensors and the reserved name', () => {
    expect(() => saveSafetensors({ w: [1] as unknown as Tensor })).toThrow(SafetensorsError);
    expect(() => saveSafetensors({ __metadata__: zeros([1]) })).toThrow(/reserved/);
    expect(() => saveSafetensors({}, { metadata: { n: 1 as unknown as string } })).toThrow(SafetensorsError);
  });
});

describe('files written by PyTorch (fixtures/make_safetensors.py)', () => {
  interface Listed {
    dtype: string;
    shape: number[];
    values: (number | boolean)[];
  }

  it("nn.Sequential(Linear(3,4), Sigmoid(), Linear(4,2)) loads into the same layers here and gives PyTorch's outputs", () => {
    const reference = fixtureJson<{ tensors: Record<string, Listed>; input: number[][]; output: number[][] }>(
      'torch_sequential.json',
    );
    const model = new Sequential(new Linear(3, 4), new Sigmoid(), new Linear(4, 2));
    expect(model.loadStateDict(loadSafetensors(fixtureBytes('torch_sequential.safetensors')))).toEqual({
      missingKeys: [],
      unexpectedKeys: [],
    });
    for (const [name, p] of model.namedParameters()) {
      const listed = reference.tensors[name] as Listed;
      expect(p.shape).toEqual(listed.shape);
      // The JSON holds the float32 values PyTorch saved, printed as doubles: equal exactly.
      expect(Array.from(p.data())).toEqual(listed.values);
    }
    expectClose(model.forward(tensor(reference.input)), reference.output, { rtol: 1e-6, atol: 1e-7 });
  });

  it('reads F64, F32, I32 and BOOL tensors, a 0-d and an empty tensor, and the metadata', () => {
    const reference = fixtureJson<Record<string, Listed>>('torch_dtypes.json');
    const bytes = fixtureBytes('torch_dtypes.safetensors');
    const loaded = loadSafetensors(bytes);
    const dtypeNames: Record<string, string> = { float64: 'float64', float32: 'float32', int32: 'int32', bool: 'bool' };
    expect(Object.keys(loaded).sort()).toEqual(Object.keys(reference).sort());
    for (const [name, listed] of Object.entries(reference)) {
      const t = loaded[name] as Tensor;
      expect(t.dtype, name).toBe(dtypeNames[listed.dtype]);
      expect(t.shape, name).toEqual(listed.shape);
      expect(Array.from(t.data()), name).toEqual(listed.values.map(Number));
    }
    expect(readSafetensorsHeader(bytes).metadata).toEqual({ format: 'pt', written_by: 'make_safetensors.py' });
  });
});

describe('corrupt or hostile files are refused with a SafetensorsError', () => {
  const f32 = (shape: number[], begin: number, end: number): object => ({
    dtype: 'F32',
    shape,
    data_offsets: [begin, end],
  });
  const eight = new Uint8Array(8);

  it('fewer than 8 bytes', () => {
    expectProblem(new Uint8Array(5), 'truncated', /5 bytes/);
  });

  it('a header length past the end of the file', () => {
    expectProblem(file({ a: f32([2], 0, 8) }, eight, 1000), 'truncated', /claims 1000 bytes/);
  });

  it('a huge header length, refused before reading it', () => {
    expectProblem(file({}, [], 2 ** 62), 'header-too-large');
    expectProblem(file({}, [], 100_000_001), 'header-too-large');
  });

  it('a header that is not UTF-8, not JSON, or not an object of tensor descriptions', () => {
    const bad = file('{}');
    bad[8] = 0xff;
    expectProblem(bad, 'header-json', /UTF-8/);
    expectProblem(file('{"a": '), 'header-json', /not valid JSON/);
    expectProblem(file('[1, 2]'), 'header-json', /an array/);
    expectProblem(file('null'), 'header-json');
    expectProblem(file({ a: 5 }), 'header-json', /'a'/);
    expectProblem(file({ __metadata__: { n: 1 } }), 'header-json', /__metadata__/);
  });

  it('an unknown dtype', () => {
    expectProblem(
      file({ a: { dtype: 'F8_E4M3', shape: [4], data_offsets: [0, 4] } }, eight),
      'dtype',
      /"F8_E4M3".*F64, F32, I32, I16, I8, U8, BOOL, I64, F16, BF16/,
    );
    expectProblem(file({ a: { shape: [2], data_offsets: [0, 8] } }, eight), 'dtype');
  });

  it('a malformed shape', () => {
    expectProblem(file({ a: f32([-2], 0, 8) }, eight), 'shape');
    expectProblem(file({ a: f32([1.5], 0, 8) }, eight), 'shape');
    expectProblem(file({ a: { dtype: 'F32', shape: '2', data_offsets: [0, 8] } }, eight), 'shape');
    expectProblem(file({ a: f32(new Array(33).fill(1), 0, 4) }, new Uint8Array(4)), 'shape');
  });

  it('malformed, reversed or out-of-range data_offsets', () => {
    expectProblem(file({ a: { dtype: 'F32', shape: [2], data_offsets: [0] } }, eight), 'offsets');
    expectProblem(file({ a: f32([2], -8, 0) }, eight), 'offsets');
    expectProblem(file({ a: f32([0], 8, 0) }, eight), 'offsets', /begin after end/);
    expectProblem(file({ a: f32([4], 0, 16) }, eight), 'offsets', /outside the 8 data bytes/);
    // A hostile claim of 2^50 bytes is refused by comparison, never allocated.
    expectProblem(file({ a: { dtype: 'F64', shape: [2 ** 47], data_offsets: [0, 2 ** 50] } }, eight), 'offsets');
  });

  it('overlapping tensors and gaps between them', () => {
    const twelve = new Uint8Array(12);
    expectProblem(file({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, twelve), 'offsets', /'b' starts at byte 4.*overlaps/);
    expectProblem(file({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, twelve), 'offsets', /gap/);
    expectProblem(file({ a: f32([2], 0, 8), b: f32([2], 0, 8) }, eight), 'offsets');
  });

  it('a byte range that does not match shape × dtype, even for enormous shapes', () => {
    expectProblem(file({ a: f32([3], 0, 8) }, eight), 'size-mismatch', /needs 12 bytes.*span 8/);
    expectProblem(file({ a: f32([2 ** 40, 2 ** 40, 2 ** 40], 0, 8) }, eight), 'size-mismatch');
    expectProblem(file({ a: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } }, eight), 'size-mismatch');
  });

  it('bytes after the last tensor', () => {
    expectProblem(file({ a: f32([1], 0, 4) }, eight), 'trailing-data', /4 more bytes/);
    expectProblem(file({}, [1]), 'trailing-data');
  });

  it('a valid empty file (header {} and no data) loads as an empty dict', () => {
    expect(loadSafetensors(file({}))).toEqual({});
  });

  it('refuses input that is not bytes', () => {
    expect(() => loadSafetensors('abc' as unknown as Uint8Array)).toThrow(SafetensorsError);
  });
});
