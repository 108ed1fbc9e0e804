/** Exponential decay, as torch.optim.lr_scheduler.ExponentialLR. */
import { positive } from '../options';
import { LRScheduler, type AnyOptimizer, type SchedulerSpec } from './scheduler';

/** Options of {@link ExponentialLR}. */
export interface ExponentialLROptions {
  /** Factor applied every epoch. */
  gamma: number;
}

const spec: SchedulerSpec<ExponentialLROptions> = { name: 'ExponentialLR', options: { gamma: positive() } };

/**
 * Multiplies every group's lr by gamma every epoch.
 *
 * @example
 * const scheduler = new ExponentialLR(optimizer, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler<ExponentialLROptions> {
  constructor(optimizer: AnyOptimizer, options: ExponentialLROptions) {
    super(spec, optimizer, options);
  }

  protected override computeLr(): number[] {
    const { gamma } = this.config;
    return this.currentLrs.map((lr) => (this.lastEpoch === 0 ? lr : lr * gamma));
  }
}
