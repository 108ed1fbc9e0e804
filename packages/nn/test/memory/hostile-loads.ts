/**
 * Measures the memory that loading hostile safetensors files allocates. Run
 * by fuzz-safetensors.test.ts in its own node process with --expose-gc, so
 * that a full GC before each load removes every earlier buffer from the
 * count: process.memoryUsage().arrayBuffers then grows by exactly what the
 * load keeps or has not yet freed (nothing is collected between the load and
 * the reading, which follows it at once). Prints one JSON line per case.
 */
import { tensor } from '@chainrule/core';
import { SafetensorsError, loadSafetensors, saveSafetensors } from '../../src/index';
import { safetensorsFile } from '../fuzz/safetensors-file';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const data = new Uint8Array(16);
const header = { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } };
const cases: [string, Uint8Array][] = [
  ['a 4 GiB claimed header', safetensorsFile(header, data, 4n * 2n ** 30n)],
  ['a 2^64 - 1 claimed header', safetensorsFile(header, data, 2n ** 64n - 1n)],
  ['a 99 MB claimed header in a 100-byte file', safetensorsFile(header, data, 99_000_000n)],
  [
    'a [2^15, 2^15] F32 tensor (4 GiB) over 16 bytes',
    safetensorsFile({ w: { dtype: 'F32', shape: [2 ** 15, 2 ** 15], data_offsets: [0, 16] } }, data),
  ],
  [
    'a [2^28] F64 tensor (2 GiB) with offsets claiming 2 GiB',
    safetensorsFile({ w: { dtype: 'F64', shape: [2 ** 28], data_offsets: [0, 2 ** 31] } }, data),
  ],
  [
    'a [2^50] BOOL tensor (1 PiB) over 16 bytes',
    safetensorsFile({ w: { dtype: 'BOOL', shape: [2 ** 50], data_offsets: [0, 16] } }, data),
  ],
  [
    '1000 tensors of [2^20, 2^20] over 16 bytes',
    safetensorsFile(
      Object.fromEntries(
        Array.from({ length: 1000 }, (_, i) => [
          `t${i}`,
          { dtype: 'F64', shape: [2 ** 20, 2 ** 20], data_offsets: [0, 16] },
        ]),
      ),
      data,
    ),
  ],
];

function measure(what: string, bytes: Uint8Array): void {
  gc?.();
  const before = process.memoryUsage();
  let problem = 'none';
  let kept: unknown = null;
  try {
    kept = loadSafetensors(bytes);
  } catch (e) {
    problem = e instanceof SafetensorsError ? e.problem : `raw ${e instanceof Error ? e.constructor.name : typeof e}`;
  }
  const after = process.memoryUsage();
  console.log(
    JSON.stringify({
      what,
      fileBytes: bytes.length,
      problem,
      arrayBuffers: after.arrayBuffers - before.arrayBuffers,
      heapUsed: after.heapUsed - before.heapUsed,
      kept: kept !== null,
    }),
  );
}

for (const [what, bytes] of cases) measure(what, bytes);
// A valid file: its decoded tensor is counted, about its own size.
measure('a valid file of 8 MiB of F64 data', saveSafetensors({ w: tensor(new Float64Array(2 ** 20).fill(0.5)) }));
