// Empties the package's dist/ before its two tsup builds (ESM and CJS, run in
// parallel: neither may clean what the other is writing).
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
