/**
 * exportTrainingStep: a whole training step (forward, loss, backward and the
 * optimizer's update) written as one ONNX inference graph. The backward pass
 * is recorded as ops (createGraph), the update is written with chainrule ops
 * under the same trace, and exportOnnx maps all of it.
 */
import { ArgumentError, noGrad, pow, type Tensor, gradients, maximum, tensor, where } from '@chainrule/core';
import { describeValue } from '@chainrule/core/internal';
import type { Module } from '@chainrule/nn';
import { Adam, AdamW, type Optimizer, SGD } from '@chainrule/optim';
import { OnnxExportError } from './errors';
import { exportOnnx } from './export';

/** A batch as chainrule's DataLoader yields it. */
export interface TrainingBatch {
  readonly inputs: Tensor;
  readonly targets: Tensor;
}

/** The loss of a step: from the model's output and the batch's targets, a 0-d tensor. */
export type StepLoss = (output: Tensor, targets: Tensor) => Tensor;

/** Options of {@link exportTrainingStep}. */
export interface TrainingStepOptions {
  /** The ONNX opset (default 17; 17 to 21 accepted). */
  opset?: number;
}

/** The optimizer rule a step is written for, read from the optimizer object. */
type Rule =
  | {
      kind: 'sgd';
      momentum: number;
      dampening: number;
      nesterov: boolean;
      weightDecay: number;
      maximize: boolean;
    }
  | {
      kind: 'adam';
      decoupled: boolean;
      beta1: number;
      beta2: number;
      eps: number;
      weightDecay: number;
      amsgrad: boolean;
      maximize: boolean;
    };

/** The ONNX names of one parameter's values: the parameter, its optimizer state, and the outputs that update them. */
interface ParamNames {
  readonly name: string;
  readonly param: Tensor;
  /** State slot names (PyTorch's state-dict keys), in graph order. */
  readonly slots: readonly string[];
}

/** The names and order of a training step's inputs and outputs, shared by the exporter and the runner. */
export interface TrainingStepLayout {
  readonly params: readonly ParamNames[];
  /** Every input name, in order: parameters, state, `inputs`, `targets`, `lr`, `step`. */
  readonly inputs: readonly string[];
  /** Every output name, in order: `next.` + each parameter and state input, then `loss`. */
  readonly outputs: readonly string[];
  readonly rule: Rule;
  readonly lr: number;
}

const op = 'exportTrainingStep';

function ruleOf(caller: string, optimizer: Optimizer): { rule: Rule; lr: number } {
  const groups = (optimizer as unknown as { paramGroups?: readonly Record<string, unknown>[] }).paramGroups;
  if (!(optimizer instanceof SGD || optimizer instanceof Adam || optimizer instanceof AdamW)) {
    throw new OnnxExportError(
      caller,
      `the optimizer must be an SGD, Adam or AdamW from @chainrule/optim, got ${describeValue(optimizer)}`,
    );
  }
  if (groups === undefined || groups.length !== 1) {
    throw new OnnxExportError(
      caller,
      `the optimizer must have one param group (the learning rate is one graph input), got ${groups?.length ?? 0}`,
    );
  }
  const g = groups[0] as Record<string, unknown>;
  const lr = g.lr as number;
  if (optimizer instanceof SGD) {
    const o = g as unknown as {
      momentum: number;
      dampening: number;
      nesterov: boolean;
      weightDecay: number;
      maximize: boolean;
    };
    return { rule: { kind: 'sgd', ...pick(o) }, lr };
  }
  const o = g as unknown as {
    betas: readonly [number, number];
    eps: number;
    weightDecay: number;
    amsgrad: boolean;
    maximize: boolean;
  };
  return {
    rule: {
      kind: 'adam',
      decoupled: optimizer instanceof AdamW,
      beta1: o.betas[0],
      beta2: o.betas[1],
      eps: o.eps,
      weightDecay: o.weightDecay,
      amsgrad: o.amsgrad,
      maximize: o.maximize,
    },
    lr,
  };
}

function pick(o: { momentum: number; dampening: number; nesterov: boolean; weightDecay: number; maximize: boolean }) {
  return {
    momentum: o.momentum,
    dampening: o.dampening,
    nesterov: o.nesterov,
    weightDecay: o.weightDecay,
    maximize: o.maximize,
  };
}

/** State slots per parameter, with PyTorch's state-dict keys. */
function slotsOf(rule: Rule): string[] {
  if (rule.kind === 'sgd') return rule.momentum === 0 ? [] : ['momentum_buffer'];
  return rule.amsgrad ? ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['exp_avg', 'exp_avg_sq'];
}

/**
 * The names and order of the inputs and outputs of the training step that
 * {@link exportTrainingStep} writes for this model and optimizer.
 */
export function trainingStepLayout(model: Module, optimizer: Optimizer, caller = op): TrainingStepLayout {
  const { rule, lr } = ruleOf(caller, optimizer);
  const optimized = new Set(
    (optimizer as unknown as { paramGroups: readonly { params: readonly Tensor[] }[] }).paramGroups.flatMap(
      (g) => g.params,
    ),
  );
  const named = [...model.namedParameters()];
  const missing = [...optimized].filter((p) => !named.some(([, t]) => t === p));
  if (missing.length > 0) {
    throw new OnnxExportError(
      caller,
      `the optimizer holds ${missing.length} tensor(s) that are not parameters of the model`,
    );
  }
  const slots = slotsOf(rule);
  const params = named
    .filter(([, t]) => optimized.has(t))
    .map(([name, param]) => ({ name, param, slots: slots.map((s) => `${name}.${s}`) }));
  const values = params.flatMap((p) => [p.name, ...p.slots]);
  return {
    params,
    inputs: [...values, 'inputs', 'targets', 'lr', 'step'],
    outputs: [...values.map((v) => `next.${v}`), 'loss'],
    rule,
    lr,
  };
}

/** One parameter's update, written with chainrule ops (traced into the graph): the new parameter and state. */
function update(rule: Rule, p: Tensor, g: Tensor, state: readonly Tensor[], lr: Tensor, step: Tensor): Tensor[] {
  const sign = rule.maximize ? -1 : 1;
  if (rule.kind === 'sgd') {
    // As torch.optim.SGD: d = g + wd·p; buf = m·buf + (1 − dampening)·d (buf = d at the first step); p −= lr·d'.
    let d = g.mul(sign);
    if (rule.weightDecay !== 0) d = d.add(p.mul(rule.weightDecay));
    if (rule.momentum === 0) return [p.sub(lr.mul(d))];
    const [buf] = state as [Tensor];
    const running = buf.mul(rule.momentum).add(d.mul(1 - rule.dampening));
    // With dampening 0 the first step's m·0 + d is already d.
    const next = rule.dampening === 0 ? running : where(step.eq(1), d, running);
    const direction = rule.nesterov ? d.add(next.mul(rule.momentum)) : next;
    return [p.sub(lr.mul(direction)), next];
  }
  // As torch.optim.Adam/AdamW: m, v running moments of d; p −= lr/(1 − β₁ᵗ)·m / (√v̂/√(1 − β₂ᵗ) + ε).
  const [m, v, vmax] = state as [Tensor, Tensor, Tensor | undefined];
  let d = g.mul(sign);
  let base = p;
  if (rule.decoupled) base = p.mul(lr.mul(rule.weightDecay).neg().add(1));
  else if (rule.weightDecay !== 0) d = d.add(p.mul(rule.weightDecay));
  const m2 = m.mul(rule.beta1).add(d.mul(1 - rule.beta1));
  const v2 = v.mul(rule.beta2).add(d.mul(d).mul(1 - rule.beta2));
  const vmax2 = vmax === undefined ? undefined : maximum(vmax, v2);
  const second = vmax2 ?? v2;
  const stepSize = lr.div(pow(rule.beta1, step).neg().add(1));
  const bc2Sqrt = pow(rule.beta2, step).neg().add(1).sqrt();
  const next = base.sub(stepSize.mul(m2).div(second.sqrt().div(bc2Sqrt).add(rule.eps)));
  return vmax2 === undefined ? [next, m2, v2] : [next, m2, v2, vmax2];
}

function checkBatch(caller: string, batch: unknown): TrainingBatch {
  const b = batch as Partial<TrainingBatch> | null;
  if (
    typeof b !== 'object' ||
    b === null ||
    typeof b.inputs?.shape !== 'object' ||
    typeof b.targets?.shape !== 'object'
  ) {
    throw new ArgumentError(
      caller,
      `the batch must be { inputs: Tensor, targets: Tensor } (as DataLoader yields), got ${describeValue(batch)}`,
    );
  }
  return b as TrainingBatch;
}

/**
 * Exports one training step of `model` as an ONNX model that ONNX Runtime
 * (or any ONNX engine) can run to train it: forward, `lossFn`, backward and
 * the update of `optimizer` (SGD with momentum, dampening, Nesterov and
 * weight decay; Adam and AdamW, with amsgrad), in one inference graph.
 *
 * Inputs, in order: each trained parameter under its state-dict name, its
 * optimizer state (`<name>.momentum_buffer`; `<name>.exp_avg`,
 * `<name>.exp_avg_sq`, `<name>.max_exp_avg_sq`: PyTorch's keys), `inputs`
 * and `targets` (the batch), and the 0-d `lr` and `step` (the step number,
 * from 1). Outputs: `next.` and each parameter and state name, then `loss`
 * (the batch's loss before the update). The optimizer's other
 * hyper-parameters (momentum, betas, eps, weight decay) are read from it and
 * written into the graph. {@link trainWithOnnxRuntime} runs the loop.
 *
 * NOTE: the batch size is the example's (the graph holds the loss's mean
 * over it): use a DataLoader with `dropLast: true`. The model must not
 * draw random numbers (Dropout in training mode) or update buffers in place
 * (BatchNorm in training mode): both are refused with a typed error.
 *
 * @throws OnnxExportError for another optimizer, several param groups, or
 *   an op of the step without an ONNX mapping (naming it and where it was called).
 *
 * @example
 * const model = new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 1));
 * const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const step = exportTrainingStep(model, mseLoss, optimizer, { inputs: randn([16, 4]), targets: randn([16, 1]) });
 * writeFileSync('train-step.onnx', step);
 */
export function exportTrainingStep(
  model: Module,
  lossFn: StepLoss,
  optimizer: Optimizer,
  exampleBatch: TrainingBatch,
  options: TrainingStepOptions = {},
): Uint8Array {
  if (typeof (model as { namedParameters?: unknown })?.namedParameters !== 'function') {
    throw new ArgumentError(op, `the model must be a Module, got ${describeValue(model)}`);
  }
  if (typeof lossFn !== 'function') {
    throw new ArgumentError(op, `lossFn must be a function (output, targets) => loss, got ${describeValue(lossFn)}`);
  }
  const batch = checkBatch(op, exampleBatch);
  const layout = trainingStepLayout(model, optimizer);
  const dtype = layout.params[0]?.param.dtype;
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new OnnxExportError(op, `the model must have float32 or float64 parameters to train, got ${String(dtype)}`);
  }
  const slotCount = slotsOf(layout.rule).length;
  const stateInputs = layout.params.flatMap((p) =>
    p.slots.map(() => noGrad(() => p.param.detach().mul(0).contiguous())),
  );
  const lr = tensor(layout.lr, { dtype });
  const step = tensor(1, { dtype });
  const params = layout.params.map((p) => p.param);

  const run = (...ins: Tensor[]): Tensor[] => {
    const state = ins.slice(params.length, params.length + stateInputs.length);
    const [inputs, targets, rate, count] = ins.slice(params.length + stateInputs.length) as [
      Tensor,
      Tensor,
      Tensor,
      Tensor,
    ];
    const loss = lossFn((model.forward as (x: Tensor) => Tensor)(inputs), targets);
    if (typeof loss?.shape !== 'object' || loss.shape.length !== 0) {
      throw new ArgumentError(op, `lossFn must return a 0-d Tensor, got ${describeValue(loss)}`);
    }
    const grads = gradients(loss, params, { createGraph: true });
    const outputs: Tensor[] = [];
    const states: Tensor[] = [];
    noGrad(() => {
      params.forEach((p, i) => {
        const g = grads[i] ?? p.mul(0);
        const [next, ...slots] = update(
          layout.rule,
          p,
          g,
          state.slice(i * slotCount, (i + 1) * slotCount),
          rate,
          count,
        );
        outputs.push(next as Tensor);
        states.push(...slots);
      });
    });
    // Outputs in the layout's order: each parameter followed by its state.
    const ordered: Tensor[] = [];
    outputs.forEach((p, i) => {
      ordered.push(p, ...states.slice(i * slotCount, (i + 1) * slotCount));
    });
    return [...ordered, loss];
  };

  // Inputs in the layout's order: each parameter followed by its state.
  const exampleInputs: Tensor[] = [];
  params.forEach((p, i) => {
    exampleInputs.push(p, ...stateInputs.slice(i * slotCount, (i + 1) * slotCount));
  });
  const reorder = (...ins: Tensor[]): Tensor[] => {
    const ps: Tensor[] = [];
    const ss: Tensor[] = [];
    let k = 0;
    for (let i = 0; i < params.length; i++) {
      ps.push(ins[k++] as Tensor);
      for (let s = 0; s < slotCount; s++) ss.push(ins[k++] as Tensor);
    }
    return run(...ps, ...ss, ...(ins.slice(k) as Tensor[]));
  };
  return exportOnnx(reorder, [...exampleInputs, batch.inputs, batch.targets, lr, step], {
    ...(options.opset === undefined ? {} : { opset: options.opset }),
    inputNames: layout.inputs,
    outputNames: layout.outputs,
  });
}
