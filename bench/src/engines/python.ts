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
 * PyTorch's median ms for the LeNet-5 step on two threads ('pytorch', the
 * machine's cores) and on one ('pytorch-1t': on this shared machine PyTorch's
 * OpenMP threads often wait for each other, and one thread was faster). They
 * run after the JavaScript engines, not interleaved with them. Uses
 * /usr/bin/python3 (the system's, where Debian's python3-torch is) when it
 * exists.
 */
export function lenetPython(c: LenetStepCase, smoke: boolean): Measurement[] {
  const script = fileURLToPath(new URL('../../python/lenet_step.py', import.meta.url));
  const repeats = smoke ? 1 : 41;
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const out: Measurement[] = [];
  for (const [engine, threads] of [
    ['pytorch', 2],
    ['pytorch-1t', 1],
  ] as const) {
    try {
      const text = execFileSync(
        python,
        [
          script,
          '--batch',
          String(c.batch),
          '--warmup',
          smoke ? '0' : '10',
          '--repeats',
          String(repeats),
          '--threads',
          String(threads),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const { median_ms: medianMs } = JSON.parse(text) as { median_ms: number };
      out.push({ engine, medianMs, samples: repeats });
    } catch {
      // No python3 or no torch: the column stays empty.
    }
  }
  return out;
}

// ---------------------------------------------------------------- the MLP step in PyTorch (issue 20)

/**
 * PyTorch's median ms for the 784-128-10 MLP training step
 * (python/mlp_step.py: the same inputs, weights, loss and SGD as chainrule's
 * case), on two threads ('pytorch') and on one ('pytorch-1t'), run after the
 * JavaScript engines. Both columns stay empty, with a note on stderr, when
 * python3 or torch is missing.
 */
export function mlpPython(c: MlpStepCase, smoke: boolean): Measurement[] {
  const script = fileURLToPath(new URL('../../python/mlp_step.py', import.meta.url));
  const repeats = smoke ? 1 : 101;
  const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
  const out: Measurement[] = [];
  for (const [engine, threads] of [
    ['pytorch', 2],
    ['pytorch-1t', 1],
  ] as const) {
    try {
      const text = execFileSync(
        python,
        [
          script,
          '--batch',
          String(c.batch),
          '--sizes',
          c.sizes.join(','),
          '--warmup',
          smoke ? '0' : '20',
          '--repeats',
          String(repeats),
          '--threads',
          String(threads),
        ],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const { median_ms: medianMs } = JSON.parse(text) as { median_ms: number };
      out.push({ engine, medianMs, samples: repeats });
    } catch {
      console.error(`bench: ${engine} skipped for the MLP step (python3 with torch not found)`);
    }
  }
  return out;
}
