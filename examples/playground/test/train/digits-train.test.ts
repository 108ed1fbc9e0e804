import { describe, expect, it } from 'vitest';
import { loadDigits } from '../../../mnist/src/digits';
import { IN_PAGE_CONFIG, trainDigits } from '../../src/train/digits-train';

describe('trainDigits', () => {
  it('reports its progress up to 1 and returns a network that reads the test digits', () => {
    const seen: number[] = [];
    const config = { ...IN_PAGE_CONFIG, epochs: 2, trainSize: 1000, testSize: 500 };
    const { demo, testAccuracy } = trainDigits(config, (fraction) => seen.push(fraction), loadDigits());
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.every((f, i) => i === 0 || f > (seen[i - 1] as number))).toBe(true);
    expect(seen.at(-1)).toBe(1);
    // Ten classes: chance is 10%. Two epochs on 1,000 digits reach well past 70%.
    expect(testAccuracy).toBeGreaterThan(0.7);
    expect(demo.description).toMatch(
      /^784-64-10 relu, cross-entropy, trained here for 2 epochs, \d+\.\d% on the test digits$/,
    );
  }, 120_000);
});
