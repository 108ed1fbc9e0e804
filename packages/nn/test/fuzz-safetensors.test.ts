/**
 * Hostile safetensors files: random bytes, and mutations of valid files
 * (truncated, lying header lengths up to 2⁶⁴ - 1, offsets out of range,
 * reversed or overlapping, dtypes and shapes that do not match the bytes,
 * huge claimed shapes, trailing bytes, flipped bytes). Each is rejected with
 * a SafetensorsError naming the failed check, or, where the mutation left a
 * valid file, decoded consistently with its header. Loading one into a
 * module either copies every tensor or changes nothing. Memory: a hostile
 * load allocates nothing proportional to what the file claims.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc, { type Arbitrary } from 'fast-check';
import { Tensor, tensor, type DType } from '@chainrule/core';
import {
  Linear,
  SafetensorsError,
  Sequential,
  Sigmoid,
  loadSafetensors,
  readSafetensorsHeader,
  saveSafetensors,
  type StateDict,
} from '../src/index';
import { attempt, snapshotTensors } from './fuzz/contract';
import { safetensorsFile } from './fuzz/safetensors-file';

const runs = { numRuns: Number(process.env['FUZZ_RUNS'] ?? 150) };
const problems = [
  'truncated',
  'header-too-large',
  'header-json',
  'dtype',
  'shape',
  'offsets',
  'size-mismatch',
  'trailing-data',
];

const arbEntry: Arbitrary<Tensor> = fc
  .record({
    shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
    dtype: fc.constantFrom<DType>('float32', 'float64', 'int32', 'bool'),
  })
  .chain(({ shape, dtype }) => {
    const n = shape.reduce((a, d) => a * d, 1);
    return fc.array(fc.integer({ min: -9, max: 9 }), { minLength: n, maxLength: n }).map((xs) =>
      tensor(
        Float64Array.from(xs, (x) => (dtype === 'bool' ? Math.abs(x) % 2 : x / 4)),
        { shape, dtype },
      ),
    );
  });
const arbDict: Arbitrary<StateDict> = fc.dictionary(
  fc.constantFrom('w', 'b', '0.weight', 'x.y', '__proto__', 'é'),
  arbEntry,
  { maxKeys: 4 },
);

/** The parts of a safetensors file: the header object and the data bytes. */
function split(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return {
    header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>,
    data: bytes.subarray(8 + n),
  };
}

type Mutation = (bytes: Uint8Array, r: number[]) => Uint8Array;
const pick = <T>(xs: readonly T[], r: number): T => xs[Math.floor(r * xs.length) % xs.length] as T;
const entries = (h: Record<string, unknown>) =>
  Object.entries(h).filter(([k]) => k !== '__metadata__') as [
    string,
    { dtype: unknown; shape: unknown; data_offsets: unknown },
  ][];

const mutations: Record<string, Mutation> = {
  truncate: (b, [r]) => b.subarray(0, Math.floor((r as number) * b.length)),
  lyingLength: (b, [r]) => {
    const out = b.length >= 8 ? b.slice() : new Uint8Array(8);
    const lies = [
      0n,
      1n,
      7n,
      BigInt(b.length),
      2n ** 32n,
      4n * 2n ** 30n,
      2n ** 53n + 1n,
      2n ** 64n - 1n,
      100_000_001n,
    ];
    new DataView(out.buffer).setBigUint64(0, pick(lies, r as number), true);
    return out;
  },
  flipByte: (b, [r, s]) => {
    const out = b.slice();
    if (out.length > 0) out[Math.floor((r as number) * out.length) % out.length] = Math.floor((s as number) * 256);
    return out;
  },
  trailing: (b, [r]) => {
    const out = new Uint8Array(b.length + 1 + Math.floor((r as number) * 9));
    out.set(b);
    return out;
  },
  offsets: (b, [r, s]) => {
    const { header, data } = split(b);
    const all = entries(header);
    if (all.length === 0) return safetensorsFile({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, data);
    const [, info] = pick(all, r as number);
    const [begin, end] = info.data_offsets as [number, number];
    const wrong: unknown[] = [
      [end, begin],
      [begin + 1, end + 1],
      [0, data.length + 4],
      [begin, 2 ** 53],
      [-4, end],
      [begin, end + 0.5],
      ['0', end],
      [begin],
      null,
      [begin, end, 0],
      [0, end - begin],
    ];
    info.data_offsets = pick(wrong, s as number);
    return safetensorsFile(header, data);
  },
  dtype: (b, [r, s]) => {
    const { header, data } = split(b);
    const all = entries(header);
    if (all.length > 0)
      pick(all, r as number)[1].dtype = pick(
        ['F32', 'F64', 'I32', 'BOOL', 'F16', 'BF16', 'I64', 'f32', '', 7, null],
        s as number,
      );
    return safetensorsFile(header, data);
  },
  shape: (b, [r, s]) => {
    const { header, data } = split(b);
    const all = entries(header);
    if (all.length > 0)
      pick(all, r as number)[1].shape = pick(
        [
          [2 ** 26, 2 ** 26],
          [1e9, 1e9, 1e9],
          [2 ** 53, 2],
          [-1],
          [1.5],
          ['2'],
          [],
          Array(40).fill(1),
          'x',
          [0, 2 ** 60],
        ],
        s as number,
      );
    return safetensorsFile(header, data);
  },
  json: (b, [r]) => {
    const { data } = split(b);
    const texts = [
      '',
      '[]',
      'null',
      '{"a":',
      '{"a": 1}',
      '{"__metadata__": {"k": 1}}',
      '{"a": {"dtype": "F32"}}',
      '\u00ff\u00fe',
    ];
    const json = new TextEncoder().encode(pick(texts, r as number));
    const out = new Uint8Array(8 + json.length + data.length);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    out.set(data, 8 + json.length);
    return out;
  },
};

/** Loads `bytes`: a SafetensorsError naming a known check, or a dict consistent with the header. */
function checkLoad(bytes: Uint8Array): StateDict | null {
  const out = attempt(['loadSafetensors'], () => loadSafetensors(bytes));
  if (!out.ok) {
    expect(out.error).toBeInstanceOf(SafetensorsError);
    expect(problems).toContain((out.error as SafetensorsError).problem);
    return null;
  }
  const header = readSafetensorsHeader(bytes);
  expect(Object.keys(out.value).sort()).toEqual(header.tensors.map((t) => t.name).sort());
  for (const t of header.tensors) {
    const loaded = out.value[t.name] as Tensor;
    expect([loaded.dtype, ...loaded.shape]).toEqual([t.dtype, ...t.shape]);
  }
  return out.value;
}

describe('fuzz: hostile safetensors bytes', () => {
  it('random bytes are refused with a SafetensorsError (or, rarely, are a valid file)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void checkLoad(bytes)),
      runs,
    );
  });

  it('random bytes after a header length that fits the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 200 }), (body, n) => {
        const bytes = new Uint8Array(8 + body.length);
        new DataView(bytes.buffer).setBigUint64(0, BigInt(Math.min(n, body.length)), true);
        bytes.set(body, 8);
        checkLoad(bytes);
      }),
      runs,
    );
  });

  it('every mutation of a valid file is refused with a typed error naming the check, or decodes consistently', () => {
    const names = Object.keys(mutations);
    fc.assert(
      fc.property(
        arbDict,
        fc.array(
          fc.tuple(
            fc.constantFrom(...names),
            fc.double({ min: 0, max: 1, noNaN: true }),
            fc.double({ min: 0, max: 1, noNaN: true }),
          ),
          { minLength: 1, maxLength: 3 },
        ),
        (dict, steps) => {
          let bytes = saveSafetensors(dict);
          for (const [name, r, s] of steps) {
            // A mutation that needs to parse the header applies only while the file still has one.
            const parsable = attempt(['loadSafetensors'], () => readSafetensorsHeader(bytes)).ok;
            if (!parsable && !['truncate', 'lyingLength', 'flipByte', 'trailing'].includes(name)) continue;
            bytes = (mutations[name] as Mutation)(bytes, [r, s]);
          }
          checkLoad(bytes);
        },
      ),
      runs,
    );
  });

  it('a module loads a mutated file completely, or refuses it and keeps every parameter as it was', () => {
    const names = Object.keys(mutations);
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (name, r, s) => {
          const source = new Sequential(new Linear(2, 3), new Sigmoid(), new Linear(3, 1));
          const target = new Sequential(new Linear(2, 3), new Sigmoid(), new Linear(3, 1));
          const bytes = (mutations[name] as Mutation)(saveSafetensors(source.stateDict()), [r, s]);
          const params = target.parameters();
          const before = snapshotTensors(params);
          const out = attempt(['loadSafetensors', 'loadStateDict'], () => target.loadStateDict(loadSafetensors(bytes)));
          if (!out.ok) {
            expect(snapshotTensors(params)).toEqual(before);
            return;
          }
          const loaded = loadSafetensors(bytes);
          target
            .namedParameters()
            .forEach(([n, p]) =>
              expect(Array.from(p.data())).toEqual(Array.from((loaded[n] as Tensor).to('float32').data())),
            );
        },
      ),
      runs,
    );
  });
});

describe('memory of hostile loads is bounded by the real file size', () => {
  // Measured in a separate node process with --expose-gc (memory/hostile-loads.ts):
  // a full GC before each load, then process.memoryUsage() right after it, so the
  // growth of arrayBuffers is what the load allocated and has not freed. Every
  // claim below is at least 2 GiB, and nothing is allowed beyond 1 MiB.
  const script = fileURLToPath(new URL('./memory/hostile-loads.ts', import.meta.url));
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--conditions=@chainrule/source', '--import', 'tsx', script],
    { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8' },
  );
  const results = run.stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map(
      (l) =>
        JSON.parse(l) as { what: string; fileBytes: number; problem: string; arrayBuffers: number; heapUsed: number },
    );
  const mib = 2 ** 20;

  it('the measuring script ran and reported every case', () => {
    expect(run.stderr).toBe('');
    expect(results).toHaveLength(8);
  });

  const expected: [string, string][] = [
    ['a 4 GiB claimed header', 'header-too-large'],
    ['a 2^64 - 1 claimed header', 'header-too-large'],
    ['a 99 MB claimed header in a 100-byte file', 'truncated'],
    ['a [2^15, 2^15] F32 tensor (4 GiB) over 16 bytes', 'size-mismatch'],
    ['a [2^28] F64 tensor (2 GiB) with offsets claiming 2 GiB', 'offsets'],
    ['a [2^50] BOOL tensor (1 PiB) over 16 bytes', 'size-mismatch'],
    ['1000 tensors of [2^20, 2^20] over 16 bytes', 'size-mismatch'],
  ];
  for (const [what, problem] of expected) {
    it(`${what}: refused as '${problem}', allocating no array buffer and a heap proportional to the file only`, () => {
      const r = results.find((x) => x.what === what);
      expect(r?.problem).toBe(problem);
      expect(r?.arrayBuffers).toBeLessThan(mib);
      // Parsing the JSON header costs heap in proportion to the header's real size (at most ~10×).
      expect(r?.heapUsed).toBeLessThan(16 * (r?.fileBytes ?? 0) + mib);
    });
  }

  it('a valid 8 MiB file allocates its decoded tensor: at least its size, at most three times it', () => {
    const r = results.find((x) => x.what === 'a valid file of 8 MiB of F64 data');
    expect(r?.problem).toBe('none');
    // The instrument sees a real allocation (allowing for a few small buffers the GC may free meanwhile).
    expect(r?.arrayBuffers).toBeGreaterThanOrEqual(7.5 * mib);
    expect(r?.arrayBuffers).toBeLessThan(3 * (r?.fileBytes ?? 0));
  });
});
