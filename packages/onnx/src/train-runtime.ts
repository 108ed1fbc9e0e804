/**
 * trainWithOnnxRuntime: the loop around an exported training step. It
 * depends on no ONNX Runtime package: the session and the tensor class are
 * structural types, so onnxruntime-node, onnxruntime-web and
 * onnxruntime-react-native all fit.
 */
import { ArgumentError, noGrad, type Tensor, tensor } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';
import type { Module } from '@chainrule/nn';
import { Adam, AdamW, type Optimizer, SGD } from '@chainrule/optim';
import { OnnxExportError } from './errors';
import { type TrainingBatch, trainingStepLayout } from './train-step';

/** What the runner reads from and writes to an ONNX Runtime tensor. */
export interface OrtTensorLike {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
}

/** An ONNX Runtime tensor class: `new Tensor(type, data, dims)` (onnxruntime's `Tensor`). */
export type OrtTensorConstructor = new (
  type: 'float32' | 'float64' | 'int32',
  data: Float32Array | Float64Array | Int32Array,
  dims: readonly number[],
) => OrtTensorLike;

/** An ONNX Runtime inference session, as far as the runner uses it. */
export interface OrtSessionLike {
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
}

/** Options of {@link trainWithOnnxRuntime}. */
export interface OnnxTrainingOptions {
  /** The ONNX Runtime tensor class (`ort.Tensor`): the package stays free of any runtime dependency. */
  Tensor: OrtTensorConstructor;
  /** The optimizer the step was exported with: its learning rate is fed each step, its state is read first and written back at the end. */
  optimizer: Optimizer;
  /** Called after each step with its number (from 1) and loss; may change `optimizer`'s learning rate for the next step (a scheduler). */
  onStep?: (step: number, loss: number) => void;
}

const op = 'trainWithOnnxRuntime';

function toOrt(T: OrtTensorConstructor, t: Tensor): OrtTensorLike {
  const c = t.contiguous();
  const data = c.storage.data.subarray(c.offset, c.offset + c.size);
  if (t.dtype === 'float64') return new T('float64', Float64Array.from(data as Float64Array), [...t.shape]);
  if (t.dtype === 'int32') return new T('int32', Int32Array.from(data as Int32Array), [...t.shape]);
  if (t.dtype === 'float32') return new T('float32', Float32Array.from(data as Float32Array), [...t.shape]);
  throw new ArgumentError(op, `batch tensors must be float32, float64 or int32, got ${t.dtype}`);
}

function fromOrt(name: string, v: OrtTensorLike | undefined): Tensor {
  if (v === undefined)
    throw new OnnxExportError(
      op,
      `the session returned no output '${name}': was it exported by exportTrainingStep for this model and optimizer?`,
    );
  const data = v.data;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new OnnxExportError(op, `output '${name}' is ${v.type}, expected float32 or float64`);
  }
  return tensor(data, { dtype: data instanceof Float64Array ? 'float64' : 'float32', shape: [...v.dims].map(Number) });
}

/** The optimizer's state of `param` in the graph's slot order, zeros where it has none yet, and its step count. */
function stateOf(optimizer: Optimizer, param: Tensor, slots: readonly string[]): { values: Tensor[]; steps: number } {
  const s = (optimizer.state as Map<Tensor, Record<string, unknown>>).get(param) ?? {};
  const keys: Record<string, string> = {
    momentum_buffer: 'momentumBuffer',
    exp_avg: 'expAvg',
    exp_avg_sq: 'expAvgSq',
    max_exp_avg_sq: 'maxExpAvgSq',
  };
  const values = slots.map((full) => {
    const key = keys[full.slice(full.lastIndexOf('.') + 1)] as string;
    const v = s[key] as Tensor | undefined;
    return v ?? noGrad(() => param.detach().mul(0).contiguous());
  });
  // SGD keeps no count: a buffer that exists means its first step is behind it.
  const steps = typeof s.step === 'number' ? s.step : s.momentumBuffer !== undefined ? 1 : 0;
  return { values, steps };
}

/**
 * Trains `model` with an exported training step ({@link exportTrainingStep})
 * run by an ONNX Runtime session: for each batch, feeds the parameters, the
 * optimizer state, the batch, the learning rate and the step number, and
 * feeds the outputs back in as the next step's inputs. At the end the
 * final parameters are written into the model, and the state (momentum
 * buffers, Adam's moments and step) into the optimizer, so chainrule can
 * carry on where the runtime stopped. Returns each step's loss.
 *
 * @example
 * import * as ort from 'onnxruntime-node';
 * const session = await ort.InferenceSession.create(exportTrainingStep(model, mseLoss, optimizer, firstBatch));
 * const losses = await trainWithOnnxRuntime(session, model, new DataLoader(data, { batchSize: 16, dropLast: true }), {
 *   Tensor: ort.Tensor,
 *   optimizer,
 * });
 */
export async function trainWithOnnxRuntime(
  session: OrtSessionLike,
  model: Module,
  batches: Iterable<TrainingBatch> | AsyncIterable<TrainingBatch>,
  options: OnnxTrainingOptions,
): Promise<number[]> {
  if (typeof (session as { run?: unknown })?.run !== 'function') {
    throw new ArgumentError(
      op,
      `the session must have a run(feeds) method (an ONNX Runtime InferenceSession), got ${describeValue(session)}`,
    );
  }
  if (typeof options?.Tensor !== 'function') {
    throw new ArgumentError(op, 'options.Tensor must be the ONNX Runtime tensor class (ort.Tensor)');
  }
  const { optimizer } = options;
  if (!(optimizer instanceof SGD || optimizer instanceof Adam || optimizer instanceof AdamW)) {
    throw new ArgumentError(
      op,
      `options.optimizer must be the SGD, Adam or AdamW the step was exported with, got ${describeValue(optimizer)}`,
    );
  }
  const layout = trainingStepLayout(model, optimizer, op);
  const T = options.Tensor;
  const values = new Map<string, OrtTensorLike>();
  let done = 0;
  for (const p of layout.params) {
    values.set(p.name, toOrt(T, p.param.detach()));
    const { values: state, steps } = stateOf(optimizer, p.param, p.slots);
    p.slots.forEach((slot, i) => values.set(slot, toOrt(T, state[i] as Tensor)));
    done = Math.max(done, steps);
  }
  const dtype = layout.params[0]?.param.dtype === 'float64' ? 'float64' : 'float32';
  const scalar = (v: number) =>
    dtype === 'float64' ? new T('float64', Float64Array.of(v), []) : new T('float32', Float32Array.of(v), []);
  const losses: number[] = [];
  let shape: string | undefined;
  for await (const batch of batches) {
    const given = `${batch.inputs.shape.join(',')} / ${batch.targets.shape.join(',')}`;
    shape ??= given;
    if (given !== shape) {
      throw new ArgumentError(
        op,
        `every batch must have the exported batch's shapes (inputs / targets [${shape}]), got [${given}]; use a DataLoader with dropLast: true`,
      );
    }
    const lr = (optimizer.paramGroups[0] as { lr: number }).lr;
    const feeds: Record<string, OrtTensorLike> = Object.fromEntries(values);
    feeds.inputs = toOrt(T, batch.inputs);
    feeds.targets = toOrt(T, batch.targets);
    feeds.lr = scalar(lr);
    feeds.step = scalar(done + 1);
    const out = await session.run(feeds);
    for (const name of values.keys()) {
      const next = out[`next.${name}`];
      if (next === undefined)
        throw new OnnxExportError(
          op,
          `the session returned no output 'next.${name}': was it exported by exportTrainingStep for this model and optimizer?`,
        );
      values.set(name, next);
    }
    done++;
    const loss = fromOrt('loss', out.loss).item() as number;
    losses.push(loss);
    options.onStep?.(done, loss);
  }
  // Write back: parameters into the model, state into the optimizer (as its own step would have left them).
  noGrad(() => {
    for (const p of layout.params) {
      p.param.copyFrom(fromOrt(p.name, values.get(p.name)).to(p.param.dtype));
      if (p.slots.length === 0) continue;
      const state = Object.fromEntries(
        p.slots.map((slot) => {
          const key = slot.slice(slot.lastIndexOf('.') + 1);
          const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
          return [camel, fromOrt(slot, values.get(slot)).to(p.param.dtype)];
        }),
      );
      if (layout.rule.kind === 'adam') Object.assign(state, { step: done });
      (optimizer.state as Map<Tensor, Record<string, unknown>>).set(p.param, state);
    }
  });
  return losses;
}
