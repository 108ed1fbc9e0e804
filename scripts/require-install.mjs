// Run before `pnpm demo` (or `pnpm transformer`, with the example's folder
// name as the argument): the examples import the workspace packages, which
// only pnpm's install links. One clear line instead of ERR_MODULE_NOT_FOUND.
import { existsSync } from 'node:fs';

const example = process.argv[2] ?? 'mnist';
const linked = ['core', 'nn', 'optim'].every((p) => existsSync(`examples/${example}/node_modules/@chainrule/${p}`));
if (!existsSync('node_modules/.modules.yaml') || !linked) {
  console.error(
    'The workspace is not installed: run `pnpm install` first (npm install cannot link the workspace packages; `npm install -g pnpm@10` gets pnpm).',
  );
  process.exit(1);
}
