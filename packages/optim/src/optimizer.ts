/**
 * The Optimizer base class: parameter groups, the two-phase step (check
 * everything, then update in place), zeroGrad, and state dicts. Subclasses
 * declare their options and state (an OptimizerSpec) and write one fused
 * update per parameter.
 */
import { ArgumentError, Tensor, noGrad } from '@chainrule/core';
import {
  badOptionMessage,
  checkOptionKeys,
  describeValue,
  isOptionsObject,
  releaseGrad,
} from '@chainrule/core/internal';
import { checkOptions, resolveOptions } from './options';
import {
  checkDistinct,
  rawGroup,
  splitGroups,
  type ParamGroup,
  type ParamGroupSpec,
  type Params,
} from './param-groups';
import { checkGroupParams, collectSlots, commitSlot, type NonFiniteMode, type Slot } from './slots';
import { checkSlotState } from './state-check';
import { loadState, saveState, type OptimizerSpec, type OptimizerStateDict } from './state-dict';

/** Options every optimizer takes besides its update rule's. */
export interface OptimizerOptions {
  /**
   * What `step()` does when a gradient holds NaN or ±Infinity: `'throw'`
   * (default, a NonFiniteGradientError) or `'skip'` (the step changes
   * nothing and returns false). Either way no parameter is half-updated.
   */
  nonFinite?: NonFiniteMode;
}

/** Options shared by every update rule. */
export interface LrOption {
  /** The learning rate. */
  lr: number;
}

/**
 * The base of every optimizer: parameter groups with their options, a
 * `step()` that checks everything before it changes anything, `zeroGrad()`,
 * and state dicts. O is a group's options, S a parameter's state.
 *
 * @example
 * optimizer.zeroGrad();
 * loss.backward();
 * optimizer.step();
 */
export abstract class Optimizer<O extends LrOption = LrOption, S extends object = object> {
  /** The groups, in order; their options may be changed between steps (e.g. `paramGroups[0].lr = 0.01`). */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, moment estimates, step counts), created at a parameter's first update. */
  readonly state = new Map<Tensor, S>();
  /** What `step()` does with a non-finite gradient (see {@link OptimizerOptions.nonFinite}). */
  nonFinite: NonFiniteMode;
  /** The options a group added later falls back to (the constructor's). */
  readonly defaults: Readonly<O>;
  private readonly spec: OptimizerSpec<O, S>;

  protected constructor(spec: OptimizerSpec<O, S>, params: Params<O>, options: Partial<O> & OptimizerOptions) {
    const op = spec.name;
    // A non-object is refused by the shared check, with its wording (which lists every option); keys are checked below.
    if (!isOptionsObject(options)) checkOptionKeys(op, options, [...Object.keys(spec.options), 'nonFinite']);
    const { nonFinite = 'throw', ...rest } = options;
    if (nonFinite !== 'throw' && nonFinite !== 'skip') {
      throw new ArgumentError(op, badOptionMessage('nonFinite', "'throw' or 'skip'", nonFinite));
    }
    this.spec = spec;
    this.nonFinite = nonFinite;
    this.defaults = resolveOptions(op, spec, rest, {}, '', ['nonFinite']);
    const groups = splitGroups(op, params).map((raw, i) =>
      this.makeGroup(raw.params, raw.options, ` (param group ${i})`),
    );
    checkDistinct(op, groups);
    this.paramGroups.push(...groups);
  }

  private makeGroup(params: Tensor[], options: object, where: string): ParamGroup<O> {
    const resolved = resolveOptions(this.spec.name, this.spec, options, this.defaults, where);
    return { ...resolved, params } as ParamGroup<O>;
  }

  /** The optimizer's name, as in its error messages (e.g. `'SGD'`). */
  get name(): string {
    return this.spec.name;
  }

  /**
   * Updates every parameter that has a gradient, in place. All options and
   * gradients are checked first; a bad one throws (or, for a non-finite
   * gradient with `nonFinite: 'skip'`, the step is skipped) before any
   * parameter or state changes. Returns false when the step was skipped.
   */
  step(): boolean {
    const op = `${this.spec.name}.step`;
    this.paramGroups.forEach((g, i) => checkOptions(op, this.spec, g, ` (param group ${i})`));
    const slots = collectSlots(op, this.paramGroups, this.nonFinite);
    if (slots === null) return false;
    checkSlotState(op, this.spec.state, this.state, slots);
    noGrad(() => {
      this.paramGroups.forEach((group, i) => {
        for (const slot of slots[i] as Slot[]) {
          this.update(slot, group);
          commitSlot(slot);
        }
      });
    });
    return true;
  }

  /**
   * The update rule for one parameter, in one pass over its elements. It
   * runs after every check, so it must not throw.
   */
  protected abstract update(slot: Slot, group: Readonly<O>): void;

  /** Sets every gradient to null (PyTorch's `zero_grad(set_to_none=True)`): the next backward starts afresh. */
  zeroGrad(): void {
    const op = `${this.spec.name}.zeroGrad`;
    // Every group is checked before any gradient is cleared.
    this.paramGroups.forEach((group, g) => checkGroupParams(op, group.params, g));
    // releaseGrad: p.grad = null, and the array back to core's pool when no one has read it (issue 20).
    for (const group of this.paramGroups) for (const p of group.params) releaseGrad(p);
  }

  /**
   * Sets the learning rate of every group, or of group `groupIndex`.
   * Equivalent to assigning `paramGroups[i].lr`, but checked at once.
   */
  setLr(lr: number, groupIndex?: number): void {
    const op = `${this.spec.name}.setLr`;
    const rule = this.spec.options.lr;
    if (!rule.test(lr)) throw new ArgumentError(op, `lr must be ${rule.accepts}, got ${describeValue(lr)}`);
    if (groupIndex === undefined) {
      for (const group of this.paramGroups) group.lr = lr;
      return;
    }
    // Checked before indexing: a Symbol or a null-prototype object as a key would throw a TypeError.
    const group = Number.isInteger(groupIndex) ? this.paramGroups[groupIndex] : undefined;
    if (group === undefined) {
      throw new ArgumentError(
        op,
        `there is no group ${describeValue(groupIndex)}; groups are numbered 0 to ${this.paramGroups.length - 1}`,
      );
    }
    group.lr = lr;
  }

  /**
   * Adds a group (e.g. layers unfrozen while fine-tuning); options it does
   * not set come from the constructor's.
   *
   * @example
   * optimizer.addParamGroup({ params: head.parameters(), lr: 1e-3 });
   */
  addParamGroup(group: ParamGroupSpec<O>): void {
    const op = `${this.spec.name}.addParamGroup`;
    const raw = rawGroup(op, group, 'the group');
    const made = this.makeGroup(raw.params, raw.options, '');
    checkDistinct(op, [...this.paramGroups, made]);
    this.paramGroups.push(made);
  }

  /**
   * A snapshot of the options and per-parameter state, with parameters
   * replaced by their index (counting through the groups in order). Tensors
   * are copied: later steps do not change a saved dict.
   */
  stateDict(): OptimizerStateDict<O, S> {
    return saveState(this.spec, this.paramGroups, this.state);
  }

  /**
   * Restores options and state saved by `stateDict()` onto this optimizer's
   * parameters, matched by position. Everything is checked first (group
   * sizes, options, state shapes and values); on any problem it throws and
   * changes nothing.
   */
  loadStateDict(dict: OptimizerStateDict<O, S>): void {
    const loaded = loadState(this.spec, this.paramGroups, dict);
    this.paramGroups.forEach((group, i) => {
      const options = loaded.options[i] as O & { initialLr?: number };
      Object.assign(group, options);
      if (options.initialLr === undefined) delete group.initialLr;
    });
    this.state.clear();
    for (const [p, s] of loaded.state) this.state.set(p, s);
  }
}
