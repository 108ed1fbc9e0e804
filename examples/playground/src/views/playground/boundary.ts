/**
 * The decision boundary on a canvas: P(class 1) on the worker's grid as a
 * heatmap (orange for class 0, blue for class 1, paler near 0.5), the
 * dataset's points on top.
 */
import { EXTENT } from '../../train/datasets';

const CLASS0: [number, number, number] = [234, 88, 12];
const CLASS1: [number, number, number] = [37, 99, 235];

/** Draws the heatmap of `grid` (resolution² values, top row first) and the points onto `canvas`. */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  grid: Float32Array | null,
  resolution: number,
  points: { xy: Float32Array; labels: Int32Array } | null,
): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const size = canvas.width;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  if (grid !== null && grid.length === resolution * resolution) {
    const image = new ImageData(resolution, resolution);
    for (let i = 0; i < grid.length; i++) {
      const p = grid[i] as number;
      // Certainty |2p - 1| sets how far the colour goes from white towards the class colour.
      const c = p >= 0.5 ? CLASS1 : CLASS0;
      const t = 0.15 + 0.5 * Math.abs(2 * p - 1);
      image.data[4 * i] = Math.round(255 + (c[0] - 255) * t);
      image.data[4 * i + 1] = Math.round(255 + (c[1] - 255) * t);
      image.data[4 * i + 2] = Math.round(255 + (c[2] - 255) * t);
      image.data[4 * i + 3] = 255;
    }
    const small = document.createElement('canvas');
    small.width = resolution;
    small.height = resolution;
    small.getContext('2d')?.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(small, 0, 0, size, size);
  }
  if (points === null) return;
  const r = Math.max(2.5, size / 110);
  for (let i = 0; i < points.labels.length; i++) {
    const x = (((points.xy[2 * i] as number) + EXTENT) / (2 * EXTENT)) * size;
    const y = ((EXTENT - (points.xy[2 * i + 1] as number)) / (2 * EXTENT)) * size;
    const c = points.labels[i] === 1 ? CLASS1 : CLASS0;
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${c.join(',')})`;
    ctx.fill();
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
  }
}
