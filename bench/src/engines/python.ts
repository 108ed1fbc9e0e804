/**
 * The reference for the scalar Value case: a micrograd-style engine in plain
 * Python (python/value_mlp.py, written for this benchmark), run as a child
 * process on the same workload. Skipped when python3 is missing.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ValueMlpCase } from '../cases';
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
