/**
 * transformer: train a small character-level transformer to add numbers
 * written as text ("37+85=221", the sum reversed), from generated problems.
 *
 *   tsx --conditions=@chainrule/source src/cli.ts [options]
 *
 * `pnpm transformer` at the repository root runs this file and passes flags through.
 */
import { program } from './program';

/** pnpm versions differ on whether `pnpm transformer -- --digits 3` forwards the "--"; either way it means no more than the flags after it. */
function argumentsOf(argv: readonly string[]): string[] {
  const args = argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

try {
  await program().parseAsync(argumentsOf(process.argv), { from: 'user' });
} catch (e) {
  // A problem with the run (a diverged training, an unwritable folder), not a bug: one line, no stack.
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
