/**
 * Calls from untyped JavaScript: every public function and Tensor method,
 * given a string, an array, null, undefined, an object or a boolean where it
 * expects something else, throws a ChainruleError whose message starts with
 * the name of the function called, never a raw TypeError from deep inside.
 */
import { describe, expect, it } from 'vitest';
import * as core from '../../src/index';
import { ChainruleError, Tensor, tensor } from '../../src/index';
import { bitwiseNames, comparisonNames, opTables, valueTestNames } from '../../src/ops/tables';

const keysOf = <T extends object>(table: T) => Object.keys(table) as (keyof T & string)[];

const bad: readonly unknown[] = ['s', [1, 2], null, undefined, {}, true];

/** [the name the error must start with, a call taking the bad argument] */
type Case = readonly [string, (b: never) => unknown];

const m = () =>
  tensor([
    [1, 2],
    [3, 4],
  ]);
const idx = () => tensor(new Int32Array([0, 0, 0, 0]), { shape: [2, 2] });
const fn = (x: Tensor) => x.sum();
type Loose = (...args: unknown[]) => unknown;
const call = (f: unknown, ...args: unknown[]) => (f as Loose)(...args);

// From the op tables, so a new unary or binary op is called with bad arguments here without a list to update.
const unaryNames = [...keysOf(opTables.unary), 'contiguous', 'clone', 'flatten', 'logicalNot'] as const;
const binaryNames = [...keysOf(opTables.binary), ...comparisonNames, ...bitwiseNames] as const;
const reductionNames = [
  ['sum', 'sum'],
  ['mean', 'mean'],
  ['max', 'max'],
  ['min', 'min'],
  ['logsumexp', 'logsumexp'],
  ['variance', 'var'],
  ['argmax', 'argmax'],
  ['argmin', 'argmin'],
  ['softmax', 'softmax'],
  ['logSoftmax', 'logSoftmax'],
  // The reductions of issue 17.
  ['prod', 'prod'],
  ['amax', 'amax'],
  ['amin', 'amin'],
  ['std', 'std'],
  ['varMean', 'varMean'],
  ['stdMean', 'stdMean'],
  ['nansum', 'nansum'],
  ['nanmean', 'nanmean'],
  ['any', 'any'],
  ['all', 'all'],
  ['countNonzero', 'countNonzero'],
] as const;

const cases: Case[] = [
  ...unaryNames.map((name): Case => [name, (b) => call(core[name], b)]),
  ...binaryNames.flatMap((name): Case[] => [
    [name, (b) => call(core[name], b, m())],
    [name, (b) => call(core[name], m(), b)],
  ]),
  ...reductionNames.flatMap(([fn, name]): Case[] => [
    [name, (b) => call(core[fn], b)],
    [name, (b) => call(core[fn], m(), b)],
  ]),
  ...reductionNames.slice(0, 6).map(([fn, name]): Case => [name, (b) => call(core[fn], m(), 0, b)]),
  // The reductions of issue 17: keepDims, options, and norm's p.
  ...reductionNames.slice(10).map(([fn, name]): Case => [name, (b) => call(core[fn], m(), 0, b)]),
  ...(['std', 'varMean', 'stdMean'] as const).flatMap((name): Case[] => [
    [name, (b) => call(core[name], m(), 0, false, b)],
    [name, (b) => call(core[name], m(), 0, false, { correction: b })],
  ]),
  ['norm', (b) => core.norm(b as never)],
  ['norm', (b) => core.norm(m(), b as never)],
  ['norm', (b) => core.norm(m(), 2, b as never)],
  ['norm', (b) => core.norm(m(), 2, 0, b as never)],
  ['reshape', (b) => core.reshape(b, [4])],
  ['reshape', (b) => core.reshape(m(), b)],
  ['reshape', (b) => m().reshape([b, 2] as never)],
  ['permute', (b) => core.permute(m(), b)],
  ['permute', (b) => core.permute(m(), [b, 0] as never)],
  ['transpose', (b) => core.transpose(m(), b, 0)],
  ['squeeze', (b) => core.squeeze(m(), b)],
  ['unsqueeze', (b) => core.unsqueeze(m(), b)],
  ['expand', (b) => core.expand(m(), b)],
  ['slice', (b) => core.slice(m(), b)],
  ['slice', (b) => core.slice(m(), 0, b)],
  ['slice', (b) => core.slice(m(), 0, 0, b)],
  ['slice', (b) => core.slice(m(), 0, 0, 2, b)],
  ['concat', (b) => core.concat(b)],
  ['concat', (b) => core.concat([m(), b] as never)],
  ['concat', (b) => core.concat([m(), m()], b)],
  ['stack', (b) => core.stack(b)],
  ['stack', (b) => core.stack([m(), b] as never)],
  ['gather', (b) => core.gather(m(), 0, b)],
  ['gather', (b) => core.gather(m(), b, idx())],
  ['gather', (b) => core.gather(b, 0, idx())],
  ['indexSelect', (b) => core.indexSelect(m(), 0, b)],
  ['indexSelect', (b) => core.indexSelect(m(), b, [0])],
  ['oneHot', (b) => core.oneHot(b)],
  ['oneHot', (b) => core.oneHot([0], b)],
  ['matmul', (b) => core.matmul(b, m())],
  ['matmul', (b) => core.matmul(m(), b)],
  ['dot', (b) => core.dot(b, tensor([1]))],
  ['outer', (b) => core.outer(tensor([1]), b)],
  ['addInPlace', (b) => core.addInPlace(core.zeros([2]), b)],
  ['addInPlace', (b) => core.addInPlace(b, 1)],
  ['addInPlace', (b) => core.addInPlace(core.zeros([2]), 1, b)],
  ['subInPlace', (b) => core.subInPlace(core.zeros([2]), 1, b)],
  ['mulInPlace', (b) => core.mulInPlace(core.zeros([2]), b)],
  ['copyFrom', (b) => core.copyFrom(core.zeros([2]), b)],
  ['fill', (b) => core.fill(core.zeros([2]), b)],
  ['fill', (b) => core.fill(b, 1)],
  ['to', (b) => core.to(m(), b)],
  ['to', (b) => core.to(b, 'float32')],
  ['where', (b) => core.where(b, 1, 2)],
  ['where', (b) => core.where(tensor([true]), b, 1)],
  ['tensor', (b) => core.tensor(b)],
  ['tensor', (b) => core.tensor([1], b)],
  ['zeros', (b) => core.zeros(b)],
  ['ones', (b) => core.ones([1], b)],
  ['full', (b) => core.full([1], b)],
  ['zerosLike', (b) => core.zerosLike(b)],
  ['onesLike', (b) => core.onesLike(b)],
  ['fullLike', (b) => core.fullLike(b, 1)],
  ['randLike', (b) => core.randLike(b)],
  ['randnLike', (b) => core.randnLike(b)],
  ['eye', (b) => core.eye(b)],
  ['arange', (b) => core.arange(b)],
  ['linspace', (b) => core.linspace(0, 1, b)],
  ['linspace', (b) => core.linspace(b, 1, 2)],
  ['rand', (b) => core.rand(b)],
  ['randn', (b) => core.randn([1], { generator: b })],
  ['randperm', (b) => core.randperm(b)],
  ['manualSeed', (b) => core.manualSeed(b)],
  ['backward', (b) => tensor([1], { requiresGrad: true }).mul(2).backward(b)],
  ['backward', (b) => tensor([1], { requiresGrad: true }).mul(2).backward(undefined, b)],
  ['gradients', (b) => core.gradients(b, [])],
  ['gradients', (b) => core.gradients(tensor([1], { requiresGrad: true }).sum(), b)],
  ['gradients', (b) => core.gradients(tensor([1], { requiresGrad: true }).sum(), [b] as never)],
  ['gradients', (b) => core.gradients(tensor([1], { requiresGrad: true }).sum(), [], b)],
  ['grad', (b) => core.grad(b)],
  ['grad', (b) => core.grad(fn)(b)],
  ['grad', (b) => core.grad(fn, { argnums: b })(tensor([1]))],
  ['vjp', (b) => core.vjp(b, tensor([1]))],
  ['vjp', (b) => core.vjp(fn, b)],
  ['vjp', (b) => core.vjp(fn, tensor([1]))[1](b)],
  ['jvp', (b) => core.jvp(fn, b, [tensor([1])])],
  ['jvp', (b) => core.jvp(fn, [tensor([1])], [b] as never)],
  ['jacobian', (b) => core.jacobian((x: Tensor) => x)(b)],
  ['hessian', (b) => core.hessian(fn)(b)],
  ['customOp', (b) => core.customOp(b)],
  ['toDot', (b) => core.toDot(b)],
  ['toDot', (b) => core.toDot(m(), b)],
  ['toMermaid', (b) => core.toMermaid(b)],
  ['noGrad', (b) => core.noGrad(b)],
  ['enableGrad', (b) => core.enableGrad(b)],
  // Special functions and rounding: round is the one with a parameter.
  ['round', (b) => core.round(m(), b)],
  // Lerp, clamp with tensor bounds, the value tests and nanToNum (issue 17; the binary math ops are above, from the table).
  ['lerp', (b) => core.lerp(b, m(), 0.5)],
  ['lerp', (b) => core.lerp(m(), b, 0.5)],
  ['lerp', (b) => core.lerp(m(), m(), b)],
  ['clamp', (b) => core.clamp(m(), b, m())],
  ['clamp', (b) => core.clamp(m(), m(), b)],
  ['clamp', (b) => core.clamp(b, m(), m())],
  ...valueTestNames.map((name): Case => [name, (b) => call(core[name], b)]),
  ['isclose', (b) => core.isclose(b, m())],
  ['isclose', (b) => core.isclose(m(), b)],
  ['isclose', (b) => core.isclose(m(), m(), b)],
  ['isclose', (b) => core.isclose(m(), m(), { rtol: b })],
  ['isclose', (b) => core.isclose(m(), m(), { atol: b })],
  ['isclose', (b) => core.isclose(m(), m(), { equalNan: b })],
  ['nanToNum', (b) => core.nanToNum(b)],
  ['nanToNum', (b) => core.nanToNum(m(), b)],
  ['nanToNum', (b) => core.nanToNum(m(), { nan: b })],
  ['nanToNum', (b) => core.nanToNum(m(), { posinf: b })],
  ['nanToNum', (b) => core.nanToNum(m(), { neginf: b })],
  // The shape toolbox.
  ['flip', (b) => core.flip(b, 0)],
  ['flip', (b) => core.flip(m(), b)],
  ['roll', (b) => core.roll(b, 1)],
  ['roll', (b) => core.roll(m(), b)],
  ['roll', (b) => core.roll(m(), 1, b)],
  ['tril', (b) => core.tril(b)],
  ['tril', (b) => core.tril(m(), b)],
  ['triu', (b) => core.triu(m(), b)],
  ['diag', (b) => core.diag(b)],
  ['diag', (b) => core.diag(m(), b)],
  ['diagonal', (b) => core.diagonal(b)],
  ['diagonal', (b) => core.diagonal(m(), b)],
  ['diagonal', (b) => core.diagonal(m(), { offset: b })],
  ['diagonal', (b) => core.diagonal(m(), { axis1: b })],
  ['diagEmbed', (b) => core.diagEmbed(b)],
  ['diagEmbed', (b) => core.diagEmbed(m(), b)],
  ['diagEmbed', (b) => core.diagEmbed(m(), { axis2: b })],
  ['trace', (b) => core.trace(b)],
  ['repeat', (b) => core.repeat(b, [1, 1])],
  ['repeat', (b) => core.repeat(m(), b)],
  ['tile', (b) => core.tile(m(), b)],
  ['repeatInterleave', (b) => core.repeatInterleave(b, 2)],
  ['repeatInterleave', (b) => core.repeatInterleave(m(), b)],
  ['repeatInterleave', (b) => core.repeatInterleave(m(), 2, b)],
  ['split', (b) => core.split(b, 1)],
  ['split', (b) => core.split(m(), b)],
  ['split', (b) => core.split(m(), 1, b)],
  ['chunk', (b) => core.chunk(m(), b)],
  ['chunk', (b) => core.chunk(m(), 2, b)],
  ['unbind', (b) => core.unbind(b)],
  ['unbind', (b) => core.unbind(m(), b)],
  ['movedim', (b) => core.movedim(b, 0, 1)],
  ['movedim', (b) => core.movedim(m(), b, 0)],
  ['movedim', (b) => core.movedim(m(), 0, b)],
  ['swapaxes', (b) => core.swapaxes(m(), b, 0)],
  ['unflatten', (b) => core.unflatten(b, 0, [2])],
  ['unflatten', (b) => core.unflatten(m(), b, [2])],
  ['unflatten', (b) => core.unflatten(m(), 0, b)],
  ['broadcastTo', (b) => core.broadcastTo(b, [2, 2])],
  ['broadcastTo', (b) => core.broadcastTo(m(), b)],
  ['broadcastTensors', (b) => core.broadcastTensors(m(), b)],
  ['meshgrid', (b) => core.meshgrid(tensor([1]), b)],
  ['meshgrid', (b) => core.meshgrid(tensor([1]), { indexing: b })],
  ['atleast1d', (b) => core.atleast1d(b)],
  ['atleast2d', (b) => core.atleast2d([m(), b] as never)],
  ['atleast3d', (b) => core.atleast3d(b)],
  ['hstack', (b) => core.hstack(b)],
  ['vstack', (b) => core.vstack([m(), b] as never)],
  ['dstack', (b) => core.dstack(b)],
  // The activation functions' parameters (their inputs come from the unary table above).
  ['elu', (b) => core.elu(m(), b)],
  ['celu', (b) => core.celu(m(), b)],
  ['gelu', (b) => core.gelu(m(), b)],
  ['gelu', (b) => core.gelu(m(), { approximate: b })],
  ['hardtanh', (b) => core.hardtanh(m(), b)],
  ['hardtanh', (b) => core.hardtanh(m(), -1, b)],
  ['softshrink', (b) => core.softshrink(m(), b)],
  ['hardshrink', (b) => core.hardshrink(m(), b)],
  ['threshold', (b) => core.threshold(m(), b, 0)],
  ['threshold', (b) => core.threshold(m(), 0, b)],
  // Cumulative, sorting and search ops (issue 18).
  ...sortCumulativeCases(),
  // Indexing.
  ['index', (b) => core.index(b, [0])],
  ['index', (b) => core.index(m(), b)],
  ['index', (b) => core.index(m(), [b])],
  ['indexPut', (b) => core.indexPut(b, [0], 1)],
  ['indexPut', (b) => core.indexPut(m(), b, 1)],
  ['indexPut', (b) => core.indexPut(m(), [0], b)],
  ['indexPut', (b) => core.indexPut(m(), [0], 1, b)],
  ['select', (b) => core.select(m(), b, 0)],
  ['select', (b) => core.select(m(), 0, b)],
  ['narrow', (b) => core.narrow(m(), b, 0, 1)],
  ['narrow', (b) => core.narrow(m(), 0, b, 1)],
  ['narrow', (b) => core.narrow(m(), 0, 0, b)],
  ['take', (b) => core.take(b, [0])],
  ['take', (b) => core.take(m(), b)],
  ['takeAlongDim', (b) => core.takeAlongDim(m(), b, 1)],
  ['takeAlongDim', (b) => core.takeAlongDim(m(), idx(), b)],
  ['scatter', (b) => core.scatter(b, 0, idx(), 1)],
  ['scatter', (b) => core.scatter(m(), b, idx(), 1)],
  ['scatter', (b) => core.scatter(m(), 0, b, 1)],
  ['scatter', (b) => core.scatter(m(), 0, idx(), b)],
  ['scatterAdd', (b) => core.scatterAdd(m(), 0, idx(), b)],
  ['scatterReduce', (b) => core.scatterReduce(m(), 0, idx(), m(), b)],
  ['scatterReduce', (b) => core.scatterReduce(m(), 0, idx(), m(), 'sum', b)],
  ['indexAdd', (b) => core.indexAdd(m(), 0, b, m())],
  ['indexAdd', (b) => core.indexAdd(m(), 0, [0, 1], b)],
  ['indexAdd', (b) => core.indexAdd(m(), 0, [0, 1], m(), b)],
  ['indexCopy', (b) => core.indexCopy(m(), 0, [0, 1], b)],
  ['indexFill', (b) => core.indexFill(m(), 0, b, 1)],
  ['indexFill', (b) => core.indexFill(m(), 0, [0], b)],
  ['maskedFill', (b) => core.maskedFill(m(), b, 1)],
  ['maskedFill', (b) => core.maskedFill(m(), tensor([true, false]), b)],
  ['maskedSelect', (b) => core.maskedSelect(b, tensor([true, false]))],
  ['maskedSelect', (b) => core.maskedSelect(m(), b)],
  ['maskedScatter', (b) => core.maskedScatter(m(), tensor([true, false]), b)],
  ['nonzero', (b) => core.nonzero(b)],
  ['argwhere', (b) => core.argwhere(b)],
  // Convolution, pooling and unfold (issue 16).
  ...convCases(),
  // Contractions and the linalg namespace (issue 18).
  ['einsum', (b) => core.einsum(b, m())],
  ['einsum', (b) => core.einsum('ij', b)],
  ['tensordot', (b) => core.tensordot(b, m())],
  ['tensordot', (b) => core.tensordot(m(), m(), b)],
  ['bmm', (b) => core.bmm(b, m())],
  ['kron', (b) => core.kron(m(), b)],
  ['cross', (b) => core.cross(b, m())],
  ['cross', (b) => core.cross(tensor([1, 2, 3]), tensor([3, 2, 1]), b)],
  ['cdist', (b) => core.cdist(m(), b)],
  ['cdist', (b) => core.cdist(m(), m(), b)],
  ['linalg.det', (b) => core.linalg.det(b)],
  ['linalg.slogdet', (b) => core.linalg.slogdet(b)],
  ['linalg.inv', (b) => core.linalg.inv(b)],
  ['linalg.solve', (b) => core.linalg.solve(m(), b)],
  ['linalg.cholesky', (b) => core.linalg.cholesky(b)],
  ['linalg.cholesky', (b) => core.linalg.cholesky(m(), b)],
  ['linalg.solveTriangular', (b) => core.linalg.solveTriangular(m(), m(), b)],
  ['linalg.solveTriangular', (b) => core.linalg.solveTriangular(m(), b, { upper: true })],
  ['linalg.vectorNorm', (b) => core.linalg.vectorNorm(m(), b)],
  ['linalg.vectorNorm', (b) => core.linalg.vectorNorm(m(), 2, b)],
  ['linalg.matrixNorm', (b) => core.linalg.matrixNorm(m(), b)],
  ['linalg.matrixNorm', (b) => core.linalg.matrixNorm(m(), 'fro', b)],
  ['linalg.matrixNorm', (b) => core.linalg.matrixNorm(m(), 'fro', [-2, -1], b)],
  ['linalg.matrixPower', (b) => core.linalg.matrixPower(m(), b)],
  ['linalg.qr', (b) => core.linalg.qr(b)],
  ['linalg.eigh', (b) => core.linalg.eigh(b)],
  ['linalg.svd', (b) => core.linalg.svd(b)],
  ['linalg.pinv', (b) => core.linalg.pinv(b)],
  // Finishing issues 17 and 18: the dtype option of sums and products, qr's mode, svd's fullMatrices, integer clamp.
  ['sum', (b) => core.sum(m(), 0, false, b)],
  ['sum', (b) => core.sum(m(), { dtype: b })],
  ['mean', (b) => core.mean(m(), { dtype: b })],
  ['prod', (b) => core.prod(m(), 0, false, b)],
  ['nansum', (b) => core.nansum(m(), { dtype: b })],
  ['cumsum', (b) => core.cumsum(m(), 0, b)],
  ['cumsum', (b) => core.cumsum(m(), 0, { dtype: b })],
  ['cumprod', (b) => core.cumprod(m(), 0, { dtype: b })],
  ['linalg.qr', (b) => core.linalg.qr(m(), b)],
  ['linalg.qr', (b) => core.linalg.qr(m(), { mode: b })],
  ['linalg.svd', (b) => core.linalg.svd(m(), b)],
  ['linalg.svd', (b) => core.linalg.svd(m(), { fullMatrices: b })],
  ['clamp', (b) => core.clamp(tensor([1, 2], { dtype: 'int32' }), b, 5)],
];

/**
 * The cumulative and sorting families, each argument position of each op given the bad values; keyed by the
 * tables' rows (a new row without cases does not compile) and the ops outside them.
 */
function sortCumulativeCases(): Case[] {
  const v = () => tensor([3, 1, 2]);
  const o = (key: string) => (b: never) => ({ [key]: b });
  type Name =
    | Exclude<keyof typeof opTables.cumulative, 'linearScan'>
    | keyof typeof opTables.sort
    | 'argsort'
    | 'unique'
    | 'searchsorted'
    | 'bucketize';
  const scan = (f: unknown) => [(b: never) => call(f, b, 0), (b: never) => call(f, v(), b)];
  const byOp: Record<Name, ((b: never) => unknown)[]> = {
    cumsum: scan(core.cumsum),
    cumprod: scan(core.cumprod),
    logcumsumexp: scan(core.logcumsumexp),
    cummax: scan(core.cummax),
    cummin: scan(core.cummin),
    sort: [
      ...scan(core.sort),
      (b) => core.sort(v(), 0, b),
      ...['descending', 'stable'].map((k) => (b: never) => core.sort(v(), 0, o(k)(b))),
    ],
    argsort: [...scan(core.argsort), (b) => core.argsort(v(), 0, b), (b) => core.argsort(v(), 0, o('stable')(b))],
    topk: [
      (b) => core.topk(b, 1),
      (b) => core.topk(v(), b),
      (b) => core.topk(v(), 1, b),
      (b) => core.topk(v(), 1, 0, b),
      ...['largest', 'sorted'].map((k) => (b: never) => core.topk(v(), 1, 0, o(k)(b))),
    ],
    kthvalue: [
      (b) => core.kthvalue(b, 1),
      (b) => core.kthvalue(v(), b),
      (b) => core.kthvalue(v(), 1, b),
      (b) => core.kthvalue(v(), 1, 0, b),
    ],
    median: [(b) => core.median(b), (b) => core.median(v(), b), (b) => core.median(v(), 0, b)],
    mode: [(b) => core.mode(b), (b) => core.mode(v(), b), (b) => core.mode(v(), 0, b)],
    unique: [
      (b) => core.unique(b),
      (b) => core.unique(v(), b),
      ...['sorted', 'returnInverse', 'returnCounts', 'axis'].map((k) => (b: never) => core.unique(v(), o(k)(b))),
    ],
    searchsorted: [
      (b) => core.searchsorted(b, v()),
      (b) => core.searchsorted(v(), b),
      (b) => core.searchsorted(v(), v(), b),
      ...['right', 'side'].map((k) => (b: never) => core.searchsorted(v(), v(), o(k)(b))),
    ],
    bucketize: [
      (b) => core.bucketize(b, v()),
      (b) => core.bucketize(v(), b),
      (b) => core.bucketize(v(), v(), b),
      (b) => core.bucketize(v(), v(), o('right')(b)),
    ],
  };
  return Object.entries(byOp).flatMap(([name, calls]) => calls.map((f): Case => [name, f]));
}

/** The convolution family: each argument position of each op, given the bad values. */
function convCases(): Case[] {
  const image = () => core.zeros([1, 2, 4, 4]);
  const o = (key: string) => (b: never) => ({ [key]: b });
  return [
    ['unfold', (b) => core.unfold(b, 2)],
    ['unfold', (b) => core.unfold(image(), b)],
    ['unfold', (b) => core.unfold(image(), 2, b)],
    ...['stride', 'padding', 'dilation'].map((k): Case => ['unfold', (b) => core.unfold(image(), 2, o(k)(b))]),
    ['fold', (b) => core.fold(b, 3, 2)],
    ['fold', (b) => core.fold(core.zeros([1, 8, 4]), b, 2)],
    ['fold', (b) => core.fold(core.zeros([1, 8, 4]), 3, b)],
    ['fold', (b) => core.fold(core.zeros([1, 8, 4]), 3, 2, b)],
    ...['stride', 'padding', 'dilation'].map(
      (k): Case => ['fold', (b) => core.fold(core.zeros([1, 8, 4]), 3, 2, o(k)(b))],
    ),
    ...(['conv1d', 'conv2d', 'conv3d'] as const).flatMap((name, i): Case[] => {
      const x = () => core.zeros([1, 2, ...new Array<number>(i + 1).fill(4)]);
      const w = () => core.zeros([2, 2, ...new Array<number>(i + 1).fill(2)]);
      const f = core[name];
      return [
        [name, (b) => f(b, w())],
        [name, (b) => f(x(), b)],
        [name, (b) => f(x(), w(), b)],
        [name, (b) => f(x(), w(), null, b)],
        ...['stride', 'padding', 'dilation', 'groups'].map((k): Case => [name, (b) => f(x(), w(), null, o(k)(b))]),
      ];
    }),
    ...(['convTranspose1d', 'convTranspose2d', 'convTranspose3d'] as const).flatMap((name, i): Case[] => {
      const x = () => core.zeros([1, 2, ...new Array<number>(i + 1).fill(3)]);
      const w = () => core.zeros([2, 2, ...new Array<number>(i + 1).fill(2)]);
      const f = core[name];
      return [
        [name, (b) => f(b, w())],
        [name, (b) => f(x(), b)],
        [name, (b) => f(x(), w(), b)],
        [name, (b) => f(x(), w(), null, b)],
        ...['stride', 'padding', 'outputPadding', 'dilation', 'groups'].map(
          (k): Case => [name, (b) => f(x(), w(), null, o(k)(b))],
        ),
      ];
    }),
    ...(
      [
        ['maxPool1d', 1, ['stride', 'padding', 'dilation', 'ceilMode']],
        ['maxPool2d', 2, ['stride', 'padding', 'dilation', 'ceilMode']],
        ['maxPool3d', 3, ['stride', 'padding', 'dilation', 'ceilMode']],
        ['maxPool1dWithIndices', 1, ['stride', 'padding', 'dilation', 'ceilMode']],
        ['maxPool2dWithIndices', 2, ['stride', 'padding', 'dilation', 'ceilMode']],
        ['maxPool3dWithIndices', 3, ['stride', 'padding', 'dilation', 'ceilMode']],
        ['avgPool1d', 1, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']],
        ['avgPool2d', 2, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']],
        ['avgPool3d', 3, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']],
      ] as const
    ).flatMap(([name, dims, keys]): Case[] => {
      const x = () => core.zeros([1, 2, ...new Array<number>(dims).fill(4)]);
      const f = core[name] as (...args: unknown[]) => unknown;
      return [
        [name, (b) => f(b, 2)],
        [name, (b) => f(x(), b)],
        [name, (b) => f(x(), 2, b)],
        ...keys.map((k): Case => [name, (b) => f(x(), 2, o(k)(b))]),
      ];
    }),
    ...(
      [
        ['adaptiveAvgPool1d', 1],
        ['adaptiveAvgPool2d', 2],
        ['adaptiveAvgPool3d', 3],
        ['adaptiveMaxPool1d', 1],
        ['adaptiveMaxPool2d', 2],
      ] as const
    ).flatMap(([name, dims]): Case[] => {
      const x = () => core.zeros([1, 2, ...new Array<number>(dims).fill(4)]);
      const f = core[name] as (...args: unknown[]) => unknown;
      return [
        [name, (b) => f(b, 2)],
        [name, (b) => f(x(), b)],
      ];
    }),
    ...(
      [
        ['maxUnpool1d', 1],
        ['maxUnpool2d', 2],
      ] as const
    ).flatMap(([name, dims]): Case[] => {
      const shape = [1, 2, ...new Array<number>(dims).fill(2)];
      const x = () => core.zeros(shape);
      const i = () => core.tensor(new Int32Array(2 ** (dims + 1)), { shape });
      const f = core[name] as (...args: unknown[]) => unknown;
      return [
        [name, (b) => f(b, i(), 2)],
        [name, (b) => f(x(), b, 2)],
        [name, (b) => f(x(), i(), b)],
        [name, (b) => f(x(), i(), 2, b)],
        ...['stride', 'padding', 'outputSize'].map((k): Case => [name, (b) => f(x(), i(), 2, o(k)(b))]),
      ];
    }),
    ['pad', (b) => core.pad(b, [1, 1])],
    ['pad', (b) => core.pad(image(), b)],
    ['pad', (b) => core.pad(image(), [1, 1], b)],
    ['pad', (b) => core.pad(image(), [1, 1], o('mode')(b))],
    ['pad', (b) => core.pad(image(), [1, 1], o('value')(b))],
    ['interpolate', (b) => core.interpolate(b, { size: 3 })],
    ['interpolate', (b) => core.interpolate(image(), b)],
    ...['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor'].map(
      (k): Case => ['interpolate', (b) => core.interpolate(image(), { mode: 'bilinear', ...o(k)(b) })],
    ),
  ];
}

/** What the call threw (undefined when it did not throw). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

const describeBad = (b: unknown) => (Array.isArray(b) ? 'an array' : b === null ? 'null' : typeof b);

describe('wrong argument types from untyped callers', () => {
  it.each(cases.map(([name, f], i) => [`${name} #${i}`, name, f] as const))('%s', (_title, name, f) => {
    for (const b of bad) {
      const error = thrown(() => f(b as never));
      // Some calls accept some of these (undefined for an optional argument, an
      // array of numbers where an array is wanted): what must never happen is a
      // raw TypeError or an error that does not say which function refused.
      if (error === undefined) continue;
      expect(error, `${name} given ${describeBad(b)}`).toBeInstanceOf(ChainruleError);
      expect(
        (error as Error).message.startsWith(`${name}: `),
        `${name} given ${describeBad(b)}: ${(error as Error).message}`,
      ).toBe(true);
    }
  });

  it('each case rejects at least one of the bad values (the table tests something)', () => {
    const silent = cases
      .filter(([, f]) => bad.every((b) => thrown(() => f(b as never)) === undefined))
      .map(([name]) => name);
    expect(silent).toEqual([]);
  });

  it('Tensor methods name the op too', () => {
    const t = m();
    expect(thrown(() => t.add('x' as never))).toBeInstanceOf(ChainruleError);
    expect((thrown(() => t.matmul([1] as never)) as Error).message).toMatch(
      /^matmul: .*got an array \(wrap it with tensor\(\.\.\.\)\)/,
    );
    expect((thrown(() => t.gather(0, 'x' as never)) as Error).message).toMatch(/^gather: /);
    expect((thrown(() => t.reshape('4' as never)) as Error).message).toMatch(/^reshape: /);
    expect((thrown(() => t.sum(0, 'yes' as never)) as Error).message).toBe('sum: keepDims must be a boolean, got yes');
  });
});
