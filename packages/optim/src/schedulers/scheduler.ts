/**
 * The base of the epoch-based learning-rate schedulers, with PyTorch's
 * semantics (torch.optim.lr_scheduler._LRScheduler):
 *
 * - Constructing a scheduler records each group's `initialLr` (once: a second
 *   scheduler on the same optimizer finds it set), calls `step()` once, which
 *   sets epoch 0's learning rate, and so may already change the lr (LinearLR).
 * - `step()` is called once per epoch, after the epoch's `optimizer.step()`
 *   calls; it advances `lastEpoch` and writes the new lr into every group.
 * - The rules are PyTorch's chainable forms: each computes the new lr from
 *   the group's current one, so schedulers stacked on one optimizer compose,
 *   and an lr set by hand between epochs is carried forward.
 */
import { ArgumentError } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';
import { Optimizer } from '../optimizer';
import { copyValue, resolveOptions, type OptionRules } from '../options';

/** What schedulers save besides their settings. */
export interface SchedulerProgress {
  /** Epochs stepped since construction (0 right after it). */
  lastEpoch: number;
  /** Each group's initialLr when the scheduler was made. */
  baseLrs: number[];
  /** Each group's lr after the last step. */
  lastLr: number[];
}

/** A scheduler's state dict: its progress and its settings. */
export type SchedulerStateDict<C> = SchedulerProgress & C;

/** An optimizer of any kind, as schedulers see it. */
export type AnyOptimizer = Optimizer<{ lr: number }, object>;

/** Settings a scheduler declares: a table of its options and an optional cross-check. */
export interface SchedulerSpec<C> extends OptionRules<C> {
  readonly name: string;
}

/** Throws unless `optimizer` is a chainrule Optimizer. */
export function checkOptimizer(op: string, optimizer: unknown): AnyOptimizer {
  if (!(optimizer instanceof Optimizer)) {
    throw new ArgumentError(
      op,
      `expected an Optimizer (SGD, Adam, ...) as the first argument, got ${describeValue(optimizer)}`,
    );
  }
  return optimizer as AnyOptimizer;
}

/**
 * Throws unless every group's lr is a finite number ≥ 0: a schedule computed
 * from a bad lr (set by hand) would be NaN, and one that overflows (a large
 * gamma) would be ∞; either would reach the parameters at the next step.
 */
export function checkLrs(op: string, lrs: readonly unknown[], what: (i: number) => string): void {
  lrs.forEach((lr, i) => {
    if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
      throw new ArgumentError(
        op,
        `${what(i)} is ${describeValue(lr)}; a learning rate must be a finite number ≥ 0 (nothing was changed)`,
      );
    }
  });
}

function isFiniteList(x: unknown, length: number): x is number[] {
  return Array.isArray(x) && x.length === length && x.every((v) => typeof v === 'number' && Number.isFinite(v));
}

/**
 * The base of the epoch schedulers: construction performs epoch 0, each
 * `step()` the next epoch, writing every group's lr. C is the settings.
 */
export abstract class LRScheduler<C extends object> {
  readonly optimizer: AnyOptimizer;
  /** The settings (stepSize, gamma, ...), as given or defaulted. */
  protected config: C;
  /** Each group's initialLr when the scheduler was made. */
  baseLrs: number[];
  /** Epochs stepped since construction. */
  lastEpoch = -1;
  private lastLr: number[] = [];
  private readonly spec: SchedulerSpec<C>;

  protected constructor(spec: SchedulerSpec<C>, optimizer: AnyOptimizer, options: object) {
    this.optimizer = checkOptimizer(spec.name, optimizer);
    this.spec = spec;
    this.config = resolveOptions(spec.name, spec, options ?? {}, {}, '');
    const groups = this.optimizer.paramGroups;
    checkLrs(
      spec.name,
      groups.map((g) => g.lr),
      (i) => `the lr of param group ${i}`,
    );
    const lrs = groups.map((g) => g.lr);
    this.baseLrs = groups.map((g) => g.initialLr ?? g.lr);
    this.advance(spec.name);
    // Recorded only once epoch 0 was accepted: a constructor that throws
    // (epoch 0 overflowing the lr) leaves the optimizer as it was.
    groups.forEach((group, i) => (group.initialLr ??= lrs[i] as number));
  }

  /** The rule: every group's lr for `lastEpoch`, from the current lrs (PyTorch's get_lr). */
  protected abstract computeLr(): number[];

  /**
   * Advances one epoch and sets every group's learning rate for it. If a
   * current lr is not a finite number ≥ 0, or a new one would not be, it
   * throws an ArgumentError and changes nothing.
   */
  step(): void {
    this.advance(`${this.spec.name}.step`);
  }

  private advance(op: string): void {
    const groups = this.optimizer.paramGroups;
    checkLrs(
      op,
      groups.map((g) => g.lr),
      (i) => `the lr of param group ${i}`,
    );
    this.lastEpoch += 1;
    let lrs: number[];
    try {
      // Every rule's exact value is ≥ 0 (factors ≥ 0, etaMin ≥ 0); a tiny negative one is rounding
      // (LinearLR to endFactor 0 ends at -1.5e-18), and would make the optimizer refuse its lr.
      lrs = this.computeLr().map((lr) => (lr < 0 && Number.isFinite(lr) ? 0 : lr));
      checkLrs(
        op,
        lrs,
        (i) =>
          `epoch ${this.lastEpoch} would set the lr of param group ${i} (now ${describeValue(groups[i]?.lr)}), but it`,
      );
    } catch (e) {
      this.lastEpoch -= 1;
      throw e;
    }
    groups.forEach((group, i) => {
      const lr = lrs[i];
      if (lr !== undefined) group.lr = lr;
    });
    this.lastLr = groups.map((g) => g.lr);
  }

  /** Each group's learning rate as this scheduler last set it. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The current lr of every group, for the rules. */
  protected get currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Progress and settings, copied. */
  stateDict(): SchedulerStateDict<C> {
    const settings: Record<string, unknown> = {};
    for (const key of Object.keys(this.spec.options))
      settings[key] = copyValue((this.config as Record<string, unknown>)[key]);
    return { ...(settings as C), lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  /**
   * Restores progress and settings from `stateDict()`. Like PyTorch's, it
   * does not touch the groups' lr: restore the optimizer's state dict too.
   * Everything is checked first; on a problem it throws and changes nothing.
   */
  loadStateDict(dict: SchedulerStateDict<C>): void {
    const op = `${this.spec.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object')
      throw new ArgumentError(op, `expected a state dict from stateDict(), got ${describeValue(dict)}`);
    const { lastEpoch, baseLrs, lastLr, ...settings } = dict as SchedulerProgress & Record<string, unknown>;
    const groups = this.optimizer.paramGroups.length;
    if (!Number.isSafeInteger(lastEpoch) || lastEpoch < 0)
      throw new ArgumentError(op, `lastEpoch must be an integer ≥ 0, got ${describeValue(lastEpoch)}`);
    if (!isFiniteList(baseLrs, groups))
      throw new ArgumentError(
        op,
        `baseLrs must be ${groups} finite numbers (one per group), got ${describeValue(baseLrs)}`,
      );
    if (!isFiniteList(lastLr, groups))
      throw new ArgumentError(
        op,
        `lastLr must be ${groups} finite numbers (one per group), got ${describeValue(lastLr)}`,
      );
    const config = resolveOptions(op, this.spec, settings, {}, '');
    this.config = config;
    this.lastEpoch = lastEpoch;
    this.baseLrs = [...baseLrs];
    this.lastLr = [...lastLr];
  }
}
