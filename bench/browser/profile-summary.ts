/**
 * Summarizes a V8 CPU profile (`.cpuprofile`: from `pnpm bench:browser
 * --profile`, from `node --cpu-prof`, or saved by Chrome DevTools): the
 * functions with the most self time and the most total time (self plus
 * callees), each as a share of the profile and in microseconds per step
 * when `--steps <n>` says how many steps it holds. V8's pseudo-frames
 * ("(garbage collector)", "(program)", "(idle)") are kept, since where the
 * browser and Node differ is often outside any JavaScript function.
 *
 * `npx tsx bench/browser/profile-summary.ts <file> [--steps n] [--top n] [--focus name]`;
 * `--focus` keeps only samples with a frame of that function name on the stack.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const args = process.argv.slice(2);
const file = args.find((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--'));
if (file === undefined) throw new Error('profile-summary: give the .cpuprofile file to read');
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const steps = Number(option('--steps') ?? 0);
const top = Number(option('--top') ?? 25);
const focus = option('--focus');

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const label = (f: CallFrame): string => {
  const name = f.functionName === '' ? '(anonymous)' : f.functionName;
  if (f.url === '') return name;
  const where = f.url.startsWith('wasm://') ? 'wasm' : (f.url.split('/').pop() ?? f.url);
  return `${name} ${where}:${f.lineNumber + 1}`;
};

// A sample's time is the delta to the next sample (V8 records the delta before it).
const self = new Map<string, number>();
const total = new Map<string, number>();
let all = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i + 1] ?? 0;
  const stack: CallFrame[] = [];
  for (let id: number | undefined = profile.samples[i]; id !== undefined; id = parent.get(id)) {
    const node = byId.get(id);
    if (node !== undefined) stack.push(node.callFrame);
  }
  if (focus !== undefined && !stack.some((f) => f.functionName === focus)) continue;
  all += dt;
  const leaf = stack[0];
  if (leaf !== undefined) self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
  for (const name of new Set(stack.map(label))) total.set(name, (total.get(name) ?? 0) + dt);
}

const show = (title: string, times: Map<string, number>) => {
  console.log(`\n${title}`);
  const rows = [...times].sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [name, t] of rows) {
    const perStep = steps > 0 ? `${(t / steps).toFixed(1).padStart(8)} µs/step` : '';
    console.log(`${((100 * t) / all).toFixed(1).padStart(6)}% ${perStep}  ${name}`);
  }
};
console.log(
  `${file}: ${(all / 1000).toFixed(1)} ms sampled${focus === undefined ? '' : ` under ${focus}`}` +
    (steps > 0 ? `, ${(all / steps).toFixed(1)} µs per step over ${steps} steps` : ''),
);
show('self time', self);
show('total time (self + callees)', total);
