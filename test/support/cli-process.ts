/**
 * Runs an example's CLI as a person does: a separate process through tsx,
 * with the source condition, so a test sees exit codes, stdout and stderr
 * exactly as a terminal would. Shared by the examples' test suites.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A `runCli(args)` for the example whose package root is `root` (its CLI is `src/cli.ts`). */
export function cliRunner(root: URL): (args: readonly string[]) => Promise<CliResult> {
  const packageRoot = fileURLToPath(root);
  const tsx = join(packageRoot, 'node_modules', '.bin', 'tsx');
  const cli = join(packageRoot, 'src', 'cli.ts');
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        tsx,
        ['--conditions=@chainrule/source', cli, ...args],
        { cwd: packageRoot, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== 'number') {
            reject(error);
            return;
          }
          resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
        },
      );
    });
}
