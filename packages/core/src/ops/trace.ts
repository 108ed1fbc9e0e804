/**
 * Op tracing for exporters (@chainrule/onnx): while `traceOps` runs a
 * function, every op application is written down with the tensors it read,
 * its params and the tensor it made. Ops built from other ops (conv2d from
 * unfold and matmul, softmax from max, exp and sum) are traced as one
 * record whose children are the records of their parts, so an exporter can
 * map the whole (one ONNX Conv) or fall back to the parts.
 *
 * The backward graph cannot serve here: a node keeps only the nodes of the
 * inputs that need a gradient, so constants (the 2 of `x.mul(2)`) and
 * tensors outside the graph are lost, and params live on nodes of ops only.
 */
import type { Node } from '../tensor/node';
import type { Tensor } from '../tensor/tensor';
import type { AnyOpDef } from './define';

/** One traced op application. */
export interface TraceRecord {
  /** The op's name: an OpDef's name, or a composite's public name (`'conv2d'`). */
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /** The op's params as the op reads them (a composite's checked, defaulted arguments). */
  readonly params: unknown;
  readonly output: Tensor;
  /** The records of the ops this one ran inside (empty for a primitive). */
  readonly children: readonly TraceRecord[];
  /** Where the op was called, as a stack trace (the exporter names it in errors). */
  readonly stack: string | undefined;
  /** A primitive's OpDef, so a replay (findDivergence) can run its forward on other inputs; undefined for a composite. */
  readonly def?: AnyOpDef | undefined;
  /** For an op a backward rule applied: the graph node whose rule it was (undefined outside backward rules). */
  readonly rule?: Node | undefined;
}

/** The open frames: each collects the records made inside one traced call. Null when not tracing. */
let frames: TraceRecord[][] | null = null;

/** A tensor whose value was read as a number (`Tensor.item`) while tracing, and where. */
export interface ValueRead {
  readonly tensor: Tensor;
  /** Where the value was read, as a stack trace. */
  readonly stack: string | undefined;
}

/** The value reads of the running trace (null when not tracing). */
let reads: ValueRead[] | null = null;

/**
 * Notes, while tracing, that `tensor`'s value was read as a number: code
 * that branches on it (or computes a size or a constant from it) did what
 * the example's values said, which a graph of ops cannot replay for other
 * values. An exporter refuses such a trace when the value came from the
 * inputs.
 */
export function noteValueRead(tensor: Tensor): void {
  if (reads === null) return;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack;
  Error.stackTraceLimit = limit;
  reads.push({ tensor, stack });
}

/** The node whose backward rule is running, while tracing. */
let currentRule: Node | undefined;
/** The tensor among an op's operands (a number operand is no graph input): for {@link tracedWhole}'s inputs. */
export function inputsOf(...operands: readonly unknown[]): Tensor[] {
  return operands.filter((x): x is Tensor => typeof x === 'object' && x !== null && 'storage' in x && 'shape' in x);
}

/** True while `traceOps` runs: ops pay one check for tracing when it is off. */
export function isTracing(): boolean {
  return frames !== null;
}

/**
 * Runs `run` (which computes one op's output from `inputs`) and, while
 * tracing, records it under `name` with the records made inside it as
 * children.
 */
export function traced(
  name: string,
  inputs: readonly Tensor[],
  params: unknown,
  run: () => Tensor,
  def?: AnyOpDef,
): Tensor {
  const open = frames;
  if (open === null) return run();
  open.push([]);
  let output: Tensor;
  try {
    output = run();
  } catch (e) {
    open.pop();
    throw e;
  }
  const children = open.pop() ?? [];
  // Deep enough to get past chainrule's own frames to the caller's.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  const stack = new Error().stack;
  Error.stackTraceLimit = limit;
  open[open.length - 1]?.push({ name, inputs, params, output, children, stack, def, rule: currentRule });
  return output;
}

/**
 * Runs a backward rule of `node`; while tracing, the ops it applies are
 * recorded with `rule: node`, so a reader of the trace knows which forward
 * op each gradient op belongs to.
 */
export function inRule<T>(node: Node, run: () => T): T {
  if (frames === null) return run();
  const outer = currentRule;
  currentRule = node;
  try {
    return run();
  } finally {
    currentRule = outer;
  }
}

/**
 * Like {@link traced}, for an op whose result is computed by kernels outside
 * `apply` (comparisons' masks, indices, counts, random draws): the records
 * of anything it ran inside are dropped, so an exporter maps the op whole or
 * refuses it, and never falls back to parts that would read an untraced
 * intermediate as a constant.
 */
export function tracedWhole(name: string, inputs: readonly Tensor[], params: unknown, run: () => Tensor): Tensor {
  if (frames === null) return run();
  const output = traced(name, inputs, params, run);
  const frame = frames[frames.length - 1];
  const record = frame?.[frame.length - 1];
  if (frame !== undefined && record !== undefined && record.output === output) {
    frame[frame.length - 1] = { ...record, children: [] };
  }
  return output;
}

/**
 * Runs `body` and returns its result with the records of the ops it applied,
 * in the order they finished, and the tensors whose values it read as
 * numbers ({@link noteValueRead}). Not re-entrant: tracing inside a trace throws.
 */
export function traceOps<T>(body: () => T): { result: T; records: TraceRecord[]; valueReads: ValueRead[] } {
  if (frames !== null) throw new Error('traceOps: already tracing (traces do not nest)');
  const top: TraceRecord[] = [];
  const valueReads: ValueRead[] = [];
  frames = [top];
  reads = valueReads;
  try {
    return { result: body(), records: top, valueReads };
  } finally {
    frames = null;
    reads = null;
  }
}
