/**
 * findDivergence: which op made a float32 computation go wrong. The float32
 * run is traced op by op (ops/trace.ts); the same graph is then replayed in
 * float64, each op's forward run again on the float64 results of its inputs
 * (never the user's code again), and the two results of every op are
 * compared.
 *
 * Why not report the first op that departs, full stop: an op can depart
 * harmlessly. In a centered variance's gradient, the gradient that flows
 * through the mean is Σ(x − m)·2/n, which is 0 in exact arithmetic; float32's
 * rounded m makes it 1e-5 where float64's makes it 1e-13, a relative error of
 * 10⁸ that vanishes as soon as it is added to the O(1/n) gradient through x.
 * So an op is reported only when its departure reaches the result: when a
 * chain of departing ops leads from it to a departing output. The others are
 * counted in the report ("absorbed").
 */
import { ArgumentError, Generator, Tensor, enableGrad, gradients, noGrad, randn, tensor } from '../index';
import { describeValue, formatShape, traceOps, type TraceRecord } from '../internal/index';
import { checkOptionKeys } from '../internal/options';
import { formatStack } from '../autograd/anomaly';
import type { AnyOpDef, ForwardContext, Inputs } from '../ops/define';
import type { Node } from '../tensor/node';
import { formatNumber, formatValues, unravel } from './numbers';

/** Options of {@link findDivergence}. */
export interface FindDivergenceOptions {
  /**
   * The largest accepted relative error of an op's float32 result (default
   * 1e-3: about four of float32's seven significant digits lost). The error
   * of a result is max |float32 − float64| / max(max |float64|, absoluteFloor),
   * over the result's elements.
   */
  tolerance?: number;
  /**
   * Results whose largest float64 element is below this are compared
   * absolutely (default 2⁻¹²⁶ ≈ 1.2e-38, float32's smallest normal number:
   * below it float32 has no relative precision to lose).
   */
  absoluteFloor?: number;
  /**
   * Also compare the backward pass (default false): the gradients of the
   * output with respect to every float input, recorded with `createGraph`
   * so that its ops are traced and replayed like the forward ones. A
   * non-scalar output is multiplied by a random normal cotangent (seed 0).
   */
  gradients?: boolean;
}

/** The range of a tensor's elements, as a report shows an op's inputs and results. */
export interface TensorSummary {
  shape: readonly number[];
  dtype: string;
  /** The smallest and largest finite elements (NaN when there is none). */
  min: number;
  max: number;
  /** How many elements are NaN, +Infinity and -Infinity. */
  nan: number;
  posInf: number;
  negInf: number;
  /** The elements, the middle of long axes left out. */
  text: string;
}

/** The op a {@link findDivergence} report blames. */
export interface DivergentOp {
  /** The op's name, e.g. `'log'`. */
  op: string;
  /** Whether the op ran in the forward pass or in the backward pass (`gradients: true`). */
  phase: 'forward' | 'backward';
  /** Its position among the ops compared (1-based, forward then backward). */
  position: number;
  /** The composite ops it ran inside, outermost first (`['softmax']` for the exp of a softmax). */
  within: string[];
  /**
   * Where the op was called: the first frame of user code, `file:line:column`
   * (undefined when no frame lies outside chainrule, as in a bundle). For a
   * backward op, where the forward op whose rule applied it was called.
   */
  location: string | undefined;
  /** For a backward op: the forward op whose backward rule applied it; undefined for the driver's own sums and casts. */
  backwardOf: string | undefined;
  /** The float32 run's inputs of the op. */
  inputs: TensorSummary[];
  float32: TensorSummary;
  float64: TensorSummary;
  /** max |float32 − float64| / max(max |float64|, absoluteFloor); Infinity when one side is NaN or infinite and the other is not. */
  error: number;
  /** The element furthest apart. */
  worst: { index: number[]; float32: number; float64: number };
}

/** What {@link findDivergence} returns. */
export interface DivergenceReport {
  /** True when no op's departure reaches the result. */
  ok: boolean;
  /** The first op whose float32 result departs from float64 beyond the tolerance, with the departure reaching the result; null when ok. */
  divergence: DivergentOp | null;
  /** How many ops were compared, forward and backward. */
  compared: { forward: number; backward: number };
  /** Ops that departed, but whose departure did not reach the result (see the module comment). */
  absorbed: { op: string; phase: 'forward' | 'backward'; error: number }[];
  /** The error of each result (the output, then the gradients), measured as an op's. */
  resultErrors: number[];
  /** What the replay could not follow exactly, and hints. */
  notes: string[];
  tolerance: number;
  absoluteFloor: number;
  /** The report as text for a person. */
  toString(): string;
}

/** One primitive op of the trace, as the replay sees it. */
interface Step {
  record: TraceRecord;
  phase: 'forward' | 'backward';
  within: string[];
}

/** One compared op's outcome. */
interface Outcome {
  step: Step;
  out64: Tensor;
  /** The float64 twins of the op's inputs. */
  inputTwins: Tensor[];
  error: number;
  worstFlat: number;
}

const float32SmallestNormal = 2 ** -126;

/**
 * Runs `fn` on `inputs` in float32, replays the same graph op by op in
 * float64 (inputs widened, each op's forward run on the float64 results of
 * its inputs) and reports the first op whose float32 result departs from the
 * float64 one by more than `tolerance` — an op whose departure reaches the
 * result through a chain of departing ops (a departure that later ops absorb
 * is listed, not blamed). The report names the op, the line of user code
 * that called it (as anomaly mode records it), the ranges of its inputs,
 * both results and the error. With `gradients: true` the backward pass is
 * compared too.
 *
 * The replay follows tensors that traced ops made. Tensors that appear from
 * elsewhere — constants made inside `fn`, comparisons and other ops that
 * bypass tracing (bool and integer results), values copied out and back in —
 * enter the replay with their float32 values, and a note says how many did.
 * An op changed in place after it ran is compared with its final values.
 *
 * @example
 * const x = tensor([1e-8, 3e-8, 1e-7, 4e-7]);
 * const report = findDivergence((x) => x.add(1).log(), [x]);
 * report.divergence?.op; // 'log' (log1p(x) keeps every digit)
 * console.log(String(report));
 */
export function findDivergence<A extends readonly unknown[]>(
  fn: (...args: A) => Tensor,
  inputs: Readonly<A>,
  options: FindDivergenceOptions = {},
): DivergenceReport {
  const op = 'findDivergence';
  const settings = checkOptions(op, options);
  if (typeof fn !== 'function') throw new ArgumentError(op, `fn must be a function, got ${describeValue(fn)}`);
  if (!Array.isArray(inputs))
    throw new ArgumentError(op, `inputs must be an array of fn's arguments, got ${describeValue(inputs)}`);
  const floatInputs = inputs.flatMap((x, i) => (x instanceof Tensor && x.dtype === 'float32' ? [i] : []));
  if (floatInputs.length === 0) {
    throw new ArgumentError(
      op,
      `no float32 tensor among the inputs (${inputs.map(describeInput).join(', ') || 'none'}); findDivergence replays a float32 computation in float64`,
    );
  }

  // Leaf copies, so that the gradient pass never touches the caller's tensors.
  const args = inputs.slice();
  const leaves: Tensor[] = [];
  for (const i of floatInputs) {
    const t = inputs[i] as Tensor;
    const leaf = tensor(t.data(), { shape: t._shape, dtype: 'float32', requiresGrad: settings.gradients });
    args[i] = leaf;
    leaves.push(leaf);
  }
  const call = () => checkOutput(op, (fn as unknown as (...a: unknown[]) => unknown)(...args));
  const forward = settings.gradients ? traceOps(() => enableGrad(call)) : traceOps(call);
  const output = forward.result;
  const results = [output];
  let backwardRecords: TraceRecord[] = [];
  const notes: string[] = [];
  if (settings.gradients) {
    if (!output.requiresGrad) {
      notes.push('the output does not depend on the inputs through the graph: there is no backward pass to compare');
    } else {
      const gradOutput =
        output.size === 1
          ? undefined
          : randn(output._shape as number[], { dtype: output.dtype, generator: new Generator(0) });
      const leavesUsed = leaves;
      const backward = traceOps(() =>
        gradients(
          output,
          leavesUsed,
          gradOutput === undefined ? { createGraph: true } : { gradOutput, createGraph: true },
        ),
      );
      backwardRecords = backward.records;
      for (const g of backward.result) if (g !== null) results.push(g);
      if (gradOutput !== undefined)
        notes.push('the output is not a scalar: the gradients are of ⟨v, output⟩ with v random normal (seed 0)');
    }
  }

  const replay = new Replay(settings);
  for (const leaf of leaves) replay.widen(leaf);
  const steps = [...flatten(forward.records, 'forward', []), ...flatten(backwardRecords, 'backward', [])];
  const outcomes = steps.map((step) => replay.run(step));
  const compared = outcomes.filter((o): o is Outcome => o !== null);

  const finals = new Set<Tensor>(results.map((t) => replay.twinOf(t)));
  const blamed = blame(compared, finals, settings.tolerance);
  const resultErrors = results.map((t) => replay.errorOf(t));
  const departing = compared.filter((o) => o.error > settings.tolerance);
  const absorbed = departing
    .filter((o) => o !== blamed.first && !blamed.reaching.has(o))
    .map((o) => ({ op: o.step.record.name, phase: o.step.phase, error: o.error }));
  notes.push(...replay.notes());

  const producers = new Map<Node, TraceRecord>();
  for (const r of forward.records.flatMap(allRecords)) if (r.output.gradFn !== null) producers.set(r.output.gradFn, r);
  const divergence = blamed.first === null ? null : describe(blamed.first, compared, producers);
  if (divergence !== null) notes.push(...hints(divergence));
  const report: DivergenceReport = {
    ok: divergence === null,
    divergence,
    compared: {
      forward: compared.filter((o) => o.step.phase === 'forward').length,
      backward: compared.filter((o) => o.step.phase === 'backward').length,
    },
    absorbed,
    resultErrors,
    notes,
    tolerance: settings.tolerance,
    absoluteFloor: settings.absoluteFloor,
    toString: () => formatDivergence(report),
  };
  return report;
}

interface Settings {
  tolerance: number;
  absoluteFloor: number;
  gradients: boolean;
}

function checkOptions(op: string, options: FindDivergenceOptions): Settings {
  if (options === null || typeof options !== 'object') {
    throw new ArgumentError(
      op,
      `options must be an object like { tolerance: 1e-3, gradients: true }, got ${describeValue(options)}`,
    );
  }
  checkOptionKeys(op, options, ['tolerance', 'absoluteFloor', 'gradients']);
  const tolerance = options.tolerance ?? 1e-3;
  const absoluteFloor = options.absoluteFloor ?? float32SmallestNormal;
  const gradients = options.gradients ?? false;
  if (typeof tolerance !== 'number' || !(tolerance > 0) || !Number.isFinite(tolerance))
    throw new ArgumentError(op, `tolerance must be a finite number > 0, got ${describeValue(tolerance)}`);
  if (typeof absoluteFloor !== 'number' || !(absoluteFloor > 0) || !Number.isFinite(absoluteFloor))
    throw new ArgumentError(op, `absoluteFloor must be a finite number > 0, got ${describeValue(absoluteFloor)}`);
  if (typeof gradients !== 'boolean')
    throw new ArgumentError(op, `gradients must be true or false, got ${describeValue(gradients)}`);
  return { tolerance, absoluteFloor, gradients };
}

function describeInput(x: unknown): string {
  return x instanceof Tensor ? `a ${x.dtype} Tensor` : describeValue(x);
}

function checkOutput(op: string, out: unknown): Tensor {
  if (!(out instanceof Tensor)) throw new ArgumentError(op, `fn must return a Tensor, got ${describeValue(out)}`);
  if (out.dtype !== 'float32' && out.dtype !== 'float64')
    throw new ArgumentError(op, `fn returned a ${out.dtype} tensor; return the float tensor whose precision matters`);
  return out;
}

/** A record and every record inside it. */
function allRecords(r: TraceRecord): TraceRecord[] {
  return [r, ...r.children.flatMap(allRecords)];
}

/**
 * The trace as the replay runs it: primitives in the order they finished,
 * and a composite after its parts (it passes on the value of its part).
 */
function flatten(records: readonly TraceRecord[], phase: Step['phase'], within: string[]): Step[] {
  const steps: Step[] = [];
  for (const record of records) {
    if (record.def === undefined && record.children.length > 0)
      steps.push(...flatten(record.children, phase, [...within, record.name]));
    steps.push({ record, phase, within });
  }
  return steps;
}

/** Nothing is saved: the replay never runs backward. */
const notSaving: ForwardContext<Inputs> = { save() {} };

/** The float64 twin of every tensor of the float32 run, made as the replay reaches it. */
class Replay {
  readonly #twins = new Map<Tensor, Tensor>();
  readonly #settings: Settings;
  #floatLeaves = 0;
  #otherLeaves = 0;
  readonly #failed: string[] = [];
  readonly #unfollowed: string[] = [];

  constructor(settings: Settings) {
    this.#settings = settings;
  }

  /** A float32 tensor that no traced op made enters the replay as its values in float64. */
  widen(t: Tensor): Tensor {
    const known = this.#twins.get(t);
    if (known !== undefined) return known;
    const twin = t.dtype === 'float32' ? tensor(Float64Array.from(t.data()), { shape: t._shape, dtype: 'float64' }) : t;
    this.#twins.set(t, twin);
    return twin;
  }

  #input(t: Tensor, counted: boolean): Tensor {
    const known = this.#twins.get(t);
    if (known !== undefined) return known;
    // 0-d constants (the 2 of x.mul(2), a mean's count, the backward seed) are the program's own numbers.
    if (counted && t.ndim > 0) {
      if (t.dtype === 'float32' || t.dtype === 'float64') this.#floatLeaves++;
      else this.#otherLeaves++;
    }
    return this.widen(t);
  }

  /** Replays one step; for a primitive with a float result, compares the two results. */
  run(step: Step): Outcome | null {
    const r = step.record;
    if (r.def === undefined) {
      // A composite passes on its last part's value; detach passes on its input's.
      const from = r.children.length === 0 && r.name === 'detach' ? r.inputs[0] : r.output;
      const twin = from === undefined ? undefined : this.#twins.get(from);
      if (twin === undefined) {
        this.#unfollowed.push(r.name);
        this.widen(r.output);
      } else {
        this.#twins.set(r.output, twin);
      }
      return null;
    }
    const inputs = r.inputs.map((t) => this.#input(t, true));
    let out64: Tensor;
    try {
      out64 = noGrad(() => (r.def as AnyOpDef).forward(inputs, widenParams(r.params), notSaving));
    } catch (e) {
      this.#failed.push(`${r.name} (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
      this.widen(r.output);
      return null;
    }
    this.#twins.set(r.output, out64);
    const [error, worstFlat] = measure(r.output, out64, this.#settings.absoluteFloor);
    return { step, out64, inputTwins: inputs, error, worstFlat };
  }

  /** The error of a result the replay reached (0 for one it did not: then it is an input). */
  errorOf(t: Tensor): number {
    const twin = this.#twins.get(t);
    return twin === undefined || twin === t ? 0 : measure(t, twin, this.#settings.absoluteFloor)[0];
  }

  twinOf(t: Tensor): Tensor {
    return this.#input(t, false);
  }

  notes(): string[] {
    const notes: string[] = [];
    if (this.#floatLeaves > 0) {
      notes.push(
        `${this.#floatLeaves} float tensor(s) with dimensions besides the inputs entered the graph without a traced op making them ` +
          '(constants made inside fn, a non-scalar backward seed, or values copied out and back in); the replay used their float32 values',
      );
    }
    if (this.#otherLeaves > 0) {
      notes.push(
        `${this.#otherLeaves} bool or integer tensor(s) (comparisons and other ops that are not traced, indices) were used as the float32 run computed them; ` +
          'a comparison that float64 would decide differently is not detected',
      );
    }
    if (this.#failed.length > 0)
      notes.push(`could not replay in float64, so compared nothing from there: ${this.#failed.join('; ')}`);
    if (this.#unfollowed.length > 0)
      notes.push(
        `results of ${this.#unfollowed.join(', ')} were taken from the float32 run (their parts were not traced)`,
      );
    return notes;
  }
}

/** An op's params for the float64 replay: a requested float32 result (a cast, sum's dtype) becomes float64. */
function widenParams(p: unknown): unknown {
  if (p === 'float32') return 'float64';
  if (p !== null && typeof p === 'object' && Object.getPrototypeOf(p) === Object.prototype) {
    const o = p as Record<string, unknown>;
    if (o.dtype === 'float32') return { ...o, dtype: 'float64' };
  }
  return p;
}

/** [error, flat index of the worst element]; bool and integer results count any difference as Infinity. */
function measure(t32: Tensor, t64: Tensor, floor: number): [number, number] {
  const a = t32.data();
  const b = t64.data();
  if (a.length !== b.length) return [Number.POSITIVE_INFINITY, 0];
  let worst = 0;
  let worstDiff = -1;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (Number.isFinite(y)) scale = Math.max(scale, Math.abs(y));
    const diff = x === y || (Number.isNaN(x) && Number.isNaN(y)) ? 0 : Math.abs(x - y);
    const d = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff;
    if (d > worstDiff) [worst, worstDiff] = [i, d];
  }
  if (worstDiff <= 0) return [0, worst];
  const float = t64.dtype === 'float32' || t64.dtype === 'float64';
  if (!float || !Number.isFinite(worstDiff)) return [Number.POSITIVE_INFINITY, worst];
  return [worstDiff / Math.max(scale, floor), worst];
}

/**
 * The first departing op from which a chain of departing ops reaches a
 * departing result. Links follow the float64 twins, so a composite's output
 * or a detached view counts as the tensor it passes on.
 */
function blame(
  outcomes: readonly Outcome[],
  finals: ReadonlySet<Tensor>,
  tolerance: number,
): { first: Outcome | null; reaching: Set<Outcome> } {
  const consumers = new Map<Tensor, Outcome[]>();
  for (const o of outcomes) {
    for (const t of o.inputTwins) {
      const list = consumers.get(t);
      if (list === undefined) consumers.set(t, [o]);
      else list.push(o);
    }
  }
  const reaching = new Set<Outcome>();
  for (let k = outcomes.length - 1; k >= 0; k--) {
    const o = outcomes[k] as Outcome;
    if (!(o.error > tolerance)) continue;
    if (finals.has(o.out64) || (consumers.get(o.out64) ?? []).some((c) => reaching.has(c))) reaching.add(o);
  }
  return { first: outcomes.find((o) => reaching.has(o)) ?? null, reaching };
}

function summarize(t: Tensor): TensorSummary {
  const values = t.data();
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let nan = 0;
  let posInf = 0;
  let negInf = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) nan++;
    else if (v === Number.POSITIVE_INFINITY) posInf++;
    else if (v === Number.NEGATIVE_INFINITY) negInf++;
    else [min, max] = [Math.min(min, v), Math.max(max, v)];
  }
  if (min > max) [min, max] = [Number.NaN, Number.NaN];
  const text = t.ndim === 0 ? formatNumber(values[0] as number) : formatValues(values, t._shape);
  return { shape: t._shape, dtype: t.dtype, min, max, nan, posInf, negInf, text };
}

/** The first frame of user code in a trace record's stack, `file:line:column`. */
function userLine(stack: string | undefined): string | undefined {
  if (stack === undefined) return undefined;
  const e = new Error();
  e.stack = stack;
  const frame = formatStack(e)?.split('\n')[0];
  if (frame === undefined) return undefined;
  const m = /\(?((?:file:\/\/)?[^()\s]+:\d+:\d+)\)?\s*$/.exec(frame);
  let where = m?.[1] ?? frame.trim();
  where = where.replace(/^file:\/\//, '');
  const cwd = (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.();
  if (cwd !== undefined && where.startsWith(`${cwd}/`)) where = where.slice(cwd.length + 1);
  return where;
}

function describe(o: Outcome, outcomes: readonly Outcome[], producers: ReadonlyMap<Node, TraceRecord>): DivergentOp {
  const r = o.step.record;
  const rule: Node | undefined = r.rule;
  const owner = rule === undefined ? undefined : producers.get(rule);
  const location =
    o.step.phase === 'forward' ? userLine(r.stack) : owner === undefined ? undefined : userLine(owner.stack);
  const backwardOf = o.step.phase === 'forward' ? undefined : (rule?.name ?? undefined);
  const a = r.output.data();
  const b = o.out64.data();
  return {
    op: r.name,
    phase: o.step.phase,
    position: outcomes.indexOf(o) + 1,
    within: o.step.within,
    location,
    backwardOf,
    inputs: r.inputs.map(summarize),
    float32: summarize(r.output),
    float64: summarize(o.out64),
    error: o.error,
    worst: {
      index: unravel(o.worstFlat, r.output._shape),
      float32: a[o.worstFlat] as number,
      float64: b[o.worstFlat] as number,
    },
  };
}

/** Hints for the common ways float32 loses a result. */
function hints(d: DivergentOp): string[] {
  const notes: string[] = [];
  const f32 = d.float32;
  const f64 = d.float64;
  const overflowed = f32.posInf + f32.negInf > f64.posInf + f64.negInf;
  const inputNaN = d.inputs.some((s) => s.nan > 0);
  if (overflowed) {
    notes.push(
      'float32 overflowed (its largest number is about 3.4e38) where float64 did not: scale the values down before this op ' +
        '(subtract the max before exp, divide by the largest magnitude before squaring)',
    );
  } else if (f32.nan > f64.nan && !inputNaN && d.inputs.some((s) => s.posInf + s.negInf > 0)) {
    notes.push(
      'the float32 inputs hold infinities (an overflow earlier), which this op turned into NaN (∞ − ∞, ∞/∞, 0·∞)',
    );
  }
  const inputScale = Math.max(
    0,
    ...d.inputs.map((s) => Math.max(Math.abs(s.min), Math.abs(s.max))).filter(Number.isFinite),
  );
  const outScale = Math.max(Math.abs(f64.min), Math.abs(f64.max));
  if ((d.op === 'sub' || d.op === 'add') && Number.isFinite(outScale) && inputScale > 1e3 * outScale) {
    notes.push(
      `catastrophic cancellation: the inputs reach ${formatNumber(inputScale)} and their ${d.op === 'sub' ? 'difference' : 'sum'} only ${formatNumber(outScale)}, ` +
        'so float32 keeps few of its digits; compute the small quantity directly (center the data before squaring it, as a two-pass variance does)',
    );
  }
  if (
    d.op === 'log' &&
    d.inputs[0] !== undefined &&
    Math.abs(d.inputs[0].min - 1) < 1e-2 &&
    Math.abs(d.inputs[0].max - 1) < 1e-2
  ) {
    notes.push('log of values near 1: if the input is 1 + x, log1p(x) keeps the digits of x that 1 + x rounds away');
  }
  if (f32.max === 0 && f32.min === 0 && outScale > 0 && outScale < 1e-37) {
    notes.push('float32 underflowed to 0 (its smallest normal number is about 1.2e-38)');
  }
  return notes;
}

function describeSummary(s: TensorSummary): string {
  const parts = [`${s.dtype} ${formatShape(s.shape)}`];
  const one = s.shape.reduce((n, d) => n * d, 1) === 1;
  if (!Number.isNaN(s.min) && !one) parts.push(`in [${formatNumber(s.min)}, ${formatNumber(s.max)}]`);
  const bad = [
    s.nan > 0 ? `${s.nan} NaN` : '',
    s.posInf > 0 ? `${s.posInf} +Infinity` : '',
    s.negInf > 0 ? `${s.negInf} -Infinity` : '',
  ].filter((x) => x !== '');
  if (bad.length > 0) parts.push(`(${bad.join(', ')})`);
  return `${parts.join(' ')} = ${s.text}`;
}

/** A report as text: verdict, the op and where it was called, its inputs and results, notes. */
export function formatDivergence(report: DivergenceReport): string {
  const lines: string[] = [];
  const rule = `max |float32 − float64| / max(max |float64|, ${formatNumber(report.absoluteFloor)}) ≤ ${formatNumber(report.tolerance)}`;
  const count = `${report.compared.forward} forward${report.compared.backward > 0 ? ` and ${report.compared.backward} backward` : ''} ops compared`;
  const d = report.divergence;
  if (d === null) {
    lines.push(`no divergence: every op's float32 result that reaches the output is within ${rule} (${count})`);
    const errors = report.resultErrors.map(formatNumber).join(', ');
    lines.push(`  error of the output${report.resultErrors.length > 1 ? ' and the gradients' : ''}: ${errors}`);
  } else {
    const inside = d.within.length > 0 ? ` (inside ${d.within.join(' > ')})` : '';
    const of =
      d.phase === 'backward'
        ? d.backwardOf === undefined
          ? ' in the backward pass (summing or casting gradients)'
          : ` in the backward of ${d.backwardOf}`
        : '';
    lines.push(
      `float32 diverges at ${d.op}${inside}${of}, ${d.phase} op ${d.position}: error ${formatNumber(d.error)} > tolerance ${formatNumber(report.tolerance)}`,
    );
    lines.push(
      `  ${d.phase === 'backward' && d.backwardOf !== undefined ? `${d.backwardOf} was called` : 'called'} at ${d.location ?? '(no frame outside chainrule)'}`,
    );
    d.inputs.forEach((s, i) => lines.push(`  input ${i}: ${describeSummary(s)}`));
    lines.push(`  float32 result: ${describeSummary(d.float32)}`);
    lines.push(`  float64 result: ${describeSummary(d.float64)}`);
    const at = d.worst.index.length === 0 ? '' : ` at [${d.worst.index.join(', ')}]`;
    lines.push(
      `  furthest apart${at}: float32 ${formatNumber(d.worst.float32)}, float64 ${formatNumber(d.worst.float64)}`,
    );
    lines.push(`  (${count}; error = ${rule.split(' ≤')[0]})`);
  }
  if (report.absorbed.length > 0) {
    const shown = report.absorbed.slice(0, 5).map((a) => `${a.op} (${a.phase}, error ${formatNumber(a.error)})`);
    const more = report.absorbed.length > 5 ? ` and ${report.absorbed.length - 5} more` : '';
    lines.push(`  departed but absorbed by later ops: ${shown.join(', ')}${more}`);
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}
