// Run in Chromium by backend-warning.test.ts under a Content-Security-Policy
// that refuses WebAssembly: the program must still compute right, on the
// JavaScript kernels, and chainrule must say so once.
import { backendInfo, ready, tensor } from '@chainrule/core';

declare global {
  interface Window {
    result?: unknown;
  }
}

try {
  await ready();
  // A[i][p] = i + 1, B[p][j] = j, k = 256: C[i][j] = 256·(i + 1)·j exactly (integers below 2^24).
  const [m, k, n] = [256, 256, 256];
  const a = tensor(
    Float32Array.from({ length: m * k }, (_, i) => Math.floor(i / k) + 1),
    { shape: [m, k] },
  );
  const b = tensor(
    Float32Array.from({ length: k * n }, (_, i) => i % n),
    { shape: [k, n] },
  );
  let wrong = 0;
  for (let round = 0; round < 2; round++) {
    const c = a.matmul(b).data() as Float32Array;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) if (c[i * n + j] !== k * (i + 1) * j) wrong++;
  }
  // sigmoid(0) = 1/2 exactly.
  const halves = tensor(new Float32Array(4096)).sigmoid().data() as Float32Array;
  window.result = { wrong, sigmoidOk: halves.every((v) => v === 0.5), info: backendInfo() };
} catch (e) {
  window.result = { error: String(e instanceof Error ? e.stack : e) };
}
