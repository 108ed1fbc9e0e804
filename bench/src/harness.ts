/**
 * Timing, the same way for every engine: warm up, then alternate the engines
 * sample by sample (so a noisy neighbour slows all of them alike), and
 * report medians. Times are wall-clock milliseconds per call.
 */

/** One engine's implementation of one benchmark case. */
export interface Contender {
  engine: string;
  /** Prepares the inputs once; returns the function to time (it must finish its work before returning). */
  setup(): Promise<() => Promise<void> | void>;
}

export interface Measurement {
  engine: string;
  medianMs: number;
  samples: number;
}

export interface RunOptions {
  /** Warm-up calls per engine: at least this many, and until `warmupMs` is spent (JIT tiers need both). */
  warmup: number;
  warmupMs: number;
  samples: number;
  /** Stop sampling an engine once its samples add up to this many ms (keeps slow engines from dominating). */
  budgetMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function measure(contenders: readonly Contender[], options: RunOptions): Promise<Measurement[]> {
  const runs: { engine: string; run: () => Promise<void> | void; times: number[]; spent: number }[] = [];
  for (const c of contenders) runs.push({ engine: c.engine, run: await c.setup(), times: [], spent: 0 });
  for (const r of runs) {
    const start = performance.now();
    for (let i = 0; i < options.warmup || performance.now() - start < options.warmupMs; i++) await r.run();
  }
  for (let s = 0; s < options.samples; s++) {
    for (const r of runs) {
      if (r.times.length > 2 && r.spent > options.budgetMs) continue;
      const start = performance.now();
      await r.run();
      const elapsed = performance.now() - start;
      r.times.push(elapsed);
      r.spent += elapsed;
    }
  }
  return runs.map((r) => ({ engine: r.engine, medianMs: median(r.times), samples: r.times.length }));
}
