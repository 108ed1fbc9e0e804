/**
 * Step decays, as torch.optim.lr_scheduler.StepLR and MultiStepLR: the lr is
 * multiplied by gamma every `stepSize` epochs, or at each milestone epoch.
 */
import { integerAtLeast, positive, type OptionRule } from '../options';
import { LRScheduler, type AnyOptimizer, type SchedulerSpec } from './scheduler';

/** Options of {@link StepLR}. */
export interface StepLROptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Factor applied at each decay (default 0.1). */
  gamma: number;
}

const stepSpec: SchedulerSpec<StepLROptions> = {
  name: 'StepLR',
  options: { stepSize: integerAtLeast(1), gamma: positive(0.1) },
};

/**
 * Multiplies every group's lr by gamma every `stepSize` epochs:
 * lr(epoch) = lr · gamma^⌊epoch / stepSize⌋ when nothing else changes it.
 *
 * @example
 * const scheduler = new StepLR(optimizer, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); scheduler.step(); }
 */
export class StepLR extends LRScheduler<StepLROptions> {
  constructor(optimizer: AnyOptimizer, options: Partial<StepLROptions> & Pick<StepLROptions, 'stepSize'>) {
    super(stepSpec, optimizer, options);
  }

  protected override computeLr(): number[] {
    const { stepSize, gamma } = this.config;
    const decay = this.lastEpoch !== 0 && this.lastEpoch % stepSize === 0;
    return this.currentLrs.map((lr) => (decay ? lr * gamma : lr));
  }
}

/** Options of {@link MultiStepLR}. */
export interface MultiStepLROptions {
  /** Epochs at which the lr decays; an epoch listed twice decays twice (gamma²). */
  milestones: readonly number[];
  /** Factor applied at each milestone (default 0.1). */
  gamma: number;
}

const milestones: OptionRule<readonly number[]> = {
  accepts: 'an array of integers ≥ 0',
  test: (v) => Array.isArray(v) && v.every((m) => Number.isSafeInteger(m) && m >= 0),
};

const multiStepSpec: SchedulerSpec<MultiStepLROptions> = {
  name: 'MultiStepLR',
  options: { milestones, gamma: positive(0.1) },
};

/**
 * Multiplies every group's lr by gamma at each milestone epoch.
 *
 * @example
 * const scheduler = new MultiStepLR(optimizer, { milestones: [30, 80], gamma: 0.1 });
 */
export class MultiStepLR extends LRScheduler<MultiStepLROptions> {
  constructor(optimizer: AnyOptimizer, options: Partial<MultiStepLROptions> & Pick<MultiStepLROptions, 'milestones'>) {
    super(multiStepSpec, optimizer, options);
  }

  protected override computeLr(): number[] {
    const { gamma } = this.config;
    const hits = this.config.milestones.filter((m) => m === this.lastEpoch).length;
    // NOTE: as PyTorch, gamma ** hits (not gamma · gamma) for a repeated milestone.
    return this.currentLrs.map((lr) => (hits === 0 ? lr : lr * gamma ** hits));
  }
}
