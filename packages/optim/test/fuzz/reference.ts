/**
 * Float64 references of the update rules, written from the formulas in the
 * README (PyTorch 1.13's torch.optim), one element at a time: intermediates
 * are doubles, and what is stored (the parameter, each state buffer) is
 * rounded to the parameter's dtype where the README says it is.
 */
export type Rule = 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad';

/** One parameter's values and its state, as plain numbers. */
export interface RefParam {
  p: number[];
  state: Record<string, number[] | number>;
  round: (x: number) => number;
}

type Options = Record<string, unknown>;
const num = (o: Options, k: string): number => o[k] as number;

/** Applies one step of `rule` with `options` to `param` for gradient `g`. */
export function referenceStep(rule: Rule, o: Options, param: RefParam, g: readonly number[]): void {
  const { p, state: s, round } = param;
  const sign = o['maximize'] === true ? -1 : 1;
  const buffer = (key: string, init = 0): number[] => {
    if (!Array.isArray(s[key])) s[key] = p.map(() => round(init));
    return s[key] as number[];
  };
  const step = (): number => (s['step'] = ((s['step'] as number | undefined) ?? 0) + 1);
  const wd = num(o, 'weightDecay');
  if (rule === 'SGD') {
    const m = num(o, 'momentum');
    const first = s['momentumBuffer'] === undefined;
    const buf = m !== 0 ? buffer('momentumBuffer') : null;
    p.forEach((pk, k) => {
      let d = sign * (g[k] as number);
      if (wd !== 0) d += wd * pk;
      if (buf !== null) {
        buf[k] = round(first ? d : m * (buf[k] as number) + (1 - num(o, 'dampening')) * d);
        d = o['nesterov'] === true ? d + m * (buf[k] as number) : (buf[k] as number);
      }
      p[k] = round(pk - num(o, 'lr') * d);
    });
  } else if (rule === 'Adam' || rule === 'AdamW') {
    const t = step();
    const [b1, b2] = o['betas'] as [number, number];
    const m = buffer('expAvg');
    const v = buffer('expAvgSq');
    const vmax = o['amsgrad'] === true ? buffer('maxExpAvgSq') : null;
    const lr = num(o, 'lr');
    p.forEach((pk0, k) => {
      let pk = pk0;
      let d = sign * (g[k] as number);
      if (rule === 'Adam' && wd !== 0) d += wd * pk;
      if (rule === 'AdamW') pk *= 1 - lr * wd;
      m[k] = round(b1 * (m[k] as number) + (1 - b1) * d);
      v[k] = round(b2 * (v[k] as number) + (1 - b2) * d * d);
      let second = v[k] as number;
      if (vmax !== null) second = vmax[k] = Math.max(vmax[k] as number, second);
      p[k] = round(
        pk - ((lr / (1 - b1 ** t)) * (m[k] as number)) / (Math.sqrt(second) / Math.sqrt(1 - b2 ** t) + num(o, 'eps')),
      );
    });
  } else if (rule === 'RMSprop') {
    step();
    const alpha = num(o, 'alpha');
    const mom = num(o, 'momentum');
    const v = buffer('squareAvg');
    const a = o['centered'] === true ? buffer('gradAvg') : null;
    const buf = mom > 0 ? buffer('momentumBuffer') : null;
    p.forEach((pk, k) => {
      let d = sign * (g[k] as number);
      if (wd !== 0) d += wd * pk;
      v[k] = round(alpha * (v[k] as number) + (1 - alpha) * d * d);
      let avg: number;
      if (a !== null) {
        a[k] = round(alpha * (a[k] as number) + (1 - alpha) * d);
        // The variance estimate v - a² is ≥ 0 in exact arithmetic; rounding can push it below.
        avg = Math.sqrt(Math.max((v[k] as number) - (a[k] as number) ** 2, 0)) + num(o, 'eps');
      } else avg = Math.sqrt(v[k] as number) + num(o, 'eps');
      if (buf !== null) {
        buf[k] = round(mom * (buf[k] as number) + d / avg);
        p[k] = round(pk - num(o, 'lr') * (buf[k] as number));
      } else p[k] = round(pk - (num(o, 'lr') * d) / avg);
    });
  } else {
    const t = step();
    const clr = num(o, 'lr') / (1 + (t - 1) * num(o, 'lrDecay'));
    const sum = buffer('sum', num(o, 'initialAccumulatorValue'));
    p.forEach((pk, k) => {
      let d = sign * (g[k] as number);
      if (wd !== 0) d += wd * pk;
      sum[k] = round((sum[k] as number) + d * d);
      p[k] = round(pk - (clr * d) / (Math.sqrt(sum[k] as number) + num(o, 'eps')));
    });
  }
}
