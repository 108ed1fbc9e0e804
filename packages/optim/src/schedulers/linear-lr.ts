/** Linear warm-up or decay of a factor, as torch.optim.lr_scheduler.LinearLR. */
import { integerAtLeast, unitInterval, type OptionRule } from '../options';
import { LRScheduler, type AnyOptimizer, type SchedulerSpec } from './scheduler';

/** Options of {@link LinearLR}. */
export interface LinearLROptions {
  /** Factor of the initial lr at epoch 0, in (0, 1] (default 1/3). */
  startFactor: number;
  /** Factor reached at epoch totalIters, in [0, 1] (default 1). */
  endFactor: number;
  /** Epochs over which the factor moves (default 5). */
  totalIters: number;
}

const startFactor: OptionRule<number> = {
  accepts: 'a number in (0, 1]',
  test: (v) => typeof v === 'number' && v > 0 && v <= 1,
  default: 1 / 3,
};

const spec: SchedulerSpec<LinearLROptions> = {
  name: 'LinearLR',
  options: { startFactor, endFactor: unitInterval(1), totalIters: integerAtLeast(1, 5) },
};

/**
 * Multiplies each group's lr by a factor that moves linearly from
 * startFactor (epoch 0) to endFactor (epoch totalIters), then stays.
 * Constructing it already scales the lr by startFactor.
 *
 * @example
 * const warmup = new LinearLR(optimizer, { startFactor: 0.1, totalIters: 10 });
 */
export class LinearLR extends LRScheduler<LinearLROptions> {
  constructor(optimizer: AnyOptimizer, options: Partial<LinearLROptions> = {}) {
    super(spec, optimizer, options);
  }

  protected override computeLr(): number[] {
    const { startFactor: start, endFactor: end, totalIters } = this.config;
    const t = this.lastEpoch;
    const lrs = this.currentLrs;
    if (t === 0) return lrs.map((lr) => lr * start);
    if (t > totalIters) return lrs;
    // The ratio of this epoch's factor to the previous one.
    const step = 1 + (end - start) / (totalIters * start + (t - 1) * (end - start));
    return lrs.map((lr) => lr * step);
  }
}
