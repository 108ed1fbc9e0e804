/**
 * Node's side of `pnpm bench:browser --profile`: warms chainrule's step of
 * one case up as the harness does, then runs it `--steps` times (default
 * 2000) and prints the time per step. Run it under `--cpu-prof` to compare
 * with the browser's profile (bench/browser/profile-summary.ts reads both):
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --cpu-prof-interval 50 \
 *     --conditions=@chainrule/source --import tsx bench/src/profile-step.ts --only "batch 32"
 */
import { ready } from '@chainrule/core';
import { caseName, cases } from './cases';
import { chainruleContenders } from './engines/chainrule';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = option('--only') ?? 'MLP 784-128-10 step, batch 32';
const steps = Number(option('--steps') ?? 2000);

await ready();
const c = cases(false).find((x) => caseName(x).includes(only));
if (c === undefined) throw new Error(`profile-step: no case's name contains "${only}"`);
const contender = chainruleContenders(c).find((k) => k.engine === 'chainrule');
if (contender === undefined) throw new Error(`profile-step: chainrule has no contender for "${caseName(c)}"`);
const run = await contender.setup();
const warm = performance.now();
for (let i = 0; i < 5 || performance.now() - warm < 1000; i++) await run();
const before = process.resourceUsage();
const start = performance.now();
for (let i = 0; i < steps; i++) await run();
const ms = performance.now() - start;
const after = process.resourceUsage();
const cpu = after.userCPUTime + after.systemCPUTime - before.userCPUTime - before.systemCPUTime;
console.log(
  `${caseName(c)}: ${steps} chainrule steps, ${(ms / steps).toFixed(3)} ms each; per step ` +
    `${((after.minorPageFault - before.minorPageFault) / steps).toFixed(1)} minor page faults, ` +
    `${(cpu / steps).toFixed(0)} µs of CPU (all threads)`,
);
