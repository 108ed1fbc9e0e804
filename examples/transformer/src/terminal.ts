/**
 * What a person sees in the terminal: on a terminal, a line redrawn every
 * few steps with the step count and the recent loss; then one line per
 * interval with the mean loss, the held-out exact-match accuracy and the time.
 */
import type { IntervalMetrics, TrainHooks } from './train';

type Print = (line: string) => void;

/** Hooks for `train` that print the interval lines (and, on a terminal, a live step counter). */
export function terminalHooks(totalSteps: number, options: { progress: boolean; print: Print }): TrainHooks {
  const { print } = options;
  const stream = process.stdout;
  const live = options.progress && stream.isTTY === true;
  let recent = 0;
  let drawn = false;
  return {
    onStep({ step, loss }) {
      // An exponential moving average: a single batch's loss is noisy.
      recent = step === 1 ? loss : 0.9 * recent + 0.1 * loss;
      if (!live || step % 5 !== 0) return;
      stream.write(
        `\rstep ${String(step).padStart(String(totalSteps).length)}/${totalSteps}  loss ${formatLoss(recent)}`,
      );
      drawn = true;
    },
    onInterval(m) {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
      print(intervalLine(m, totalSteps));
    },
  };
}

/** e.g. "step  500/4000  loss 0.2571  held-out exact match 88.30%  112.4 s  (0.201 s/step, 0.102 s CPU)". */
export function intervalLine(m: IntervalMetrics, totalSteps: number): string {
  const width = String(totalSteps).length;
  return [
    `step ${String(m.step).padStart(width)}/${totalSteps}`,
    `loss ${formatLoss(m.trainLoss)}`,
    `held-out exact match ${percent(m.testAccuracy)}`,
    `${m.elapsed.toFixed(1)} s`,
    `(${m.secondsPerStep.toFixed(3)} s/step, ${m.cpuSecondsPerStep.toFixed(3)} s CPU)`,
  ].join('  ');
}

/** Four decimals for the usual losses; exponent notation when those would hide the value. */
export function formatLoss(x: number): string {
  return x !== 0 && (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(4);
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
