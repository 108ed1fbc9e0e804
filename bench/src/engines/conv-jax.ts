/**
 * jax-js's side of the convolution cases (issue 16), `jit` around each timed
 * function: `lax.convGeneralDilated` takes PyTorch's layouts (NCHW input,
 * [O, C, kH, kW] kernel) as they are; forward+backward is `vjp` with the
 * shared upstream gradient; max pooling is `lax.reduceWindow` with `max`, as
 * JAX's own pooling layers do.
 */
import type { ConvCase, ConvGemmCase, LenetStepCase } from '../cases';
import { convData, lenetBatch, lenetParams, uniformArray } from '../data';
import type { Contender } from '../harness';

(globalThis as { navigator?: object }).navigator ??= {};
const jax = await import('@jax-js/jax');
await jax.init('wasm');
jax.defaultDevice('wasm');
const { numpy: np, nn, lax, jit, valueAndGrad, vjp } = jax;
type JArray = InstanceType<typeof jax.Array>;

/** Symmetric padding p in both spatial dimensions. */
const pads = (p: number): [number, number][] => [
  [p, p],
  [p, p],
];

export function jaxConv(c: ConvCase): Contender {
  return {
    engine: 'jax-js',
    async setup() {
      const out = c.size + 2 * c.padding - c.kernel + 1;
      const d = convData(c.batch, c.inChannels, c.outChannels, c.size, c.kernel, out);
      const x = np.array(d.x).reshape([c.batch, c.inChannels, c.size, c.size]);
      const w = np.array(d.w).reshape([c.outChannels, c.inChannels, c.kernel, c.kernel]);
      const b = np.array(d.b);
      const dy = np.array(d.dy).reshape([c.batch, c.outChannels, out, out]);
      const conv = (xs: JArray, ws: JArray, bs: JArray) =>
        lax.convGeneralDilated(xs, ws, [1, 1], pads(c.padding)).add(bs.reshape([c.outChannels, 1, 1]));
      if (c.pass === 'forward') {
        const f = jit(conv);
        return async () => {
          await (f(x.ref, w.ref, b.ref) as JArray).data();
        };
      }
      const f = jit((xs: JArray, ws: JArray, bs: JArray, g: JArray) => {
        const [y, pullback] = vjp(conv, [xs, ws, bs]) as unknown as [JArray, (g: JArray) => JArray[]];
        y.dispose();
        return pullback(g);
      });
      return async () => {
        const grads = f(x.ref, w.ref, b.ref, dy.ref) as unknown as JArray[];
        for (const g of grads) await g.data();
      };
    },
  };
}

export function jaxConvGemm(c: ConvGemmCase): Contender {
  return {
    engine: 'jax-js',
    async setup() {
      const a = np.array(uniformArray(c.m * c.k, 1)).reshape([c.m, c.k]);
      const b = np.array(uniformArray(c.k * c.n, 2)).reshape([c.k, c.n]);
      const mm = jit((p: JArray, q: JArray) => np.matmul(p, q));
      return async () => {
        await (mm(a.ref, b.ref) as JArray).data();
      };
    },
  };
}

/** LeNet-5's loss for parameters [w0, b0, ..., w4, b4], images x and one-hot rows y. */
function lenetLoss(...args: JArray[]): JArray {
  const p = (i: number) => args[i] as JArray;
  const x = p(10);
  const y = p(11);
  const convRelu = (h: JArray, i: number, pad: number) =>
    nn.relu(lax.convGeneralDilated(h, p(2 * i), [1, 1], pads(pad)).add(p(2 * i + 1).reshape([-1, 1, 1])));
  const pool = (h: JArray) => lax.reduceWindow(h, (t: JArray) => np.max(t), [2, 2], [2, 2]);
  let h = pool(convRelu(x, 0, 2));
  h = pool(convRelu(h, 1, 0));
  h = h.reshape([h.shape[0] as number, 400]);
  for (let i = 2; i < 5; i++) {
    // Dense weights are [out, in], as in PyTorch: h·Wᵀ.
    h = np.matmul(h, p(2 * i).transpose()).add(p(2 * i + 1));
    if (i < 4) h = nn.relu(h);
  }
  return np.mean(np.sum(nn.logSoftmax(h, -1).mul(y), [1])).neg();
}

export function jaxLenet(c: LenetStepCase): Contender {
  return {
    engine: 'jax-js',
    async setup() {
      let params: JArray[] = lenetParams().flatMap((l) => [np.array(l.w).reshape([...l.shape]), np.array(l.b)]);
      const data = lenetBatch(c.batch);
      const x = np.array(data.x).reshape([c.batch, 1, 28, 28]);
      const y = np.array(data.oneHot).reshape([c.batch, 10]);
      const lr = 0.01;
      const argnums = params.map((_, i) => i);
      const step = jit((...args: JArray[]) => {
        const [value, grads] = valueAndGrad(lenetLoss, { argnums })(
          ...args.map((a, i) => (i < 10 ? a.ref : a)),
        ) as unknown as [JArray, JArray[]];
        return [value, ...args.slice(0, 10).map((q, i) => q.sub((grads[i] as JArray).mul(lr)))];
      });
      return async () => {
        const [value, ...next] = step(...params, x.ref, y.ref) as unknown as JArray[];
        params = next;
        await (value as JArray).data();
      };
    },
  };
}
