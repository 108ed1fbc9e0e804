/**
 * The comparison at the heart of gradcheck, and its report: given the
 * engine's derivatives and the finite-difference ones for every checked
 * input element, decide, find the worst entry, collect hints a person can act
 * on, and format it all as text.
 */
import { formatNumber, unravel } from './numbers';
import { formatShape } from '../internal/index';

/** One checked input, as the report describes it. */
export interface CheckedInput {
  /** Its position among f's arguments. */
  position: number;
  shape: readonly number[];
  /** Its dtype as given ('value' for a Value). */
  dtype: string;
  /** True when a float32 tensor was checked as a float64 copy. */
  upcast: boolean;
  /** Its elements (short form), for the report. */
  text: string;
}

/** One compared entry: d(output)/d(input element). */
export interface GradcheckEntry {
  /** Position of the input among f's arguments. */
  input: number;
  /** Index of the element within that input. */
  index: number[];
  /** The same, row-major. */
  flatIndex: number;
  /** The engine's derivative. */
  analytic: number;
  /** The central finite difference. */
  numeric: number;
  /** |analytic - numeric|. */
  absError: number;
  /** |analytic - numeric| / max(|analytic|, |numeric|) (0 when both are 0). */
  relError: number;
}

/** Tolerances and step of a check. */
export interface CheckSettings {
  eps: number;
  atol: number;
  rtol: number;
}

/** The result of {@link gradcheck} or {@link gradgradcheck}. */
export interface GradcheckReport {
  /** True when every entry is within atol + rtol·|numeric|. */
  ok: boolean;
  /** 1 for gradcheck, 2 for gradgradcheck. */
  order: 1 | 2;
  maxAbsError: number;
  maxRelError: number;
  /** The entry furthest outside its tolerance (when ok: the one closest to it); null if nothing was checked. */
  worst: GradcheckEntry | null;
  /** How many entries are outside the tolerance, of how many checked. */
  mismatches: number;
  checked: number;
  /** Up to 5 mismatching entries, furthest outside the tolerance first. */
  failures: GradcheckEntry[];
  inputs: CheckedInput[];
  /** The output's shape and dtype and the cotangent it was multiplied with. */
  output: { shape: readonly number[]; dtype: string; cotangent: string };
  /** Hints: upcasts, float32 inside f, kinks, constant factors, non-finite values. */
  notes: string[];
  settings: CheckSettings;
}

/** What an evaluation hands to {@link compare}. */
export interface Evaluation {
  order: 1 | 2;
  inputs: CheckedInput[];
  output: GradcheckReport['output'];
  /** Per checked input, row-major: the engine's derivatives and the finite differences. */
  analytic: Float64Array[];
  numeric: Float64Array[];
  notes: string[];
  /** One-sided differences at an entry (for telling a kink from a wrong rule). */
  oneSided(input: number, flat: number): [number, number];
}

const shownFailures = 5;

/** Compares the two sets of derivatives and builds the report. */
export function compare(e: Evaluation, s: CheckSettings): GradcheckReport {
  const entries: { entry: GradcheckEntry; excess: number }[] = [];
  let worst: { entry: GradcheckEntry; excess: number } | null = null;
  let checked = 0;
  let maxAbsError = 0;
  let maxRelError = 0;
  e.analytic.forEach((analytic, k) => {
    const numeric = e.numeric[k] as Float64Array;
    const input = e.inputs[k] as CheckedInput;
    for (let j = 0; j < analytic.length; j++) {
      checked++;
      const a = analytic[j] as number;
      const n = numeric[j] as number;
      const absError = a === n ? 0 : Number.isNaN(a) || Number.isNaN(n) ? Infinity : Math.abs(a - n);
      const scale = Math.max(Math.abs(a), Math.abs(n));
      const relError = absError === 0 ? 0 : scale === 0 || !Number.isFinite(scale) ? Infinity : absError / scale;
      maxAbsError = Math.max(maxAbsError, absError);
      maxRelError = Math.max(maxRelError, relError);
      const allowed = s.atol + s.rtol * Math.abs(n);
      const excess = absError === 0 ? -allowed : Number.isFinite(absError) ? absError - allowed : Infinity;
      const entry = () => ({
        input: input.position,
        index: unravel(j, input.shape),
        flatIndex: j,
        analytic: a,
        numeric: n,
        absError,
        relError,
      });
      if (excess > 0) entries.push({ entry: entry(), excess });
      if (worst === null || excess > worst.excess) worst = { entry: entry(), excess };
    }
  });
  entries.sort((x, y) => y.excess - x.excess);
  const notes = [
    ...e.notes,
    ...hints(
      e,
      s,
      entries.map((x) => x.entry),
    ),
  ];
  return {
    ok: entries.length === 0,
    order: e.order,
    maxAbsError,
    maxRelError,
    worst: (worst as { entry: GradcheckEntry } | null)?.entry ?? null,
    mismatches: entries.length,
    checked,
    failures: entries.slice(0, shownFailures).map((x) => x.entry),
    inputs: e.inputs,
    output: e.output,
    notes,
    settings: s,
  };
}

function hints(e: Evaluation, s: CheckSettings, failures: GradcheckEntry[]): string[] {
  const first = failures[0];
  if (first === undefined) return [];
  const notes: string[] = [];
  const k = e.inputs.findIndex((i) => i.position === first.input);
  if (!Number.isFinite(first.numeric)) {
    notes.push(
      'the finite difference is not finite: f is undefined or infinite at or next to this point (log or sqrt of x ≤ 0, division by 0): keep the inputs inside its domain',
    );
  } else if (!Number.isFinite(first.analytic)) {
    notes.push("the engine's derivative is not finite where f is smooth: a backward rule divides by zero or overflows");
  } else if (e.order === 1) {
    const [forward, backward] = e.oneSided(k, first.flatIndex);
    if (Math.abs(forward - backward) > 0.1 * Math.max(Math.abs(forward), Math.abs(backward)) + 100 * s.atol) {
      notes.push(
        `the one-sided differences at the worst entry disagree (${formatNumber(forward)} from the right, ${formatNumber(backward)} from the left): ` +
          'f has a kink or a tie there (relu or abs at 0, clamp at a bound, equal elements in max), where no derivative exists; ' +
          "keep inputs away from such points (arbTensor's avoid option) before suspecting the backward rule",
      );
    }
  }
  const allZero = e.analytic.every((a) => a.every((v) => v === 0));
  if (allZero && failures.length >= 2) {
    notes.push(
      "the engine's derivative is 0 for every entry: the output may not depend on the inputs through the graph (a detach(), noGrad, or values copied out and back in)",
    );
  } else if (!allZero) {
    const factor = constantFactor(failures, s.atol);
    if (factor !== null) {
      notes.push(
        `the engine's derivative is ${formatNumber(factor)} times the finite difference at every mismatch: a constant factor or sign is wrong in a backward rule`,
      );
    }
  }
  return notes;
}

/** The ratio analytic/numeric when it is the same (and not 1) across all mismatches with a sizeable numeric part. */
function constantFactor(failures: readonly GradcheckEntry[], atol: number): number | null {
  const ratios = failures
    .filter((f) => Math.abs(f.numeric) > 100 * atol && Number.isFinite(f.analytic))
    .map((f) => f.analytic / f.numeric);
  const r = ratios[0];
  // One mismatch proves no pattern, and a zero ratio is a missing gradient, reported on its own.
  if (r === undefined || ratios.length < 2 || Math.abs(r - 1) < 1e-2 || Math.abs(r) < 1e-3) return null;
  return ratios.every((x) => Math.abs(x - r) <= 1e-3 * Math.abs(r)) ? r : null;
}

/** The report as text for a person: verdict, worst entry, other mismatches, inputs, notes. */
export function formatReport(r: GradcheckReport): string {
  const what = r.order === 1 ? 'gradient' : 'second derivative';
  const method =
    r.order === 1
      ? `central differences of f in float64 with eps ${compact(r.settings.eps)}`
      : `central differences of the engine's gradient in float64 with eps ${compact(r.settings.eps)}`;
  const rule = `|analytic - numeric| ≤ atol + rtol·|numeric|, atol ${compact(r.settings.atol)}, rtol ${compact(r.settings.rtol)}`;
  const lines: string[] = [];
  if (r.ok) {
    lines.push(
      `${what} check passed: ${r.checked} entries within ${rule} (max abs error ${formatNumber(r.maxAbsError)}, max rel error ${formatNumber(r.maxRelError)})`,
    );
  } else {
    lines.push(
      `the ${what} does not match finite differences: ${r.mismatches} of ${r.checked} entries are off (${rule}; ${method})`,
    );
    const w = r.worst as GradcheckEntry;
    lines.push(`  worst: ${describeEntry(w, r)}`);
    for (const f of r.failures.slice(1)) lines.push(`  also:  ${describeEntry(f, r)}`);
    if (r.mismatches > r.failures.length) lines.push(`  ... and ${r.mismatches - r.failures.length} more`);
    lines.push(`  max abs error ${formatNumber(r.maxAbsError)}, max rel error ${formatNumber(r.maxRelError)}`);
  }
  for (const input of r.inputs) {
    const upcast = input.upcast ? ', checked as a float64 copy' : '';
    lines.push(`  input ${input.position}: ${input.dtype} ${formatShape(input.shape)}${upcast} = ${input.text}`);
  }
  lines.push(`  output: ${r.output.dtype} ${formatShape(r.output.shape)}, multiplied by ${r.output.cotangent}`);
  if (r.order === 2) {
    lines.push(
      '  (analytic: the gradient of ⟨u, ∇⟨v, f⟩⟩ with random u and v, a Hessian-vector product; numeric: finite differences of ⟨u, ∇⟨v, f⟩⟩)',
    );
  }
  for (const note of r.notes) lines.push(`  note: ${note}`);
  return lines.join('\n');
}

/** 1e-5 rather than 0.00001. */
function compact(v: number): string {
  return v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential() : String(v);
}

function describeEntry(e: GradcheckEntry, r: GradcheckReport): string {
  const input = r.inputs.find((i) => i.position === e.input);
  const at = input === undefined || input.shape.length === 0 ? '' : `, element [${e.index.join(',')}]`;
  return (
    `input ${e.input}${at}: analytic ${formatNumber(e.analytic)}, numeric ${formatNumber(e.numeric)} ` +
    `(abs error ${formatNumber(e.absError)}, rel error ${formatNumber(e.relError)})`
  );
}
