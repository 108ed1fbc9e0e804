/**
 * The task and its alphabet: addition problems of two `digits`-digit numbers
 * written as characters, e.g. with 2 digits "37+85=221" — both operands
 * zero-padded to `digits` characters and the sum to `digits + 1`, written
 * least significant digit first (122 reversed). The reversal is what makes
 * the task quick to learn: a transformer writes one character at a time
 * from left to right, and addition produces its digits right to left (the
 * carry flows from the ones to the tens), so with the sum reversed every
 * digit depends only on digits already seen and the carry just written.
 * Fixed widths put every digit at a fixed position, so the model needs no
 * end-of-sequence token and position embeddings line the operands up.
 */
import type { Generator } from '@chainrule/core';

/** The characters the model reads and writes; a token is an index into this string. */
export const ALPHABET = '0123456789+=';
export const PLUS = ALPHABET.indexOf('+');
export const EQUALS = ALPHABET.indexOf('=');
/** The label crossEntropyLoss skips: the prompt's characters are given, not predicted. */
export const IGNORE = -100;

/** One problem: the operands and their sum. */
export interface Problem {
  a: number;
  b: number;
}

/** The lengths of a problem's pieces for `digits`-digit operands. */
export interface Layout {
  digits: number;
  /** "37+85=": 2·digits + 2 characters. */
  promptLength: number;
  /** The sum's digits + 1 characters. */
  answerLength: number;
  /** The whole text, prompt and answer. */
  length: number;
}

export function layout(digits: number): Layout {
  if (!Number.isSafeInteger(digits) || digits < 1 || digits > 7) {
    // 7 digits keep every operand pair (10^14) below 2^53, so problems stay exact integers.
    throw new RangeError(`digits must be an integer from 1 to 7, got ${digits}`);
  }
  const promptLength = 2 * digits + 2;
  return { digits, promptLength, answerLength: digits + 1, length: promptLength + digits + 1 };
}

/** Characters to tokens; throws on a character outside ALPHABET. */
export function encode(text: string): number[] {
  return Array.from(text, (c) => {
    const t = ALPHABET.indexOf(c);
    if (t < 0) throw new RangeError(`'${c}' is not in the alphabet "${ALPHABET}"`);
    return t;
  });
}

/** Tokens to characters; throws on a token outside ALPHABET. */
export function decode(tokens: Iterable<number>): string {
  let text = '';
  for (const t of tokens) {
    const c = ALPHABET[t];
    if (c === undefined || !Number.isInteger(t))
      throw new RangeError(`${t} is not a token (0 to ${ALPHABET.length - 1})`);
    text += c;
  }
  return text;
}

/** "37+85=" for 2 digits. */
export function promptText(p: Problem, digits: number): string {
  return `${pad(p.a, digits)}+${pad(p.b, digits)}=`;
}

/** The sum as the model writes it: digits + 1 characters, least significant first ("221" for 122). */
export function answerText(p: Problem, digits: number): string {
  return reverse(pad(p.a + p.b, digits + 1));
}

/** The whole training text, "37+85=221". */
export function problemText(p: Problem, digits: number): string {
  return promptText(p, digits) + answerText(p, digits);
}

/**
 * Reads a written answer back as a number ("221" → 122), or null when it is
 * not `digits + 1` decimal digits.
 */
export function readAnswer(text: string, digits: number): number | null {
  if (text.length !== digits + 1 || !/^[0-9]+$/.test(text)) return null;
  return Number(reverse(text));
}

/**
 * Every problem as one number, a·10^digits + b, so that a set of problems
 * is a set of integers.
 */
export function problemId(p: Problem, digits: number): number {
  return p.a * 10 ** digits + p.b;
}

export function problemFromId(id: number, digits: number): Problem {
  const base = 10 ** digits;
  return { a: Math.floor(id / base), b: id % base };
}

/**
 * A seeded split of the problems into a held-out test set of `testSize`
 * problems and everything else for training. With 2 digits there are only
 * 10,000 problems, so the training set is listed; with more, training draws
 * fresh problems at random and rejects the held-out ones.
 */
export class ProblemSet {
  readonly layout: Layout;
  readonly test: readonly Problem[];
  readonly #testIds: Set<number>;
  /** Every training problem's id, when there are few enough to list (≤ 10^6). */
  readonly #trainIds: Int32Array | null;
  readonly #count: number;

  constructor(digits: number, testSize: number, generator: Generator) {
    this.layout = layout(digits);
    this.#count = 10 ** (2 * digits);
    if (!Number.isSafeInteger(testSize) || testSize < 1 || testSize > this.#count / 2) {
      throw new RangeError(
        `the test set must hold 1 to ${this.#count / 2} problems (half of the ${this.#count} there are), got ${testSize}`,
      );
    }
    if (this.#count <= 1_000_000) {
      const order = generator.permutation(this.#count);
      this.#testIds = new Set(order.subarray(0, testSize));
      this.#trainIds = order.slice(testSize);
    } else {
      this.#testIds = new Set();
      while (this.#testIds.size < testSize) this.#testIds.add(this.#randomId(generator));
      this.#trainIds = null;
    }
    this.test = [...this.#testIds].map((id) => problemFromId(id, digits));
  }

  /** How many problems training may draw from. */
  get trainSize(): number {
    return this.#count - this.#testIds.size;
  }

  /** Whether `p` is held out. */
  isTest(p: Problem): boolean {
    return this.#testIds.has(problemId(p, this.layout.digits));
  }

  /** `n` training problems drawn uniformly (with replacement), never a held-out one. */
  sample(n: number, generator: Generator): Problem[] {
    const out: Problem[] = [];
    const digits = this.layout.digits;
    while (out.length < n) {
      if (this.#trainIds !== null) {
        out.push(problemFromId(this.#trainIds[generator.integer(this.#trainIds.length)] as number, digits));
        continue;
      }
      const id = this.#randomId(generator);
      if (!this.#testIds.has(id)) out.push(problemFromId(id, digits));
    }
    return out;
  }

  #randomId(generator: Generator): number {
    // Two draws of 10^digits each: Generator.integer's range stays small and exact.
    const base = 10 ** this.layout.digits;
    return generator.integer(base) * base + generator.integer(base);
  }
}

/**
 * A batch as the model trains on it: `inputs` [n, length − 1] are the
 * characters but the last, `targets` [n, length − 1] the character after
 * each, IGNORE where that character is still part of the prompt (only the
 * answer is learned), both row-major int32.
 */
export function trainingBatch(problems: readonly Problem[], l: Layout): { inputs: Int32Array; targets: Int32Array } {
  const width = l.length - 1;
  const inputs = new Int32Array(problems.length * width);
  const targets = new Int32Array(problems.length * width);
  problems.forEach((p, row) => {
    const tokens = encode(problemText(p, l.digits));
    for (let i = 0; i < width; i++) {
      inputs[row * width + i] = tokens[i] as number;
      targets[row * width + i] = i + 1 >= l.promptLength ? (tokens[i + 1] as number) : IGNORE;
    }
  });
  return { inputs, targets };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function reverse(s: string): string {
  return Array.from(s).reverse().join('');
}
