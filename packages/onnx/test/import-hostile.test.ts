/**
 * Hostile and broken ONNX files: each is refused with an OnnxImportError
 * that names what is wrong, before anything is allocated from the file's
 * claims. Models are written here with the exporter's protobuf schema, so
 * each breaks exactly one rule.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ones, tensor } from '@chainrule/core';
import { describe, expect, it } from 'vitest';
import { OnnxImportError, importOnnx } from '../src/index';
import { modelProto } from '../src/schema';

const FLOAT = 1;
const INT64 = 7;

interface Node {
  op_type: string;
  input: string[];
  output: string[];
  name?: string;
  domain?: string;
  attribute?: object[];
}
interface Init {
  name: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
  float_data?: number[];
}

const info = (name: string, dims: (number | string)[], elem = FLOAT) => ({
  name,
  type: {
    tensor_type: {
      elem_type: elem,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dim_param: d } : { dim_value: d })) },
    },
  },
});
const floats = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

/** A model y = relu(x + w) of x [2], w [2], changed by `edit`. */
function model(
  edit: (m: {
    nodes: Node[];
    inits: Init[];
    inputs: object[];
    outputs: object[];
    opset: { domain: string; version: number }[];
    ir: number;
  }) => void = () => {},
): Uint8Array {
  const m = {
    nodes: [
      { op_type: 'Add', input: ['x', 'w'], output: ['s'], name: 'add' },
      { op_type: 'Relu', input: ['s'], output: ['y'], name: 'relu' },
    ] as Node[],
    inits: [{ name: 'w', dims: [2], data_type: FLOAT, raw_data: floats(1, -5) }] as Init[],
    inputs: [info('x', [2])] as object[],
    outputs: [info('y', [2])] as object[],
    opset: [{ domain: '', version: 17 }],
    ir: 8,
  };
  edit(m);
  const type = modelProto();
  return type
    .encode(
      type.fromObject({
        ir_version: m.ir,
        opset_import: m.opset,
        graph: { name: 'g', node: m.nodes, initializer: m.inits, input: m.inputs, output: m.outputs },
      }),
    )
    .finish();
}

/** The OnnxImportError importOnnx throws for `bytes` (fails the test when it throws anything else, or nothing). */
function refusal(bytes: Uint8Array): OnnxImportError {
  try {
    importOnnx(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(OnnxImportError);
    return e as OnnxImportError;
  }
  throw new Error('importOnnx accepted the model');
}

it('the unbroken model imports and computes relu(x + w) (w = [1, -5]: by hand, relu([3, -3]) = [3, 0])', () => {
  const { fn } = importOnnx(model());
  expect(fn(tensor([2, 2]))[0]?.toArray()).toEqual([3, 0]);
});

describe('broken files', () => {
  const valid = model();
  it.each([
    ['empty', new Uint8Array(0), /empty/],
    ['truncated by one byte', valid.subarray(0, valid.length - 1), /not an ONNX model|protobuf/],
    ['truncated in half', valid.subarray(0, valid.length >> 1), /not an ONNX model|protobuf/],
    ['JSON text', new TextEncoder().encode('{"graph": {"node": []}}'), /./],
    ['a PNG header', Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), /./],
  ])('%s', (_, bytes, message) => {
    expect(refusal(bytes).message).toMatch(message);
  });

  it('a non-Uint8Array argument', () => {
    expect(() => importOnnx('model.onnx' as unknown as Uint8Array)).toThrow(OnnxImportError);
  });
});

describe('graphs that break the rules', () => {
  it.each([
    [
      'a cycle',
      model((m) => {
        m.nodes = [
          { op_type: 'Add', input: ['x', 'b'], output: ['a'], name: 'first' },
          { op_type: 'Relu', input: ['a'], output: ['b'], name: 'second' },
          { op_type: 'Relu', input: ['b'], output: ['y'], name: 'third' },
        ];
      }),
      /cycle.*'first'.*'second'/,
    ],
    [
      'a missing initializer',
      model((m) => {
        m.inits = [];
      }),
      /'add' \(Add\) reads 'w', which no node, graph input or initializer defines/,
    ],
    [
      'an undefined input',
      model((m) => {
        (m.nodes[1] as Node).input = ['nowhere'];
      }),
      /reads 'nowhere'/,
    ],
    [
      'an output nothing computes',
      model((m) => {
        m.outputs = [info('z', [2])];
      }),
      /output 'z' is not computed/,
    ],
    [
      'a value defined twice',
      model((m) => {
        (m.nodes[1] as Node).output = ['s'];
      }),
      /'s' is defined twice/,
    ],
    [
      'an old opset',
      model((m) => {
        m.opset = [{ domain: '', version: 9 }];
      }),
      /opset 9.*13 to 21/,
    ],
    [
      'no default-domain opset',
      model((m) => {
        m.opset = [{ domain: 'ai.onnx.ml', version: 3 }];
      }),
      /no opset of the default ONNX domain/,
    ],
    [
      'an unknown IR version',
      model((m) => {
        m.ir = 99;
      }),
      /IR version 99/,
    ],
    [
      'an initializer of STRING',
      model((m) => {
        (m.inits[0] as Init).data_type = 8;
      }),
      /'w' has data type STRING/,
    ],
    [
      'an initializer of FLOAT16',
      model((m) => {
        (m.inits[0] as Init).data_type = 10;
      }),
      /'w' has data type FLOAT16/,
    ],
    [
      'a graph input of UINT64',
      model((m) => {
        m.inputs = [info('x', [2], 13)];
      }),
      /input 'x' has data type UINT64/,
    ],
    [
      'an initializer holding fewer bytes than its dims declare',
      model((m) => {
        (m.inits[0] as Init).dims = [3];
      }),
      /'w' declares dims \[3\] of FLOAT \(12 bytes\) but holds 8 bytes/,
    ],
    [
      'a negative dimension',
      model((m) => {
        (m.inits[0] as Init).dims = [-2];
      }),
      /dimension -2/,
    ],
    [
      'an attribute of the wrong type',
      model((m) => {
        m.nodes = [
          {
            op_type: 'Softmax',
            input: ['x'],
            output: ['y'],
            name: 'soft',
            attribute: [{ name: 'axis', type: 1, f: 0.5 }],
          },
        ];
      }),
      /'soft' \(Softmax\): the attribute 'axis' has type 1, expected 2/,
    ],
    [
      'a node missing a required input',
      model((m) => {
        (m.nodes[0] as Node).input = ['x'];
      }),
      /'add' \(Add\) lacks its required input #1/,
    ],
  ])('%s', (_, bytes, message) => {
    expect(refusal(bytes).message).toMatch(message);
  });

  it('lists every unsupported operator of the model at once', () => {
    const bytes = model((m) => {
      m.opset.push({ domain: 'com.microsoft', version: 1 });
      m.nodes = [
        { op_type: 'Add', input: ['x', 'w'], output: ['a'] },
        { op_type: 'NonMaxSuppression', input: ['a'], output: ['b'] },
        { op_type: 'FusedGemm', input: ['b'], output: ['c'], domain: 'com.microsoft' },
        { op_type: 'StringNormalizer', input: ['c'], output: ['d'] },
        { op_type: 'NonMaxSuppression', input: ['d'], output: ['y'] },
      ];
    });
    const message = refusal(bytes).message;
    expect(message).toMatch(/^importOnnx: the model uses 3 operators chainrule cannot import/);
    expect(message).toContain('NonMaxSuppression (2 nodes)');
    expect(message).toContain('com.microsoft.FusedGemm');
    expect(message).toContain('StringNormalizer');
  });

  it('sorts nodes listed out of order (a DAG all the same)', () => {
    const bytes = model((m) => {
      m.nodes.reverse();
    });
    expect(
      importOnnx(bytes)
        .fn(tensor([2, 2]))[0]
        ?.toArray(),
    ).toEqual([3, 0]);
  });
});

describe('huge declared sizes are refused before anything is allocated', () => {
  const cases: [string, Uint8Array][] = [
    [
      'dims [2^40] with no data',
      model((m) => {
        m.inits = [{ name: 'w', dims: [2 ** 40], data_type: FLOAT }];
      }),
    ],
    [
      'dims [2^20, 2^20] with 8 bytes',
      model((m) => {
        m.inits = [{ name: 'w', dims: [2 ** 20, 2 ** 20], data_type: FLOAT, raw_data: floats(1, 2) }];
      }),
    ],
    [
      'dims [2^28] of FLOAT (1 GiB) with 8 bytes',
      model((m) => {
        m.inits = [{ name: 'w', dims: [2 ** 28], data_type: FLOAT, raw_data: floats(1, 2) }];
      }),
    ],
    [
      'dims [2^27] of INT64 with no data',
      model((m) => {
        m.inits = [{ name: 'w', dims: [2 ** 27], data_type: INT64 }];
      }),
    ],
    [
      'a graph input of dimension 2^40',
      model((m) => {
        m.inputs = [info('x', [2 ** 40])];
      }),
    ],
  ];
  it.each(cases)('%s', (_, bytes) => {
    const before = process.memoryUsage().arrayBuffers;
    const start = performance.now();
    const error = refusal(bytes);
    const elapsed = performance.now() - start;
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(error.message).toMatch(/declares|dimension/);
    // Allocating what the file claims would take ≥ 1 GiB and seconds; the check takes neither.
    expect(grown).toBeLessThan(16 * 2 ** 20);
    expect(elapsed).toBeLessThan(500);
  });
});

describe('calling the imported function', () => {
  const { fn } = importOnnx(
    model((m) => {
      m.inputs = [info('x', ['batch', 2])];
      m.outputs = [info('y', ['batch', 2])];
    }),
  );
  it('accepts any size along a named dimension', () => {
    expect(fn(ones([3, 2]))[0]?.shape).toEqual([3, 2]);
  });
  it.each([
    ['no inputs', () => fn(), /takes 1 input \(x\), got 0/],
    ['the wrong dtype', () => fn(ones([3, 2], { dtype: 'float64' })), /must be float32.*got float64/],
    ['the wrong shape', () => fn(ones([3, 4])), /must have shape \[batch, 2\].*got \[3, 4\]/],
  ])('refuses %s', (_, call, message) => {
    expect(call).toThrow(OnnxImportError);
    expect(call).toThrow(message);
  });
});

it('reads a PyTorch model saved to a file like any other bytes', () => {
  const bytes = readFileSync(fileURLToPath(new URL('./fixtures/mlp.onnx', import.meta.url)));
  expect(importOnnx(bytes).producer).toBe('pytorch');
});

it('a graph that computes a huge shape from its constants is refused when it runs, before allocating', () => {
  const shape = new Uint8Array(BigInt64Array.of(2n ** 20n, 2n ** 20n).buffer);
  const { fn } = importOnnx(
    model((m) => {
      m.nodes = [
        {
          op_type: 'Constant',
          input: [],
          output: ['shape'],
          attribute: [{ name: 'value', type: 4, t: { dims: [2], data_type: INT64, raw_data: shape } }],
        },
        { op_type: 'ConstantOfShape', input: ['shape'], output: ['big'], name: 'fill' },
        { op_type: 'Add', input: ['big', 'x'], output: ['y'] },
      ];
      m.inits = [];
    }),
  );
  const start = performance.now();
  expect(() => fn(ones([2]))).toThrow(
    /'fill' \(ConstantOfShape\): the shape \[1048576, 1048576\] has more than 268435456 elements/,
  );
  expect(performance.now() - start).toBeLessThan(500);
});
