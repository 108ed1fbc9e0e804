/**
 * Regression test for issue 25 ("correct under misuse"): a safetensors
 * header whose shape holds a 0 and a dimension too large for a tensor
 * ([0, 2**40]) claims 0 bytes, matched its empty byte range, and reached
 * tensor(), which refused it with a ShapeError naming 'tensor'. The reader
 * now checks each dimension (a non-negative safe integer no larger than a
 * typed array can index, 2**31 - 1, core's own limit) before any tensor is
 * built, and refuses with a SafetensorsError of problem 'shape'.
 */
import { describe, expect, it } from 'vitest';
import { SafetensorsError, loadSafetensors, readSafetensorsHeader } from '../src/index';
import { safetensorsFile } from './fuzz/safetensors-file';

const empty = (shape: number[]) =>
  safetensorsFile({ t: { dtype: 'F32', shape, data_offsets: [0, 0] } }, new Uint8Array(0));

function refusal(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('a header shape with a dimension no tensor can have', () => {
  for (const shape of [
    [0, 2 ** 40],
    [2 ** 31, 0],
    [0, 2 ** 53 - 1, 3],
  ]) {
    it(`[${shape.join(', ')}] is a SafetensorsError 'shape' from loadSafetensors and readSafetensorsHeader`, () => {
      for (const read of [loadSafetensors, readSafetensorsHeader]) {
        const error = refusal(() => read(empty(shape)));
        expect(error).toBeInstanceOf(SafetensorsError);
        expect(error).toMatchObject({ op: 'loadSafetensors', problem: 'shape' });
        expect((error as Error).message).toMatch(
          /^loadSafetensors: tensor 't' has shape \[.*\]; a dimension of \d+ is more than a tensor can hold \(at most 2147483647\)$/,
        );
      }
    });
  }

  it('the largest dimension a tensor may have, beside a 0, still loads (an empty tensor)', () => {
    // 2**31 - 1 is what core's checkShape allows per dimension.
    expect(loadSafetensors(empty([0, 2 ** 31 - 1]))['t']?.shape).toEqual([0, 2 ** 31 - 1]);
  });
});
