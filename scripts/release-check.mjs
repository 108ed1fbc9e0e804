// `pnpm release:check`: packs every package as it would be published (pnpm
// pack turns `workspace:` ranges into real ones) and lints the tarballs with
// publint (package.json and files) and "Are the Types Wrong?" (types for
// every entry point under node10, node16-CJS, node16-ESM and bundler
// resolution). Needs `pnpm build` first. Exits non-zero on any problem.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const packages = ['core', 'nn', 'optim', 'onnx'];
const out = mkdtempSync(join(tmpdir(), 'chainrule-release-'));
let failed = false;

// nn and optim take core as a peer with a plain range, not `workspace:^`:
// Changesets would otherwise release every peer bump of core as a major
// version of nn and optim (see .changeset/config.json). The price is this
// check: the range must admit the core it is released with.
const manifest = (p) => JSON.parse(readFileSync(`packages/${p}/package.json`, 'utf8'));
const coreVersion = manifest('core').version;
for (const p of ['nn', 'optim', 'onnx']) {
  const range = manifest(p).peerDependencies?.['@chainrule/core'];
  const [major, minor] = coreVersion.split('.');
  const expected = major === '0' ? `^0.${minor}.0` : `^${major}.0.0`;
  if (range !== expected) {
    failed = true;
    console.log(
      `FAIL peer range: @chainrule/${p} takes @chainrule/core "${range}", expected "${expected}" for core ${coreVersion}`,
    );
  } else console.log(`ok   peer range @chainrule/${p} -> @chainrule/core ${range}`);
}
try {
  for (const p of packages) {
    if (!existsSync(`packages/${p}/dist/index.js`)) {
      console.error(`packages/${p}/dist is missing: run \`pnpm build\` first`);
      process.exit(1);
    }
    execFileSync('pnpm', ['pack', '--pack-destination', out], {
      cwd: `packages/${p}`,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  for (const tarball of readdirSync(out).sort()) {
    const file = join(out, tarball);
    for (const [tool, args] of [
      ['publint', ['run', file, '--strict']],
      ['attw', [file, '--profile', 'strict', '--format', 'table-flipped']],
    ]) {
      try {
        const text = execFileSync('pnpm', ['exec', tool, ...args], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        console.log(`ok   ${tool} ${tarball}`);
        if (process.env.VERBOSE) console.log(text);
      } catch (e) {
        failed = true;
        console.log(`FAIL ${tool} ${tarball}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      }
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
