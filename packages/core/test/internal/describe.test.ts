/**
 * The shared describer and option checks of '@chainrule/core/internal'.
 * Expected strings are written out by hand from the documented format, not
 * produced by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { ArgumentError } from '@chainrule/core';
import { booleanOption, checkOptionKeys, describeList, describeValue, optionsObject } from '@chainrule/core/internal';

describe('describeValue', () => {
  it('shows primitives as themselves, strings quoted', () => {
    expect(describeValue(3)).toBe('3');
    expect(describeValue(-0)).toBe('-0');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue('3')).toBe('"3"');
    expect(describeValue(true)).toBe('true');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(10n)).toBe('the BigInt 10n');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue(() => 1)).toBe('a function');
  });

  it('shows objects by class, with the right article, never calling their toString', () => {
    expect(describeValue({})).toBe('an object');
    expect(describeValue(Object.create(null))).toBe('an object');
    expect(describeValue(new Map())).toBe('a Map');
    expect(describeValue(new Int8Array(2))).toBe('an Int8Array');
    const hostile = {
      toString: () => {
        throw new Error('no');
      },
      constructor: 5,
    };
    expect(describeValue(hostile)).toBe('an object');
  });

  it('never throws: cycles, throwing proxies and long strings', () => {
    const cycle: unknown[] = [1];
    cycle.push(cycle);
    expect(describeValue(cycle)).toBe('[1, [1, an array of length 2]]');
    const trap = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('trap');
        },
      },
    );
    expect(describeValue(trap)).toBe('a value that cannot be shown');
    expect(describeValue('x'.repeat(100))).toBe(`"${'x'.repeat(60)}…"`);
  });

  it('shows arrays by their entries, holes as <empty>, long ones shortened with their length', () => {
    expect(describeValue([1, 0.999])).toBe('[1, 0.999]');
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is being described
    expect(describeList([0, , 1])).toBe('[0, <empty>, 1]');
    expect(describeList(Array.from({ length: 40 }, (_, i) => i))).toBe('[0, 1, 2, 3, 4, 5, …, 39] (40 entries)');
  });
});

describe('options', () => {
  it('refuses an unknown key naming the op and every accepted key', () => {
    expect(() => checkOptionKeys('crossEntropyLoss', { reducton: 'sum' }, ['reduction', 'weight'])).toThrow(
      ArgumentError,
    );
    expect(() => checkOptionKeys('crossEntropyLoss', { reducton: 'sum' }, ['reduction', 'weight'])).toThrow(
      /^crossEntropyLoss: unknown option 'reducton'; accepted: reduction, weight$/,
    );
  });

  it('refuses what is not an options object, and takes undefined as none', () => {
    expect(() => optionsObject<{ a?: number }>('f', 'x' as never, { a: true })).toThrow(
      /^f: options must be an object like \{ name: value \}, got "x"; accepted: a$/,
    );
    expect(() => optionsObject<{ a?: number }>('f', [1] as never, { a: true })).toThrow(ArgumentError);
    expect(optionsObject<{ a?: number }>('f', undefined, { a: true })).toEqual({});
  });

  it('a boolean option takes true, false or its default, and nothing else', () => {
    expect(booleanOption('f', 'shuffle', undefined, true)).toBe(true);
    expect(booleanOption('f', 'shuffle', false, true)).toBe(false);
    expect(() => booleanOption('f', 'shuffle', 'yes', false)).toThrow(
      /^f: option 'shuffle' must be true or false, got "yes"$/,
    );
    expect(() => booleanOption('f', 'shuffle', 1, false)).toThrow(ArgumentError);
  });
});
