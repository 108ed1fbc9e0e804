/**
 * exportOnnx: runs a model or function once on example inputs with op
 * tracing on, walks the trace back from the outputs, and writes what it
 * reached as an ONNX graph.
 */
import { ArgumentError, Tensor } from '@chainrule/core';
import { describeValue, traceOps, type TraceRecord, type ValueRead } from '@chainrule/core/internal';
import { Module } from '@chainrule/nn';
import { OnnxExportError } from './errors';
import { GraphBuilder } from './graph';
import { onnxMappings } from './ops';
import { DataType, modelProto } from './schema';

/** Options of {@link exportOnnx}, as torch.onnx.export's keyword arguments. */
export interface ExportOptions {
  /** The ONNX opset the graph is written for (default 17; 17 to 21 accepted). */
  opset?: number;
  /** Names of the graph's inputs, in order (default `input_0`, `input_1`, ...). */
  inputNames?: readonly string[];
  /** Names of the graph's outputs, in order (default `output_0`, ...). */
  outputNames?: readonly string[];
  /**
   * Dimensions of inputs and outputs whose size is not fixed: per name, the
   * axes and the symbolic name of each (`{ input_0: { 0: 'batch' } }`) or a
   * list of axes (named `<name>_dim<axis>`). Only axis 0 (the batch) is
   * supported.
   */
  dynamicAxes?: Readonly<Record<string, Readonly<Record<number, string>> | readonly number[]>>;
}

/** A function of tensors to export, or a Module (its parameters and buffers keep their state-dict names). */
export type Exportable = ((...inputs: Tensor[]) => Tensor | readonly Tensor[]) | Module<Tensor[], unknown>;

const op = 'exportOnnx';
const optionKeys = new Set(['opset', 'inputNames', 'outputNames', 'dynamicAxes']);

/** The IR version that goes with the opset: opset 17 → 8, 18 and 19 → 9, 20 and 21 → 10. */
const irVersionOf = (opset: number): number => (opset <= 17 ? 8 : opset <= 19 ? 9 : 10);

interface CheckedOptions {
  opset: number;
  inputNames: readonly string[];
  outputNames: readonly string[] | undefined;
  dynamicAxes: Map<string, Map<number, string>>;
}

function checkOptions(options: unknown, inputCount: number): CheckedOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ArgumentError(op, `options must be an object, got ${describeValue(options)}`);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!optionKeys.has(key)) {
      throw new ArgumentError(op, `unknown option '${key}' (accepted: ${[...optionKeys].join(', ')})`);
    }
  }
  const opset = o.opset ?? 17;
  if (typeof opset !== 'number' || !Number.isInteger(opset) || opset < 17 || opset > 21) {
    throw new ArgumentError(op, `opset must be an integer from 17 to 21, got ${describeValue(o.opset)}`);
  }
  const names = (key: string, count: number | undefined): readonly string[] | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string' && s.length > 0)) {
      throw new ArgumentError(op, `${key} must be an array of non-empty strings, got ${describeValue(v)}`);
    }
    if (new Set(v).size !== v.length)
      throw new ArgumentError(op, `${key} must not repeat a name, got ${describeValue(v)}`);
    if (count !== undefined && v.length !== count) {
      throw new ArgumentError(op, `${key} has ${v.length} names for ${count} example inputs`);
    }
    return v as string[];
  };
  const inputNames = names('inputNames', inputCount) ?? Array.from({ length: inputCount }, (_, i) => `input_${i}`);
  const outputNames = names('outputNames', undefined);
  const dynamicAxes = new Map<string, Map<number, string>>();
  const d = o.dynamicAxes;
  if (d !== undefined) {
    if (typeof d !== 'object' || d === null || Array.isArray(d)) {
      throw new ArgumentError(op, `dynamicAxes must be an object of input and output names, got ${describeValue(d)}`);
    }
    for (const [name, axes] of Object.entries(d)) {
      const map = new Map<number, string>();
      const entries: [number, unknown][] = Array.isArray(axes)
        ? axes.map((a: unknown) => [Number(a), `${name}_dim${String(a)}`])
        : typeof axes === 'object' && axes !== null
          ? Object.entries(axes).map(([a, s]) => [Number(a), s])
          : [];
      if (entries.length === 0) {
        throw new ArgumentError(
          op,
          `dynamicAxes.${name} must list axes (e.g. [0] or { 0: 'batch' }), got ${describeValue(axes)}`,
        );
      }
      for (const [axis, label] of entries) {
        if (axis !== 0 || typeof label !== 'string' || label.length === 0) {
          throw new ArgumentError(
            op,
            `dynamicAxes.${name}: only axis 0 (the batch) can be dynamic, named by a non-empty string; got axis ${describeValue(axis)} named ${describeValue(label)}`,
          );
        }
        map.set(axis, label);
      }
      dynamicAxes.set(name, map);
    }
  }
  return { opset, inputNames, outputNames, dynamicAxes };
}

/** The first stack frame outside chainrule's packages, for "created at" in errors. */
function callSite(stack: string | undefined): string {
  if (stack === undefined) return 'an unknown place';
  const frames = stack
    .split('\n')
    .slice(1)
    .map((l) => l.trim());
  const user = frames.find(
    (f) => !/[\\/](packages[\\/](core|nn|onnx)[\\/]src|node_modules[\\/]@chainrule)[\\/]/.test(f),
  );
  return (user ?? frames[0] ?? 'an unknown place').replace(/^at /, '');
}

/**
 * Refuses a trace in which a value computed from the inputs was read as a
 * number (`Tensor.item()`): what the code did with it (a branch, a size, a
 * constant) followed the example's values and is not in the trace, so the
 * graph would be right for inputs like the example only.
 */
function refuseValueReads(
  valueReads: readonly ValueRead[],
  producers: ReadonlyMap<Tensor, readonly TraceRecord[]>,
  inputs: ReadonlySet<Tensor>,
): void {
  const known = new Map<Tensor, boolean>();
  const fromInputs = (t: Tensor): boolean => {
    const seen = known.get(t);
    if (seen !== undefined) return seen;
    known.set(t, false); // a cycle cannot occur; this only stops a revisit
    const list = producers.get(t);
    const outer = list?.[list.length - 1];
    const result = inputs.has(t) || (outer !== undefined && outer.inputs.some(fromInputs));
    known.set(t, result);
    return result;
  };
  for (const read of valueReads) {
    if (!fromInputs(read.tensor)) continue;
    const list = producers.get(read.tensor);
    const made = list?.[list.length - 1];
    const what = made === undefined ? 'an input' : `the result of '${made.name}' (called at ${callSite(made.stack)})`;
    throw new OnnxExportError(
      op,
      `the value of ${what} was read as a number (item()) at ${callSite(read.stack)} while tracing: code that branches ` +
        `on a value computed from the inputs follows the example's values, which an ONNX graph cannot replay for other inputs; ` +
        `compute the result with tensor ops (where, masks) instead of reading the value`,
    );
  }
}

function valueInfo(name: string, t: Tensor, dynamic: Map<number, string> | undefined) {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: DataType[t.dtype],
        shape: {
          dim: t.shape.map((n, axis) => (dynamic?.has(axis) ? { dim_param: dynamic.get(axis) } : { dim_value: n })),
        },
      },
    },
  };
}

/**
 * Exports a model or a function of tensors to ONNX: runs it once on
 * `exampleInputs` recording every op, maps each op it reached to ONNX
 * operators (opset 17 by default), and returns the bytes of the model.
 * Parameters (a Module's parameters and buffers, under their state-dict
 * names; leaves that require grad, for a function) and other tensors the
 * function read become initializers; float32 and float64 are kept as given.
 * Outputs must be computed from the inputs and parameters by chainrule ops.
 *
 * NOTE: as with torch.onnx.export, what the example run did is what is
 * written: Dropout in training mode and shapes computed from the example
 * are fixed in the graph (a branch on a value read with `item()` is refused,
 * see below; one on values read otherwise is fixed too). Only axis 0 can be
 * dynamic: reshapes that keep the batch dimension copy it, tensors created
 * with the example's batch size inside the function do not follow it.
 *
 * @throws OnnxExportError naming the first op (and where it was called)
 *   that has no ONNX mapping, or when the function read a value computed
 *   from the inputs as a number (`item()`, a value-dependent branch).
 *   NOTE: reads through `data()` and `toArray()` (argument checks) are not
 *   detected.
 *
 * @example
 * const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2));
 * const bytes = exportOnnx(model, [randn([2, 4])], {
 *   inputNames: ['x'],
 *   outputNames: ['logits'],
 *   dynamicAxes: { x: { 0: 'batch' }, logits: { 0: 'batch' } },
 * });
 * writeFileSync('model.onnx', bytes);
 */
export function exportOnnx(
  model: Exportable,
  exampleInputs: Tensor | readonly Tensor[],
  options?: ExportOptions,
): Uint8Array {
  const isModule = model instanceof Module;
  if (!isModule && typeof model !== 'function') {
    throw new ArgumentError(op, `the model must be a Module or a function of tensors, got ${describeValue(model)}`);
  }
  const inputs = exampleInputs instanceof Tensor ? [exampleInputs] : exampleInputs;
  if (!Array.isArray(inputs) || !inputs.every((t) => t instanceof Tensor)) {
    throw new ArgumentError(
      op,
      `the example inputs must be a Tensor or an array of Tensors, got ${describeValue(exampleInputs)}`,
    );
  }
  if (new Set(inputs).size !== inputs.length) {
    throw new ArgumentError(
      op,
      'the example inputs must be distinct Tensors (the same Tensor twice would be one graph input)',
    );
  }
  const o = checkOptions(options, inputs.length);

  const named = new Map<Tensor, string>();
  if (isModule) for (const [name, t] of [...model.namedParameters(), ...model.namedBuffers()]) named.set(t, name);

  const run = () => (isModule ? (model.forward as (...xs: Tensor[]) => unknown)(...inputs) : model(...inputs));
  const { result, records, valueReads } = traceOps(run);
  const outputs = result instanceof Tensor ? [result] : result;
  if (!Array.isArray(outputs) || outputs.length === 0 || !outputs.every((t) => t instanceof Tensor)) {
    throw new ArgumentError(
      op,
      `the model must return a Tensor or a non-empty array of Tensors, got ${describeValue(result)}`,
    );
  }
  const outputNames = o.outputNames ?? outputs.map((_, i) => `output_${i}`);
  if (outputNames.length !== outputs.length) {
    throw new ArgumentError(op, `outputNames has ${outputNames.length} names for ${outputs.length} outputs`);
  }
  for (const name of o.dynamicAxes.keys()) {
    if (!o.inputNames.includes(name) && !outputNames.includes(name)) {
      throw new ArgumentError(op, `dynamicAxes names '${name}', which is neither an input nor an output name`);
    }
  }

  // Each tensor's producers, innermost first: a composite op (conv2d) ends after the parts it ran.
  const producers = new Map<Tensor, TraceRecord[]>();
  const collect = (list: readonly TraceRecord[]) => {
    for (const r of list) {
      collect(r.children);
      const known = producers.get(r.output);
      if (known === undefined) producers.set(r.output, [r]);
      else known.push(r);
    }
  };
  collect(records);
  refuseValueReads(valueReads, producers, new Set(inputs));

  const graph = new GraphBuilder();
  const names = new Map<Tensor, string>();
  inputs.forEach((t, i) => names.set(t, graph.fresh(o.inputNames[i] as string)));
  for (const name of outputNames) {
    if (graph.fresh(name) !== name) throw new ArgumentError(op, `the output name '${name}' is also an input's name`);
  }
  const dynamicBatch = o.dynamicAxes.size > 0;

  const nameOf = (t: Tensor): string => {
    const known = names.get(t);
    if (known !== undefined) return known;
    const list = producers.get(t);
    let name: string | null = null;
    if (list === undefined) {
      // Not made by an op while tracing: a parameter, a buffer or a constant.
      const param = named.get(t);
      name = graph.tensor(graph.fresh(param ?? (t.requiresGrad ? 'param' : 'const')), t);
    } else {
      for (let k = list.length - 1; k >= 0 && name === null; k--) {
        const record = list[k] as TraceRecord;
        const mapping = onnxMappings[record.name];
        if (mapping === undefined) continue;
        const inputNames = record.inputs.map(nameOf);
        name = mapping({ graph, inputs: inputNames, record, dynamicBatch });
      }
      if (name === null) {
        const outer = list[list.length - 1] as TraceRecord;
        throw new OnnxExportError(
          op,
          `the op '${outer.name}' (called at ${callSite(outer.stack)}) has no ONNX mapping in this form; exportable ops: see onnxMappings`,
        );
      }
    }
    names.set(t, name);
    return name;
  };

  const outputValues = outputs.map(nameOf);
  // Graph outputs need names of their own: an output that is an input or an initializer, or one output twice, gets an Identity.
  const outputInfo = outputs.map((t, i) => {
    const wanted = outputNames[i] as string;
    graph.nodes.push({
      op_type: 'Identity',
      input: [outputValues[i] as string],
      output: [wanted],
      name: graph.fresh('Identity'),
      attribute: [],
    });
    return valueInfo(wanted, t, o.dynamicAxes.get(wanted));
  });

  const message = {
    ir_version: irVersionOf(o.opset),
    opset_import: [{ domain: '', version: o.opset }],
    producer_name: 'chainrule',
    producer_version: '0.1.0',
    graph: {
      name: 'chainrule',
      node: graph.nodes,
      initializer: graph.initializers,
      input: inputs.map((t, i) =>
        valueInfo(o.inputNames[i] as string, t, o.dynamicAxes.get(o.inputNames[i] as string)),
      ),
      output: outputInfo,
    },
  };
  const type = modelProto();
  return type.encode(type.fromObject(message)).finish();
}
