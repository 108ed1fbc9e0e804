/**
 * importOnnx: an ONNX model as a differentiable chainrule function of its
 * graph inputs, with the initializers as trainable tensors.
 */
import { ChainruleError, Tensor } from '@chainrule/core';
import { parameter } from '@chainrule/nn';
import { type ModelInfo, type NodeInfo, type ValueInfo, decodeModel, typeName } from './decode';
import { OnnxImportError } from './import-error';
import { type NodeRun, defaultMaxElements, importOps, nodeView, tensorFrom } from './import-ops';

/** Options of {@link importOnnx}. */
export interface ImportOptions {
  /**
   * Whether the float initializers become parameters that require grad
   * (default true). Initializers read only as a BatchNormalization's running
   * mean or variance stay buffers either way, as in PyTorch.
   */
  requiresGrad?: boolean;
  /**
   * The most elements a tensor may have whose shape the graph computes from
   * its values (padding, Expand, Tile, ConstantOfShape, Range) when the
   * function runs (default 2^28, 1 GiB of float32): a hostile graph cannot
   * make the function allocate more than this per tensor.
   */
  maxElements?: number;
}

/**
 * Tensors by initializer name that are also an iterable of those tensors,
 * so `new SGD(imported.parameters, { lr })` and
 * `imported.parameters['0.weight']` both work.
 */
export type ParameterRecord = Readonly<Record<string, Tensor>> & Iterable<Tensor>;

/** What {@link importOnnx} returns. */
export interface ImportedOnnx {
  /**
   * The graph as a function: its inputs (in the order of `inputNames`) to
   * its outputs (in the order of `outputNames`). Built from chainrule ops,
   * so `backward()` reaches the parameters and the inputs.
   */
  readonly fn: (...inputs: Tensor[]) => Tensor[];
  /** The float initializers that require grad, by name (iterable as a list for the optimizers). */
  readonly parameters: ParameterRecord;
  /** The other initializers (integers, BatchNormalization's running statistics), by name. */
  readonly buffers: Readonly<Record<string, Tensor>>;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** The default-domain opset the model was written for. */
  readonly opset: number;
  /** The producer_name the model declares (e.g. 'pytorch'). */
  readonly producer: string;
}

const op = 'importOnnx';

/** Every operator of the model that has no entry, with counts, in one error. */
function checkOperators(model: ModelInfo): void {
  const missing = new Map<string, number>();
  for (const n of model.nodes) {
    if (n.domain === '' && Object.hasOwn(importOps, n.opType)) continue;
    const key = n.domain === '' ? n.opType : `${n.domain}.${n.opType}`;
    missing.set(key, (missing.get(key) ?? 0) + 1);
  }
  if (missing.size === 0) return;
  const listed = [...missing].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => (c > 1 ? `${k} (${c} nodes)` : k));
  throw new OnnxImportError(
    op,
    `the model uses ${missing.size} operator${missing.size > 1 ? 's' : ''} chainrule cannot import: ${listed.join(', ')} (supported: see importOnnxOperators)`,
  );
}

function checkInputCounts(n: NodeInfo): void {
  const entry = importOps[n.opType];
  if (entry === undefined) return;
  const [min, max] = entry.inputs;
  if (n.inputs.length > max) {
    throw new OnnxImportError(
      op,
      `node '${n.name}' (${n.opType}) has ${n.inputs.length} inputs, at most ${max} accepted`,
    );
  }
  for (let i = 0; i < min; i++) {
    if ((n.inputs[i] ?? '') === '') {
      throw new OnnxImportError(op, `node '${n.name}' (${n.opType}) lacks its required input #${i} (${min} required)`);
    }
  }
}

function describeShape(dims: ValueInfo['dims']): string {
  return dims === null ? 'any shape' : `[${dims.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

function checkInput(info: ValueInfo, t: unknown, index: number): Tensor {
  const where = `the function's input #${index} ('${info.name}')`;
  if (!(t instanceof Tensor))
    throw new OnnxImportError(op, `${where} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  if (t.dtype !== info.dtype) {
    throw new OnnxImportError(
      op,
      `${where} must be ${info.dtype} (the model declares ${typeName(info.type)}), got ${t.dtype}`,
    );
  }
  const dims = info.dims;
  if (dims !== null) {
    const fits = t.ndim === dims.length && dims.every((d, i) => typeof d !== 'number' || d === t.shape[i]);
    if (!fits)
      throw new OnnxImportError(
        op,
        `${where} must have shape ${describeShape(dims)} (named dimensions may be any size), got [${t.shape.join(', ')}]`,
      );
  }
  return t;
}

/**
 * Imports an ONNX model (the bytes of a `.onnx` file) as a chainrule
 * function of its graph inputs, differentiable through every node, with the
 * initializers as tensors that require grad under their ONNX names, ready
 * for chainrule's optimizers to fine-tune.
 *
 * The whole model is checked before any weight is read: the protobuf
 * encoding, IR version (3 to 10) and opset (13 to 21 of the default
 * domain), every tensor's declared size against the bytes present, data
 * types, that every value is defined once and the nodes form a DAG (nodes
 * listed out of order are sorted), and every node's attributes. Graphs run
 * in inference mode (Dropout passes through, BatchNormalization uses its
 * running statistics). chainrule has no int64: INT64 values (shapes,
 * indices) are int32 tensors, and an INT64 graph input takes an int32
 * tensor. Inputs with named (dynamic) dimensions accept any size there.
 *
 * @throws OnnxImportError for bytes that are not a valid ONNX model, a model
 *   using operators or data types chainrule has no equivalent of (the error
 *   lists every unsupported operator of the model), or forms of an operator
 *   it does not support; the function throws one for inputs of the wrong
 *   count, dtype or shape.
 *
 * @example
 * const { fn, parameters } = importOnnx(readFileSync('model.onnx'));
 * const optimizer = new SGD(parameters, { lr: 0.01 });
 * const [logits] = fn(x);
 * crossEntropyLoss(logits, labels).backward();
 * optimizer.step();
 */
export function importOnnx(bytes: Uint8Array, options: ImportOptions = {}): ImportedOnnx {
  if (typeof options !== 'object' || options === null) {
    throw new OnnxImportError(op, `options must be an object, got ${options === null ? 'null' : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (key !== 'requiresGrad' && key !== 'maxElements') {
      throw new OnnxImportError(op, `unknown option '${key}' (accepted: requiresGrad, maxElements)`);
    }
  }
  const maxElements = options.maxElements ?? defaultMaxElements;
  if (typeof maxElements !== 'number' || !Number.isInteger(maxElements) || maxElements < 1) {
    throw new OnnxImportError(op, `maxElements must be a positive integer, got ${String(maxElements)}`);
  }
  const requiresGrad = options.requiresGrad ?? true;
  if (typeof requiresGrad !== 'boolean')
    throw new OnnxImportError(op, `requiresGrad must be a boolean, got ${typeof requiresGrad}`);

  const model = decodeModel(bytes);
  checkOperators(model);
  for (const n of model.nodes) checkInputCounts(n);
  const runs: NodeRun[] = model.nodes.map((n) =>
    (importOps[n.opType] as (typeof importOps)[string]).compile(nodeView(n, model.opset, maxElements)),
  );

  // Everything is checked: only now are the weights read.
  const statistics = new Set<string>();
  for (const n of model.nodes)
    if (n.opType === 'BatchNormalization') for (const name of n.inputs.slice(3)) statistics.add(name);
  const parameters: Record<string, Tensor> = {};
  const buffers: Record<string, Tensor> = {};
  const constants = new Map<string, Tensor>();
  for (const info of model.initializers) {
    const t = tensorFrom(info);
    const float = t.dtype === 'float32' || t.dtype === 'float64';
    if (float && requiresGrad && !statistics.has(info.name) && t.size > 0) parameters[info.name] = parameter(t);
    else buffers[info.name] = t;
    constants.set(info.name, t);
  }
  const list = Object.values(parameters);
  Object.defineProperty(parameters, Symbol.iterator, { value: () => list[Symbol.iterator](), enumerable: false });

  const inputs = model.inputs;
  const fn = (...given: Tensor[]): Tensor[] => {
    if (given.length !== inputs.length) {
      throw new OnnxImportError(
        op,
        `the function takes ${inputs.length} input${inputs.length === 1 ? '' : 's'} (${inputs.map((i) => i.name).join(', ')}), got ${given.length}`,
      );
    }
    const values = new Map(constants);
    inputs.forEach((info, i) => {
      const t = checkInput(info, given[i], i);
      // NOTE: chainrule's int32 stands in for an INT64 input, which the declared type check above already accepted.
      values.set(info.name, t);
    });
    model.nodes.forEach((n, k) => {
      const args = n.inputs.map((name) => (name === '' ? undefined : values.get(name)));
      let outs: Tensor[];
      try {
        outs = (runs[k] as NodeRun)(args);
      } catch (e) {
        if (e instanceof OnnxImportError || !(e instanceof ChainruleError)) throw e;
        const shapes = args.map((a) => (a === undefined ? '-' : `${a.dtype}[${a.shape.join(', ')}]`)).join(', ');
        throw new OnnxImportError(op, `node '${n.name}' (${n.opType}) failed on inputs ${shapes}: ${e.message}`);
      }
      n.outputs.forEach((name, i) => {
        if (name === '') return;
        const out = outs[i];
        if (out === undefined) throw new OnnxImportError(op, `node '${n.name}' (${n.opType}) has no output #${i}`);
        values.set(name, out);
      });
    });
    return model.outputs.map((o) => values.get(o.name) as Tensor);
  };
  return {
    fn,
    parameters: parameters as ParameterRecord,
    buffers,
    inputNames: inputs.map((i) => i.name),
    outputNames: model.outputs.map((o) => o.name),
    opset: model.opset,
    producer: model.producer,
  };
}

/** The ONNX operators (default domain) importOnnx can import, sorted. */
export const importOnnxOperators: readonly string[] = Object.keys(importOps).sort();
