/**
 * What a person sees in the terminal: a progress bar during each epoch (only
 * on a terminal; CI logs get the per-epoch lines alone), one line per epoch,
 * and at the end the loss curve and the confusion matrix.
 */
import { plot } from 'asciichart';
import { SingleBar } from 'cli-progress';
import type { EpochMetrics, TrainHooks } from './train';

type Print = (line: string) => void;

/** Hooks for `train` that draw the bar and print the epoch lines. */
export function terminalHooks(totalEpochs: number, options: { progress: boolean; print: Print }): TrainHooks {
  const { print } = options;
  const stream = process.stdout;
  const showBar = options.progress && stream.isTTY === true;
  let bar: SingleBar | null = null;
  const width = String(totalEpochs).length;
  return {
    onEpochStart(epoch, samples) {
      if (!showBar) return;
      bar = new SingleBar({
        stream,
        format: `epoch ${String(epoch).padStart(width)}/${totalEpochs} [{bar}] {percentage}% | loss {loss} | {speed} samples/s | eta {eta_formatted}`,
        barCompleteChar: '█',
        barIncompleteChar: '░',
        barsize: 30,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      });
      bar.start(samples, 0, { loss: '-', speed: '-' });
    },
    onBatch({ samplesDone, loss, samplesPerSecond }) {
      bar?.update(samplesDone, { loss: loss.toFixed(4), speed: Math.round(samplesPerSecond).toLocaleString('en-US') });
    },
    onEpochEnd(m) {
      bar?.stop();
      bar = null;
      print(epochLine(m, totalEpochs));
    },
  };
}

/** e.g. "epoch  3/30  loss 0.0257  test accuracy 88.35%  0.9 s  (8,871 samples/s)". */
export function epochLine(m: EpochMetrics, totalEpochs: number): string {
  const width = String(totalEpochs).length;
  return [
    `epoch ${String(m.epoch).padStart(width)}/${totalEpochs}`,
    `loss ${formatLoss(m.trainLoss)}`,
    `test accuracy ${percent(m.testAccuracy)}`,
    `${m.seconds.toFixed(1)} s`,
    `(${Math.round(m.samplesPerSecond).toLocaleString('en-US')} samples/s)`,
  ].join('  ');
}

/** The training loss per epoch as a line chart. */
export function lossChart(epochs: readonly EpochMetrics[]): string {
  const losses = epochs.map((m) => m.trainLoss);
  const series = stretch(losses, CHART_WIDTH);
  const chart = plot(series, { height: 10, format: (x: number) => formatLoss(x).padStart(9) });
  const axis = `${' '.repeat(11)}epoch 1${`epoch ${losses.length}`.padStart(series.length - 7)}`;
  return `training loss per epoch\n${chart}\n${axis}`;
}

const CHART_WIDTH = 60;

/**
 * asciichart draws one column per value; a short run is spread over `width`
 * columns by straight lines between the epochs, so ten epochs are not ten
 * characters wide.
 */
export function stretch(values: readonly number[], width: number): number[] {
  if (values.length === 0) return [0, 0];
  if (values.length === 1) return new Array<number>(width).fill(values[0] as number);
  if (values.length >= width) return [...values];
  return Array.from({ length: width }, (_, i) => {
    const at = (i * (values.length - 1)) / (width - 1);
    const lo = Math.floor(at);
    const hi = Math.min(lo + 1, values.length - 1);
    return (values[lo] as number) + ((values[hi] as number) - (values[lo] as number)) * (at - lo);
  });
}

/** Rows: the true digit; columns: the predicted one. */
export function confusionTable(confusion: readonly (readonly number[])[]): string {
  const cell = Math.max(4, ...confusion.flat().map((n) => String(n).length + 1));
  const pad = (s: string | number): string => String(s).padStart(cell);
  const lines = [`true ↓  predicted →`, `      ${confusion.map((_, p) => pad(p)).join('')}   correct`];
  confusion.forEach((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    const right = total === 0 ? '-' : percent((row[t] as number) / total);
    lines.push(`  ${String(t).padStart(2)}  ${row.map(pad).join('')}   ${right.padStart(7)}`);
  });
  return lines.join('\n');
}

/** Four decimals for the usual costs; exponent notation when those would hide the value (a diverging run). */
export function formatLoss(x: number): string {
  return x !== 0 && (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3) ? x.toExponential(2) : x.toFixed(4);
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
