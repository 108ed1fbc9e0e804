/**
 * gradcheckModule: every parameter gradient of a module against finite
 * differences in float64, with the report naming the parameter and element.
 *
 * Design: core cannot import @chainrule/nn, so a module is anything with the
 * structure below — what nn's `Module` has. The float64 copy is of the
 * module's state, not of the module object: `functionalCall` (PyTorch's
 * `torch.func.functional_call`) runs the module's own forward with float64
 * copies of its parameters and buffers in place of its own and puts its own
 * back afterwards. Cloning a module object instead would have to copy
 * whatever else a layer keeps (options, generators, closures over `this`),
 * which no generic copy gets right; swapping named state is exactly what
 * the module's names already describe.
 */
import { ArgumentError, Tensor, concat, noGrad, tensor } from '../index';
import { describeValue, formatShape } from '../internal/index';
import { checkOptionKeys } from '../internal/options';
import { formatNumber } from './numbers';
import { compare, type CheckSettings, type GradcheckEntry, type GradcheckReport } from './report';
import { callTensorFunction, evaluateTensors, prepareTensors } from './tensor-check';

/**
 * What {@link gradcheckModule} needs of a module; `Module` of
 * @chainrule/nn has it. `functionalCall(state, ...inputs)` must run the
 * module's forward with the tensors of `state` in place of its parameters
 * and buffers of those names, and leave the module as it was.
 */
export interface CheckableModule {
  namedParameters(): [string, Tensor][];
  namedBuffers(): [string, Tensor][];
  functionalCall(state: Readonly<Record<string, Tensor>>, ...inputs: unknown[]): unknown;
}

/** Options of {@link gradcheckModule}. */
export interface GradcheckModuleOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, times |numeric| (default 1e-3). */
  rtol?: number;
  /** Seed of the random output cotangent (default 0). */
  seed?: number;
  /** Check only these parameters (names as `namedParameters()` gives them; default: every one that requires grad). */
  parameters?: readonly string[];
}

/** A gradcheck report whose entries are parameters of a module. */
export interface ModuleGradcheckReport extends GradcheckReport {
  /** The checked parameters' names, by position (an entry's `input` is an index into this). */
  parameterNames: string[];
  /** Per checked parameter: how many of its entries are off, of how many. */
  perParameter: { name: string; shape: readonly number[]; mismatches: number; checked: number }[];
  /** The report as text, entries named `layers.2.weight[3, 7]`. */
  toString(): string;
}

/** A loss applied to the module's output; any floating Tensor (a non-scalar one is multiplied by a random cotangent). */
export type ModuleLoss = (output: never) => Tensor;

/**
 * Checks every parameter gradient of `module` at `input` against central
 * finite differences in float64, on float64 copies of the parameters and
 * buffers (`functionalCall` runs the module with them; the module and its
 * tensors are unchanged afterwards). What is differentiated is
 * `lossFn(module.forward(...input))`; without `lossFn`, every float tensor
 * of the output (a Tensor, or arrays and objects of them, as an LSTM
 * returns) flattened together, times a random normal cotangent. Float32
 * inputs are widened to float64; other inputs (token ids) pass as they are.
 * The report names the parameter and element of each mismatch
 * (`layers.2.weight[3, 7]`).
 *
 * The module's forward must be deterministic (Dropout in training mode is
 * not: call `module.eval()` or use dropout 0); it is refused otherwise.
 *
 * @param input - forward's argument, or an array of its arguments
 * @example
 * const net = new Sequential(new Linear(3, 4), new Tanh(), new Linear(4, 2));
 * const report = gradcheckModule(net, randn([5, 3]), (y: Tensor) => y.square().mean());
 * report.ok; // true
 * String(report); // 'gradient check passed: 26 entries of 4 parameters ...'
 */
export function gradcheckModule(
  module: CheckableModule,
  input: unknown,
  lossFn?: ModuleLoss,
  options: GradcheckModuleOptions = {},
): ModuleGradcheckReport {
  const op = 'gradcheckModule';
  checkModule(op, module);
  if (lossFn !== undefined && typeof lossFn !== 'function')
    throw new ArgumentError(op, `lossFn must be a function of the module's output, got ${describeValue(lossFn)}`);
  const { settings, seed, only } = checkOptions(op, options);
  const all = module.namedParameters();
  const params = all.filter(
    ([name, p]) =>
      (only === undefined || only.includes(name)) && p.requiresGrad && (p.dtype === 'float32' || p.dtype === 'float64'),
  );
  if (only !== undefined) {
    const names = all.map(([n]) => n);
    const unknown = only.filter((n) => !names.includes(n));
    if (unknown.length > 0)
      throw new ArgumentError(
        op,
        `parameters names ${unknown.map((n) => `'${n}'`).join(', ')}, which the module does not have; its parameters are [${names.map((n) => `'${n}'`).join(', ')}]`,
      );
  }
  if (params.length === 0) throw new ArgumentError(op, 'the module has no float parameter that requires grad to check');

  const args = (Array.isArray(input) ? input : [input]).map((x) =>
    x instanceof Tensor && x.dtype === 'float32' ? widen(x) : x,
  );
  const buffers: Record<string, Tensor> = {};
  for (const [name, b] of module.namedBuffers()) {
    buffers[name] = b.dtype === 'float32' ? widen(b) : tensor(b.data(), { shape: b._shape, dtype: b.dtype });
  }
  const names = params.map(([name]) => name);
  const loss = (lossFn ?? flattenOutput) as (output: unknown) => unknown;
  const f = (...values: Tensor[]): Tensor => {
    const state: Record<string, Tensor> = { ...buffers };
    values.forEach((v, k) => Object.defineProperty(state, names[k] as string, { value: v, enumerable: true }));
    const out = (module.functionalCall as (s: Record<string, Tensor>, ...i: unknown[]) => unknown)(state, ...args);
    return callTensorFunction(op, () => loss(out), []);
  };
  const starts = params.map(([, p]) => widen(p));
  checkDeterministic(op, f, starts);
  const prepared = prepareTensors(
    starts,
    starts.map((_, k) => k),
  );
  const evaluation = evaluateTensors(op, f, prepared, settings.eps, seed, 1);
  const report = compare(evaluation, settings);
  const perParameter = params.map(([name, p], k) => {
    const a = evaluation.analytic[k] as Float64Array;
    const n = evaluation.numeric[k] as Float64Array;
    let mismatches = 0;
    for (let j = 0; j < a.length; j++) if (isOff(a[j] as number, n[j] as number, settings)) mismatches++;
    return { name, shape: p._shape, mismatches, checked: a.length };
  });
  const notes = report.notes.filter((n) => !n.startsWith('f returned a float32'));
  const skipped = all.filter(([name, p]) => (only === undefined || only.includes(name)) && !p.requiresGrad);
  if (skipped.length > 0) notes.push(`not checked (requiresGrad is false): ${skipped.map(([n]) => n).join(', ')}`);
  const result: ModuleGradcheckReport = {
    ...report,
    notes,
    parameterNames: names,
    perParameter,
    toString: () => formatModuleReport(result),
  };
  return result;
}

function widen(t: Tensor): Tensor {
  return tensor(Float64Array.from(t.data()), { shape: t._shape, dtype: 'float64' });
}

function checkModule(op: string, module: unknown): asserts module is CheckableModule {
  const m = module as Partial<Record<keyof CheckableModule, unknown>> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    typeof m.namedParameters !== 'function' ||
    typeof m.namedBuffers !== 'function' ||
    typeof m.functionalCall !== 'function'
  ) {
    throw new ArgumentError(
      op,
      `module must be a Module of @chainrule/nn (namedParameters(), namedBuffers() and functionalCall()), got ${describeValue(module)}`,
    );
  }
}

function checkOptions(
  op: string,
  options: GradcheckModuleOptions,
): { settings: CheckSettings; seed: number; only: readonly string[] | undefined } {
  if (options === null || typeof options !== 'object')
    throw new ArgumentError(
      op,
      `options must be an object like { atol: 1e-5, rtol: 1e-3 }, got ${describeValue(options)}`,
    );
  checkOptionKeys(op, options, ['eps', 'atol', 'rtol', 'seed', 'parameters']);
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps))
    throw new ArgumentError(op, `eps must be a finite number > 0, got ${describeValue(eps)}`);
  for (const [name, v] of [
    ['atol', atol],
    ['rtol', rtol],
  ] as const) {
    if (typeof v !== 'number' || !(v >= 0))
      throw new ArgumentError(op, `${name} must be a number ≥ 0, got ${describeValue(v)}`);
  }
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
    throw new ArgumentError(op, `seed must be a safe integer, got ${describeValue(seed)}`);
  const only = options.parameters;
  if (only !== undefined && (!Array.isArray(only) || only.some((n) => typeof n !== 'string')))
    throw new ArgumentError(op, `parameters must be an array of parameter names, got ${describeValue(only)}`);
  return { settings: { eps, atol, rtol }, seed, only };
}

/** The default loss: every float tensor of the output, flattened into one. */
function flattenOutput(output: unknown): Tensor {
  const found: Tensor[] = [];
  const seen = new Set<unknown>();
  const visit = (x: unknown): void => {
    if (x instanceof Tensor) {
      if ((x.dtype === 'float32' || x.dtype === 'float64') && x.size > 0) found.push(x.reshape([-1]));
      return;
    }
    if (x === null || typeof x !== 'object' || seen.has(x)) return;
    seen.add(x);
    for (const v of Array.isArray(x) ? x : Object.values(x)) visit(v);
  };
  visit(output);
  if (found.length === 0) {
    throw new ArgumentError(
      'gradcheckModule',
      `the module's output holds no float tensor (${describeValue(output)}); pass a lossFn that makes one`,
    );
  }
  return found.length === 1 ? (found[0] as Tensor) : concat(found);
}

/** Two evaluations at the same point must agree exactly, or finite differences measure noise. */
function checkDeterministic(op: string, f: (...values: Tensor[]) => Tensor, at: Tensor[]): void {
  const first = noGrad(() => f(...at)).data();
  const second = noGrad(() => f(...at)).data();
  for (let i = 0; i < first.length; i++) {
    const a = first[i] as number;
    const b = second[i] as number;
    if (a !== b && !(Number.isNaN(a) && Number.isNaN(b))) {
      throw new ArgumentError(
        op,
        `the module's forward gave two different results at the same point (element ${i}: ${formatNumber(a)}, then ${formatNumber(b)}), ` +
          'so finite differences would measure its randomness; call module.eval() or set dropout to 0',
      );
    }
  }
}

function isOff(a: number, n: number, s: CheckSettings): boolean {
  if (a === n) return false;
  if (Number.isNaN(a) || Number.isNaN(n)) return true;
  const d = Math.abs(a - n);
  return !(Number.isFinite(d) && d <= s.atol + s.rtol * Math.abs(n));
}

/** `layers.2.weight[3, 7]`, or the bare name for a scalar parameter. */
function entryName(e: GradcheckEntry, r: ModuleGradcheckReport): string {
  const name = r.parameterNames[e.input] ?? `parameter ${e.input}`;
  return e.index.length === 0 ? name : `${name}[${e.index.join(', ')}]`;
}

function describeEntry(e: GradcheckEntry, r: ModuleGradcheckReport): string {
  return (
    `${entryName(e, r)}: analytic ${formatNumber(e.analytic)}, numeric ${formatNumber(e.numeric)} ` +
    `(abs error ${formatNumber(e.absError)}, rel error ${formatNumber(e.relError)})`
  );
}

/** The report as text: verdict, the worst entries by parameter name, which parameters are off, notes. */
export function formatModuleReport(r: ModuleGradcheckReport): string {
  const s = r.settings;
  const rule = `|analytic - numeric| ≤ atol + rtol·|numeric|, atol ${compact(s.atol)}, rtol ${compact(s.rtol)}`;
  const count = `${r.perParameter.length} parameter${r.perParameter.length === 1 ? '' : 's'}`;
  const lines: string[] = [];
  if (r.ok) {
    lines.push(
      `gradient check passed: ${r.checked} entries of ${count} within ${rule} (max abs error ${formatNumber(r.maxAbsError)}, max rel error ${formatNumber(r.maxRelError)})`,
    );
  } else {
    const off = r.perParameter.filter((p) => p.mismatches > 0);
    lines.push(
      `the gradients of ${off.length} of ${count} do not match finite differences: ${r.mismatches} of ${r.checked} entries are off ` +
        `(${rule}; central differences in float64 with eps ${compact(s.eps)} on float64 copies of the parameters)`,
    );
    if (r.worst !== null) lines.push(`  worst: ${describeEntry(r.worst, r)}`);
    for (const e of r.failures.slice(1)) lines.push(`  also:  ${describeEntry(e, r)}`);
    lines.push(`  off: ${off.map((p) => `${p.name} (${p.mismatches} of ${p.checked})`).join(', ')}`);
  }
  lines.push(`  checked: ${r.perParameter.map((p) => `${p.name} ${formatShape(p.shape)}`).join(', ')}`);
  lines.push(`  loss: ${r.output.dtype} ${formatShape(r.output.shape)}, multiplied by ${r.output.cotangent}`);
  for (const note of r.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

/** 1e-5 rather than 0.00001 or 1.000000e-5. */
function compact(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}
