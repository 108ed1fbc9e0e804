/** The problem generator and the tokenizer, against texts and tokens worked out by hand. */
import { Generator } from '@chainrule/core';
import { describe, expect, it } from 'vitest';
import {
  ALPHABET,
  IGNORE,
  ProblemSet,
  answerText,
  decode,
  encode,
  layout,
  problemFromId,
  problemId,
  problemText,
  readAnswer,
  trainingBatch,
} from '../src/problems';

describe('texts', () => {
  it('writes both operands with `digits` characters and the sum with one more, backwards', () => {
    expect(problemText({ a: 37, b: 85 }, 2)).toBe('37+85=221'); // 122 backwards
    expect(problemText({ a: 5, b: 3 }, 2)).toBe('05+03=800'); // 008 backwards
    expect(problemText({ a: 99, b: 99 }, 2)).toBe('99+99=891'); // 198 backwards
    expect(problemText({ a: 0, b: 0 }, 1)).toBe('0+0=00');
    expect(problemText({ a: 999, b: 1 }, 3)).toBe('999+001=0001'); // 1000 backwards
    expect(answerText({ a: 12, b: 30 }, 2)).toBe('240'); // 042 backwards
  });

  it('has the lengths of the layout', () => {
    expect(layout(2)).toEqual({ digits: 2, promptLength: 6, answerLength: 3, length: 9 });
    expect(layout(3)).toEqual({ digits: 3, promptLength: 8, answerLength: 4, length: 12 });
    expect(() => layout(0)).toThrow(RangeError);
    expect(() => layout(2.5)).toThrow(/digits must be an integer from 1 to 7/);
  });

  it('reads an answer back, and refuses text that is not digits + 1 decimal digits', () => {
    expect(readAnswer('221', 2)).toBe(122);
    expect(readAnswer('800', 2)).toBe(8);
    expect(readAnswer('22', 2)).toBeNull();
    expect(readAnswer('2211', 2)).toBeNull();
    expect(readAnswer('2+1', 2)).toBeNull();
    expect(readAnswer('22=', 2)).toBeNull();
  });

  it('numbers each problem a·10^digits + b', () => {
    expect(problemId({ a: 37, b: 85 }, 2)).toBe(3785);
    expect(problemFromId(3785, 2)).toEqual({ a: 37, b: 85 });
    expect(problemFromId(7, 2)).toEqual({ a: 0, b: 7 });
  });
});

describe('tokenizer', () => {
  it('maps digit d to token d, "+" to 10 and "=" to 11', () => {
    expect(ALPHABET).toHaveLength(12);
    expect(encode('37+85=221')).toEqual([3, 7, 10, 8, 5, 11, 2, 2, 1]);
    expect(decode([3, 7, 10, 8, 5, 11, 2, 2, 1])).toBe('37+85=221');
  });

  it('refuses characters and tokens outside the alphabet', () => {
    expect(() => encode('3-4')).toThrow(/'-' is not in the alphabet/);
    expect(() => decode([12])).toThrow(/12 is not a token \(0 to 11\)/);
    expect(() => decode([-1])).toThrow(RangeError);
    expect(() => decode([1.5])).toThrow(RangeError);
  });

  it('makes a batch of inputs (all but the last character) and targets (the next character, answer only)', () => {
    const { inputs, targets } = trainingBatch(
      [
        { a: 37, b: 85 },
        { a: 5, b: 3 },
      ],
      layout(2),
    );
    const _ = IGNORE;
    // "37+85=221": the model reads 3 7 + 8 5 = 2 2 and must write 2 2 1 after "=", "2" and "2".
    // "05+03=800": reads 0 5 + 0 3 = 8 0, writes 8 0 0.
    expect([...inputs]).toEqual([3, 7, 10, 8, 5, 11, 2, 2, 0, 5, 10, 0, 3, 11, 8, 0]);
    expect([...targets]).toEqual([_, _, _, _, _, 2, 2, 1, _, _, _, _, _, 8, 0, 0]);
  });
});

describe('ProblemSet', () => {
  it('holds out testSize distinct problems and never samples them for training', () => {
    const set = new ProblemSet(2, 500, new Generator(1));
    expect(set.test).toHaveLength(500);
    expect(new Set(set.test.map((p) => problemId(p, 2))).size).toBe(500);
    expect(set.trainSize).toBe(9500);
    const g = new Generator(2);
    const drawn = set.sample(5000, g);
    expect(drawn).toHaveLength(5000);
    expect(drawn.some((p) => set.isTest(p))).toBe(false);
    for (const p of [...drawn, ...set.test]) {
      expect(Number.isInteger(p.a) && p.a >= 0 && p.a < 100).toBe(true);
      expect(Number.isInteger(p.b) && p.b >= 0 && p.b < 100).toBe(true);
    }
    // 5000 draws from 9500 problems: about 3900 distinct, far from a stuck generator.
    expect(new Set(drawn.map((p) => problemId(p, 2))).size).toBeGreaterThan(3500);
  });

  it('draws the same split and batches from the same seed, and another from another', () => {
    const ids = (seed: number) => {
      const g = new Generator(seed);
      const set = new ProblemSet(2, 100, g);
      return [...set.test, ...set.sample(20, g)].map((p) => problemId(p, 2));
    };
    expect(ids(3)).toEqual(ids(3));
    expect(ids(4)).not.toEqual(ids(3));
  });

  it('draws large problem spaces at random (4 digits: 10^8 problems) and still never a held-out one', () => {
    const g = new Generator(5);
    const set = new ProblemSet(4, 2000, g);
    expect(set.test).toHaveLength(2000);
    const drawn = set.sample(2000, g);
    expect(drawn.some((p) => set.isTest(p))).toBe(false);
    expect(drawn.every((p) => p.a < 10_000 && p.b < 10_000)).toBe(true);
  });

  it('refuses a test set of more than half the problems', () => {
    expect(() => new ProblemSet(1, 51, new Generator(0))).toThrow(/1 to 50 problems \(half of the 100 there are\)/);
    expect(() => new ProblemSet(1, 0, new Generator(0))).toThrow(RangeError);
  });
});
