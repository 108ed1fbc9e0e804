import * as tf from '@tensorflow/tfjs';
await tf.setBackend('cpu');
for (const n of [256, 512]) {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    best = Math.min(best, performance.now() - t);
    c.dispose();
  }
  console.log('tfjs-cpu', n, (2 * n ** 3 / best / 1e6).toFixed(2), 'GFLOP/s');
}
