/** This example's CLI, run as a separate process (see test/support/cli-process.ts). */
import { cliRunner } from '../../../test/support/cli-process';

export type { CliResult } from '../../../test/support/cli-process';
export const runCli = cliRunner(new URL('..', import.meta.url));
