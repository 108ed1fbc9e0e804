/**
 * The Python references, each run as a child process on the same workload:
 * for the scalar Value case a micrograd-style engine in plain Python
 * (python/value_mlp.py, written for this benchmark), for the LeNet-5 step
 * PyTorch (python/lenet_step.py). Skipped when python3 (or torch) is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { LenetStepCase, MlpStepCase, ValueMlpCase } from '../cases';
import type { Measurement } from '../harness';

export function micrographPython(c: ValueMlpCase, smoke: boolean): Measurement | null {
  const script = fileURLToPath(new URL('../../python/value_mlp.py', import.meta.url));
  const repeats = smoke ? 1 : 7;
  try {
    const out = execFileSync(
      'python3',
      [script, '--points', String(c.points), '--sizes', c.sizes.join(','), '--repeats', String(repeats)],
      {
        encoding: 'utf8',
      },
    );
    const { median_ms: medianMs } = JSON.parse(out) as { median_ms: number };
    return { engine: 'python', medianMs, samples: repeats };
  } catch {
    return null;
  }
}

/**
 * A PyTorch script's median ms on two threads ('pytorch', the machine's
 * cores) and on one ('pytorch-1t': on this shared machine PyTorch's OpenMP
 * threads often wait for each other, and one thread was faster), run after
 * the JavaScript engines, not interleaved with them. Uses /usr/bin/python3
 * (the system's, where Debian's python3-torch is) when it exists; a column
 * stays empty when python3 or torch is missing.
 */
function pytorchColumns(
  script: string,
  args: readonly string[],
  warmup: number,
  repeats: number,
  onMissing: (engine: string) => void,
): Measurement[] {
  const path = fileURLToPath(new URL(`../../python/${script}`, import.meta.url));
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const out: Measurement[] = [];
  for (const [engine, threads] of [
    ['pytorch', 2],
    ['pytorch-1t', 1],
  ] as const) {
    try {
      const text = execFileSync(
        python,
        [path, ...args, '--warmup', String(warmup), '--repeats', String(repeats), '--threads', String(threads)],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const { median_ms: medianMs } = JSON.parse(text) as { median_ms: number };
      out.push({ engine, medianMs, samples: repeats });
    } catch {
      onMissing(engine);
    }
  }
  return out;
}

/** PyTorch's LeNet-5 step (python/lenet_step.py), two threads and one. */
export function lenetPython(c: LenetStepCase, smoke: boolean): Measurement[] {
  return pytorchColumns('lenet_step.py', ['--batch', String(c.batch)], smoke ? 0 : 10, smoke ? 1 : 41, () => {});
}

// ---------------------------------------------------------------- the MLP step in PyTorch (issue 20)

/**
 * PyTorch's median ms for the 784-128-10 MLP training step
 * (python/mlp_step.py: the same inputs, weights, loss and SGD as chainrule's
 * case), two threads and one. Both columns stay empty, with a note on
 * stderr, when python3 or torch is missing.
 */
export function mlpPython(c: MlpStepCase, smoke: boolean): Measurement[] {
  return pytorchColumns(
    'mlp_step.py',
    ['--batch', String(c.batch), '--sizes', c.sizes.join(',')],
    smoke ? 0 : 20,
    smoke ? 1 : 101,
    (engine) => console.error(`bench: ${engine} skipped for the MLP step (python3 with torch not found)`),
  );
}
