/**
 * The tests' own copy of the textbook network, written against
 * @chainrule/core directly (not through the playground's model), so a page
 * that wires a gradient to the wrong connection cannot agree with it by
 * sharing the mistake.
 */
import { type Value, value } from '@chainrule/core';

export interface Numbers {
  sizes: number[];
  weights: number[][][];
  biases: number[][];
  input: number[];
  target: number[];
}

export interface Reference {
  weights: Value[][][];
  biases: Value[][];
  cost: Value;
}

/** a⁽ˡ⁾ = σ(W⁽ˡ⁾ a⁽ˡ⁻¹⁾ + b⁽ˡ⁾), C = Σ_j (a⁽ᴸ⁾_j − y_j)², then backward(). */
export function referenceBackward(n: Numbers): Reference {
  const weights = n.weights.map((layer) => layer.map((row) => row.map((w) => value(w))));
  const biases = n.biases.map((layer) => layer.map((b) => value(b)));
  let a: Value[] = n.input.map((x) => value(x, { requiresGrad: false }));
  for (let l = 0; l < weights.length; l++) {
    const prev = a;
    a = weights[l]!.map((row, j) =>
      row
        .map((w, k) => w.mul(prev[k]!))
        .reduce((s, t) => s.add(t))
        .add(biases[l]![j]!)
        .sigmoid(),
    );
  }
  const cost = a.map((o, j) => o.sub(n.target[j]!).pow(2)).reduce((s, t) => s.add(t));
  cost.backward();
  return { weights, biases, cost };
}

/** Every Value reachable from `root` (the graph's nodes), counted by walking inputs. */
export function countValues(root: Value): number {
  const seen = new Set<Value>();
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push(...v.inputs);
  }
  return seen.size;
}
