// Every vitest project runs this first. FC_SEED=<seed from a failure report>
// replays fast-check properties from that seed: `FC_SEED=-1819918769 pnpm test`.
import { configurePropertySeed } from './packages/core/src/testing/seed';

configurePropertySeed(process.env['FC_SEED']);
