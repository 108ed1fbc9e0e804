/**
 * Bad input on the command line: one line on stderr that names the problem
 * and a non-zero exit status, never a stack trace, and nothing written. The
 * whole table runs in this process against the real command definition; a
 * few cases also run as separate processes, for the exit status and stderr a
 * person sees.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { program } from '../src/program';
import { runCli } from './run-cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'chainrule-mnist-errors-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Parses `args` as the CLI would; returns what went to stderr and the exit code commander chose. */
async function reject(args: string[]): Promise<{ stderr: string; exitCode: number }> {
  let stderr = '';
  const cli = program({ exitOverride: true, writeErr: (text) => (stderr += text), writeOut: () => undefined });
  const error: unknown = await cli.parseAsync(args, { from: 'user' }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CommanderError);
  return { stderr, exitCode: (error as CommanderError).exitCode };
}

const cases: [string, string[], RegExp][] = [
  [
    'a negative learning rate',
    ['--lr', '-1'],
    /^error: option '--lr <rate>' argument '-1' is invalid\. It must be greater than 0\.$/,
  ],
  ['a learning rate of 0', ['--lr', '0'], /--lr <rate>.*It must be greater than 0/],
  [
    'a learning rate that is not a number',
    ['--lr', 'fast'],
    /--lr <rate>' argument 'fast' is invalid\. Expected a number/,
  ],
  ['trailing junk after a number', ['--lr', '0.1x'], /--lr <rate>' argument '0\.1x' is invalid/],
  ['an infinite learning rate', ['--lr', '1e999'], /--lr <rate>' argument '1e999' is invalid/],
  ['batch size 0', ['--batch-size', '0'], /--batch-size <n>' argument '0' is invalid\. It must be at least 1\.$/],
  [
    'a fractional epoch count',
    ['--epochs', '2.5'],
    /--epochs <n>' argument '2\.5' is invalid\. Expected a whole number\.$/,
  ],
  ['epochs in words', ['--epochs', 'two'], /--epochs <n>' argument 'two' is invalid\. Expected a whole number\.$/],
  [
    'an unknown optimizer',
    ['--optimizer', 'lbfgs'],
    /--optimizer <name>' argument 'lbfgs' is invalid\. Allowed choices are sgd, momentum, nesterov, adam, adamw\.$/,
  ],
  [
    'an unknown loss',
    ['--loss', 'hinge'],
    /--loss <name>' argument 'hinge' is invalid\. Allowed choices are mse, cross-entropy\.$/,
  ],
  ['an unknown activation', ['--activation', 'gelu'], /--activation <name>' argument 'gelu' is invalid/],
  ['hidden sizes that are not numbers', ['--hidden', '128,big'], /--hidden <sizes>' argument '128,big' is invalid/],
  ['a hidden layer of width 0', ['--hidden', '0'], /--hidden <sizes>' argument '0' is invalid/],
  [
    'a momentum of 1',
    ['--optimizer', 'momentum', '--momentum', '1'],
    /--momentum <m>' argument '1' is invalid\. It must be at least 0 and below 1\.$/,
  ],
  [
    'a negative weight decay',
    ['--weight-decay', '-0.1'],
    /--weight-decay <wd>' argument '-0\.1' is invalid\. It must be 0 or more\.$/,
  ],
  ['a negative seed', ['--seed', '-3'], /--seed <n>' argument '-3' is invalid/],
  ['a test size of 0', ['--test-size', '0'], /--test-size <n>' argument '0' is invalid/],
  [
    'more digits than there are',
    ['--train-size', '9000', '--test-size', '2000'],
    /^error: --train-size 9000 and --test-size 2000 add up to more than the 10000 digits there are$/,
  ],
  ['an unknown flag', ['--epoch', '3'], /^error: unknown option '--epoch' \(Did you mean --epochs\?\)$/],
  ['a missing value', ['--lr'], /^error: option '--lr <rate>' argument missing$/],
];

describe('bad flags', () => {
  it.each(cases)('%s: one line, exit status 1', async (_, args, message) => {
    const out = join(dir, 'never');
    const { stderr, exitCode } = await reject(['train', '--out', out, ...args]);
    expect(exitCode).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('a mistyped command is named, with the ones there are', async () => {
    const { stderr, exitCode } = await reject(['evalute', 'runs/mnist/model.safetensors']);
    expect(exitCode).toBe(1);
    expect(stderr).toBe("error: unknown command 'evalute'; the commands are train, evaluate and split (see --help)\n");
  });

  it('split refuses more digits than there are, too', async () => {
    const { stderr, exitCode } = await reject(['split', join(dir, 'split.json'), '--train-size', '9999']);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/^error: --train-size and --test-size add up to more than the 10000 digits there are\n$/);
  });
});

describe('as a separate process', () => {
  const spawned: [string, string[], RegExp][] = [
    [
      'a negative learning rate',
      ['--lr', '-1'],
      /^error: option '--lr <rate>' argument '-1' is invalid\. It must be greater than 0\.\n$/,
    ],
    [
      'batch size 0',
      ['--batch-size', '0'],
      /^error: option '-b, --batch-size <n>' argument '0' is invalid\. It must be at least 1\.\n$/,
    ],
    [
      'an unknown optimizer',
      ['--optimizer', 'rmsprop'],
      /^error: option '--optimizer <name>' argument 'rmsprop' is invalid\. Allowed choices are sgd, momentum, nesterov, adam, adamw\.\n$/,
    ],
    [
      'a non-numeric value',
      ['--epochs', 'ten'],
      /^error: option '-e, --epochs <n>' argument 'ten' is invalid\. Expected a whole number\.\n$/,
    ],
  ];

  it.concurrent.each(spawned)(
    '%s: stderr is one line, the status 1, stdout empty',
    async (_, args, message) => {
      const result = await runCli(['--out', join(dir, 'never'), ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    },
    120_000,
  );

  it.concurrent('evaluate with a missing weights file says where it looked and what to do', async () => {
    const result = await runCli(['evaluate', join(dir, 'nothing-here.safetensors')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: no weights at .*nothing-here\.safetensors; train first .*\n$/);
  }, 120_000);

  it.concurrent('evaluate with a file that is not safetensors gives one line, no stack', async () => {
    const result = await runCli(['evaluate', join(import.meta.dirname, 'errors.test.ts')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: [^\n]+\n$/);
  }, 120_000);
});

describe('--help', () => {
  it('documents every command and flag', async () => {
    let out = '';
    const cli = program({ exitOverride: true, writeOut: (text) => (out += text), writeErr: () => undefined });
    await expect(cli.parseAsync(['--help'], { from: 'user' })).rejects.toMatchObject({ exitCode: 0 });
    for (const word of [
      'train',
      'evaluate',
      'split',
      '--epochs',
      '--batch-size',
      '--lr',
      '--hidden',
      '--activation',
      '--loss',
      '--optimizer',
      '--momentum',
      '--weight-decay',
      '--seed',
      '--train-size',
      '--test-size',
      '--out',
      '--no-progress',
    ]) {
      expect(out).toContain(word);
    }
    expect(out).toContain('(default: 30)');
  });
});
