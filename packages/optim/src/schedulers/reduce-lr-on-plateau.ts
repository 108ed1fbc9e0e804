/**
 * ReduceLROnPlateau, with the semantics of
 * torch.optim.lr_scheduler.ReduceLROnPlateau: fed a metric once per epoch, it
 * counts the epochs without improvement and, after more than `patience` of
 * them, multiplies every group's lr by `factor` (not below `minLr`), then
 * waits `cooldown` epochs before counting again.
 */
import { ArgumentError } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';
import { integerAtLeast, nonNegative, oneOf, resolveOptions, type OptionRule, type OptionTable } from '../options';
import { checkLrs, checkOptimizer, type AnyOptimizer } from './scheduler';

/** Options of {@link ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** 'min': the metric should go down (a loss); 'max': up (an accuracy). Default 'min'. */
  mode: 'min' | 'max';
  /** Factor applied to the lr on a plateau, in [0, 1) (default 0.1). */
  factor: number;
  /** Epochs without improvement tolerated before the lr is reduced (default 10). */
  patience: number;
  /** How much better a metric must be to count as an improvement (default 1e-4). */
  threshold: number;
  /** 'rel': better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold. Default 'rel'. */
  thresholdMode: 'rel' | 'abs';
  /** Epochs after a reduction during which bad epochs are not counted (default 0). */
  cooldown: number;
  /** Lower bound of the lr: one number, or one per group (default 0). */
  minLr: number | readonly number[];
  /** A reduction smaller than this is not applied (default 1e-8). */
  eps: number;
}

/** Progress of a {@link ReduceLROnPlateau}, saved with its options. */
export interface PlateauProgress {
  /** Epochs stepped so far. */
  lastEpoch: number;
  /** The best metric seen (±Infinity before the first). */
  best: number;
  /** Epochs since the last improvement (or reduction). */
  numBadEpochs: number;
  /** Epochs of cooldown left. */
  cooldownCounter: number;
}

/** What `ReduceLROnPlateau.stateDict()` returns. */
export type ReduceLROnPlateauStateDict = PlateauProgress & ReduceLROnPlateauOptions;

const minLr: OptionRule<number | readonly number[]> = {
  accepts: 'a finite number ≥ 0, or an array of them (one per group)',
  test: (v) => {
    const ok = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
    return ok(v) || (Array.isArray(v) && v.every(ok));
  },
  default: 0,
};

const options: OptionTable<ReduceLROnPlateauOptions> = {
  mode: oneOf(['min', 'max'], 'min'),
  factor: { accepts: 'a number in [0, 1)', test: (v) => typeof v === 'number' && v >= 0 && v < 1, default: 0.1 },
  patience: integerAtLeast(0, 10),
  threshold: nonNegative(1e-4),
  thresholdMode: oneOf(['rel', 'abs'], 'rel'),
  cooldown: integerAtLeast(0, 0),
  minLr,
  eps: nonNegative(1e-8),
};

const name = 'ReduceLROnPlateau';

/**
 * Reduces the learning rate when a metric stops improving.
 *
 * @example
 * const scheduler = new ReduceLROnPlateau(optimizer, { mode: 'min', patience: 5 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); scheduler.step(validationLoss()); }
 */
export class ReduceLROnPlateau {
  readonly optimizer: AnyOptimizer;
  private config: ReduceLROnPlateauOptions;
  private progress: PlateauProgress;
  private lastLr: number[];

  constructor(optimizer: AnyOptimizer, options: Partial<ReduceLROnPlateauOptions> = {}) {
    this.optimizer = checkOptimizer(name, optimizer);
    checkLrs(
      name,
      this.optimizer.paramGroups.map((g) => g.lr),
      (i) => `the lr of param group ${i}`,
    );
    this.config = this.parse(name, options);
    this.progress = { lastEpoch: 0, best: this.worst(), numBadEpochs: 0, cooldownCounter: 0 };
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private parse(op: string, given: object): ReduceLROnPlateauOptions {
    const config = resolveOptions(op, { options }, given ?? {}, {}, '');
    const groups = this.optimizer.paramGroups.length;
    if (Array.isArray(config.minLr) && config.minLr.length !== groups) {
      throw new ArgumentError(
        op,
        `minLr has ${config.minLr.length} values, but the optimizer has ${groups} parameter groups`,
      );
    }
    return config;
  }

  private worst(): number {
    return this.config.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number, best: number): boolean {
    const { mode, threshold, thresholdMode } = this.config;
    if (mode === 'min') return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /**
   * Records one epoch's metric and reduces the lr if it has not improved
   * for more than `patience` epochs. A NaN metric counts as no improvement.
   */
  step(metric: number): void {
    if (typeof metric !== 'number')
      throw new ArgumentError(`${name}.step`, `the metric must be a number, got ${describeValue(metric)}`);
    checkLrs(
      `${name}.step`,
      this.optimizer.paramGroups.map((g) => g.lr),
      (i) => `the lr of param group ${i}`,
    );
    const s = this.progress;
    s.lastEpoch += 1;
    if (this.isBetter(metric, s.best)) {
      s.best = metric;
      s.numBadEpochs = 0;
    } else {
      s.numBadEpochs += 1;
    }
    if (s.cooldownCounter > 0) {
      s.cooldownCounter -= 1;
      s.numBadEpochs = 0;
    }
    if (s.numBadEpochs > this.config.patience) {
      this.reduce();
      s.cooldownCounter = this.config.cooldown;
      s.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduce(): void {
    const { factor, eps } = this.config;
    this.optimizer.paramGroups.forEach((group, i) => {
      const floor = typeof this.config.minLr === 'number' ? this.config.minLr : (this.config.minLr[i] ?? 0);
      const lr = Math.max(group.lr * factor, floor);
      // Tiny reductions are skipped, so that an lr at its floor stays put.
      if (group.lr - lr > eps) group.lr = lr;
    });
  }

  /** Each group's learning rate after the last step (the current ones before any). */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The progress counters and the options, copied. */
  stateDict(): ReduceLROnPlateauStateDict {
    const minLrCopy = typeof this.config.minLr === 'number' ? this.config.minLr : [...this.config.minLr];
    return { ...this.config, minLr: minLrCopy, ...this.progress };
  }

  /** Restores what `stateDict()` saved; checks everything first and changes nothing on a problem. */
  loadStateDict(dict: ReduceLROnPlateauStateDict): void {
    const op = `${name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object')
      throw new ArgumentError(op, `expected a state dict from stateDict(), got ${describeValue(dict)}`);
    const { lastEpoch, best, numBadEpochs, cooldownCounter, ...rest } = dict;
    const counts = { lastEpoch, numBadEpochs, cooldownCounter };
    for (const [key, v] of Object.entries(counts)) {
      if (!Number.isSafeInteger(v) || v < 0)
        throw new ArgumentError(op, `${key} must be an integer ≥ 0, got ${describeValue(v)}`);
    }
    if (typeof best !== 'number' || Number.isNaN(best))
      throw new ArgumentError(
        op,
        `best must be a number (±Infinity before the first step), got ${describeValue(best)}`,
      );
    const config = this.parse(op, rest);
    this.config = config;
    this.progress = { lastEpoch, best, numBadEpochs, cooldownCounter };
  }
}
