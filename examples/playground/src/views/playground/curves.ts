/** The loss and accuracy curves, drawn with Observable Plot (the chart library the playground's other views use). */
import * as Plot from '@observablehq/plot';

/** One point of the curves. */
export interface CurvePoint {
  step: number;
  loss: number;
  accuracy: number;
}

/** Keeps the history short enough to redraw often: past `limit` points every other one is dropped. */
export function thin(history: CurvePoint[], limit = 600): CurvePoint[] {
  return history.length <= limit ? history : history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
}

/** Two small line charts side by side: the cost and the training accuracy. */
export function drawCurves(target: HTMLElement, history: CurvePoint[]): void {
  const width = Math.max(220, Math.min(420, target.clientWidth || 320));
  const common = { width, height: 170, marginLeft: 48, style: { background: 'transparent' } };
  const loss = Plot.plot({
    ...common,
    y: { label: 'loss', grid: true, zero: true },
    x: { label: 'step' },
    marks: [Plot.lineY(history, { x: 'step', y: 'loss', stroke: '#ea580c' })],
  });
  const accuracy = Plot.plot({
    ...common,
    y: { domain: [0, 1], label: 'training accuracy', grid: true, percent: false },
    x: { label: 'step' },
    marks: [
      Plot.ruleY([0.95], { stroke: '#9ca3af', strokeDasharray: '4 3' }),
      Plot.lineY(history, { x: 'step', y: 'accuracy', stroke: '#2563eb' }),
    ],
  });
  loss.setAttribute('aria-label', 'Loss per step');
  accuracy.setAttribute('aria-label', 'Training accuracy per step');
  target.replaceChildren(loss, accuracy);
}
