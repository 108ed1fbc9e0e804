import { ArgumentError } from '@chainrule/core';
import { describe, expect, it } from 'vitest';
import { toMnist } from '../../src/train/mnist-preprocess';

describe('toMnist', () => {
  it('scales a filled 100 × 50 rectangle to a 20 × 10 block centred by its mass', () => {
    // Ink at columns 30..129 and rows 60..109 of a 200 × 200 canvas. The long side (100)
    // becomes 20 pixels, so the block is 20 wide and 10 tall, every pixel fully covered (1).
    // Its centre of mass, (10, 5) in box coordinates, goes to the frame's centre 14:
    // shifted by (4, 9), the block fills columns 4..23 and rows 9..18.
    const w = 200;
    const ink = new Float32Array(w * w);
    for (let y = 60; y < 110; y++) for (let x = 30; x < 130; x++) ink[y * w + x] = 1;
    const out = toMnist(ink, w, w) as Float32Array;
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const inside = x >= 4 && x <= 23 && y >= 9 && y <= 18;
        expect(out[y * 28 + x], `(${x}, ${y})`).toBeCloseTo(inside ? 1 : 0, 6);
      }
    }
  });

  it('gives grey levels from partial coverage and shifts by the centre of mass, not the box', () => {
    // A 40 × 40 box of ink whose left half is full and right half at 0.5. The box becomes
    // 20 × 20 (scale 1/2): each output pixel averages 2 × 2 source pixels, so columns 0..9
    // are 1 and 10..19 are 0.5. Mass per row: 10·1 + 10·0.5 = 15; the x moment is
    // Σ_{x<10} (x + 0.5) + 0.5·Σ_{10≤x<20} (x + 0.5) = 50 + 0.5·150 = 125, so the centre is
    // 125/15 = 8.33 and the shift round(14 - 8.33) = 6 (the box alone would shift by 4).
    const w = 40;
    const ink = new Float32Array(w * w);
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) ink[y * w + x] = x < 20 ? 1 : 0.5;
    const out = toMnist(ink, w, w) as Float32Array;
    expect(out[14 * 28 + 5]).toBe(0);
    expect(out[14 * 28 + 6]).toBeCloseTo(1, 6);
    expect(out[14 * 28 + 15]).toBeCloseTo(1, 6);
    expect(out[14 * 28 + 16]).toBeCloseTo(0.5, 6);
    expect(out[14 * 28 + 25]).toBeCloseTo(0.5, 6);
    expect(out[14 * 28 + 26]).toBe(0);
    // Vertically the mass is uniform: centre 10, shift 4, rows 4..23.
    expect(out[3 * 28 + 10]).toBe(0);
    expect(out[4 * 28 + 10]).toBeCloseTo(1, 6);
    expect(out[23 * 28 + 10]).toBeCloseTo(1, 6);
    expect(out[24 * 28 + 10]).toBe(0);
  });

  it('keeps the aspect ratio of a tall stroke', () => {
    // A 10 wide, 100 tall bar becomes 2 × 20: two columns of ink, all rows 4..23.
    const w = 120;
    const ink = new Float32Array(w * w);
    for (let y = 10; y < 110; y++) for (let x = 50; x < 60; x++) ink[y * w + x] = 1;
    const out = toMnist(ink, w, w) as Float32Array;
    const inked = [...out.keys()].filter((i) => (out[i] as number) > 0);
    expect(inked.length).toBe(40);
    expect(new Set(inked.map((i) => i % 28))).toEqual(new Set([13, 14]));
  });

  it('returns null for an empty canvas and refuses a wrong size', () => {
    expect(toMnist(new Float32Array(16), 4, 4)).toBeNull();
    expect(() => toMnist(new Float32Array(15), 4, 4)).toThrow(ArgumentError);
    expect(() => toMnist(new Float32Array(15), 4, 4)).toThrow(/^toMnist: expected width × height ink values/);
  });
});
