// Every vitest project runs this first. FC_SEED=<seed from a failure report>
// replays fast-check properties from that seed: `FC_SEED=-1819918769 pnpm test`.
import { configurePropertySeed } from './packages/core/src/testing/seed';
import { loadWasm } from './packages/core/src/kernels/wasm';

configurePropertySeed(process.env['FC_SEED']);

// The WebAssembly kernels arrive by a dynamic import; tests that compare kernels
// or count threads need them from their first line.
await loadWasm();
