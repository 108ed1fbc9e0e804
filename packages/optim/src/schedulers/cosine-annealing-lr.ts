/** Cosine annealing, as torch.optim.lr_scheduler.CosineAnnealingLR. */
import { integerAtLeast, nonNegative } from '../options';
import { LRScheduler, type AnyOptimizer, type SchedulerSpec } from './scheduler';

/** Options of {@link CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Epochs of half a cosine period: the lr reaches etaMin at epoch tMax. */
  tMax: number;
  /** The lowest lr (default 0). */
  etaMin: number;
}

const spec: SchedulerSpec<CosineAnnealingLROptions> = {
  name: 'CosineAnnealingLR',
  options: { tMax: integerAtLeast(1), etaMin: nonNegative(0) },
};

/** Python's %, whose result has the divisor's sign. */
function floorMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/**
 * Anneals each group's lr from its initial value to etaMin along half a
 * cosine over tMax epochs, then back up over the next tMax, and so on:
 * lr(t) = etaMin + (lr0 - etaMin)(1 + cos(πt / tMax)) / 2 when nothing else
 * changes the lr. As PyTorch, the recursive form is used, so a change made
 * by hand is carried along.
 *
 * @example
 * const scheduler = new CosineAnnealingLR(optimizer, { tMax: 50 });
 */
export class CosineAnnealingLR extends LRScheduler<CosineAnnealingLROptions> {
  constructor(
    optimizer: AnyOptimizer,
    options: Partial<CosineAnnealingLROptions> & Pick<CosineAnnealingLROptions, 'tMax'>,
  ) {
    super(spec, optimizer, options);
  }

  protected override computeLr(): number[] {
    const { tMax, etaMin } = this.config;
    const t = this.lastEpoch;
    const lrs = this.currentLrs;
    if (t === 0) return lrs;
    if (floorMod(t - 1 - tMax, 2 * tMax) === 0) {
      // At the bottom of a period the ratio below would divide by zero;
      // PyTorch steps up by the first increment of the next half period.
      return lrs.map((lr, i) => lr + (((this.baseLrs[i] ?? lr) - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax));
    return lrs.map((lr) => ratio * (lr - etaMin) + etaMin);
  }
}
