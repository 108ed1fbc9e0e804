/**
 * The dtypes PyTorch writes that chainrule has no dtype for: I64 (read as
 * float64), F16 and BF16 (read as float32). The file and the expected values
 * come from PyTorch (fixtures/widened_safetensors.py): the values are what
 * torch reads back from the same tensors, widened to float64 there.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tensor, noGrad, zeros } from '@chainrule/core';
import { Module, SafetensorsError, loadSafetensors, parameter, readSafetensorsHeader } from '../src/index';

const file = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const expected = JSON.parse(readFileSync(new URL('./fixtures/widened.json', import.meta.url), 'utf8')) as {
  tensors: Record<string, { shape: number[]; values: (number | string)[] }>;
};
const asNumber = (v: number | string) => (typeof v === 'number' ? v : Number(v));

describe('safetensors: dtypes read widened', () => {
  it('reads I64 as float64, F16 and BF16 as float32, every value exactly as PyTorch reads it', () => {
    const dict = loadSafetensors(file('widened.safetensors'));
    expect(Object.keys(dict)).toEqual(Object.keys(expected.tensors));
    const dtypes: Record<string, string> = {
      num_batches_tracked: 'float64',
      long: 'float64',
      half: 'float32',
      bfloat: 'float32',
    };
    for (const [name, { shape, values }] of Object.entries(expected.tensors)) {
      const t = dict[name] as Tensor;
      expect(t.dtype).toBe(dtypes[name]);
      expect([...t.shape]).toEqual(shape);
      expect([...t.data()].map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(
        values.map(asNumber).map((v) => (Object.is(v, -0) ? '-0' : v)),
      );
    }
  });

  it('reports the widened dtypes in the header reader', () => {
    const { tensors } = readSafetensorsHeader(file('widened.safetensors'));
    expect(tensors.map((t) => t.dtype)).toEqual(['float64', 'float64', 'float32', 'float32']);
  });

  it('refuses an I64 value past 2^53 with a typed error naming the tensor and the value', () => {
    const read = () => loadSafetensors(file('widened-too-big.safetensors'));
    expect(read).toThrow(SafetensorsError);
    expect(read).toThrow(/tensor 'big' \(I64\) holds 9007199254740993 at element 0; .* exact only within ±2\^53/);
    try {
      read();
    } catch (e) {
      expect((e as SafetensorsError).problem).toBe('out-of-range');
    }
  });

  it('a PyTorch I64 step counter loads into an int32 buffer', () => {
    class Counted extends Module {
      readonly scale = parameter(zeros([1]));
      readonly steps = this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int32' }));
      forward(x: Tensor): Tensor {
        noGrad(() => this.steps.copyFrom(this.steps.add(1)));
        return x.mul(this.scale);
      }
    }
    const m = new Counted();
    const dict = loadSafetensors(file('widened.safetensors'));
    m.loadStateDict({ scale: zeros([1]), num_batches_tracked: dict.num_batches_tracked as Tensor });
    expect(m.steps.dtype).toBe('int32');
    expect(m.steps.item()).toBe(12345);
  });
});
