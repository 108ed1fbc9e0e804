/**
 * The textbook network, neuron by neuron: two inputs, a hidden layer of two
 * sigmoid neurons, one sigmoid output, a squared-error cost. Each neuron holds
 * a number and each connection a weight, all of them Values, so backward()
 * fills in dC/d(everything) and the graph can be drawn.
 */
import { toMermaid, value, type Value } from '@chainrule/core';

const x = [value(0.5, { label: 'x1', requiresGrad: false }), value(-1, { label: 'x2', requiresGrad: false })];
const w = [
  [value(0.1, { label: 'w11' }), value(-0.2, { label: 'w12' })],
  [value(0.4, { label: 'w21' }), value(0.3, { label: 'w22' })],
];
const b = [value(0, { label: 'b1' }), value(0, { label: 'b2' })];
const v = [value(0.7, { label: 'v1' }), value(-0.6, { label: 'v2' })];
const c = value(0, { label: 'c' });
const y = 1;

// Forward: a_j = σ(Σ_k w_jk x_k + b_j), output σ(Σ_j v_j a_j + c).
const hidden = w.map((row, j) =>
  row.reduce<Value>((z, wjk, k) => z.add(wjk.mul(x[k] as Value)), b[j] as Value).sigmoid(),
);
hidden.forEach((a, j) => (a.label = `a${j + 1}`));
const output = hidden.reduce<Value>((z, a, j) => z.add((v[j] as Value).mul(a)), c).sigmoid();
output.label = 'output';
const cost = output.sub(y).pow(2);
cost.label = 'cost';

// Backward: the chain rule from the cost back to every weight and bias.
cost.backward();

console.log(`output = ${output.data.toFixed(6)}, cost = ${cost.data.toFixed(6)}\n`);
for (const p of [...w.flat(), ...b, ...v, c]) {
  console.log(`dC/d${(p.label ?? '?').padEnd(4)} = ${p.grad.toFixed(6)}`);
}
console.log('\nThe graph (Mermaid):\n');
console.log(toMermaid(cost));
