// The entry of chainrule's WebAssembly SIMD kernels, compiled by
// scripts/build-wasm.mjs into src/kernels/wasm-binary.ts: every export of the
// module, one file per kernel family. AssemblyScript, not TypeScript.
export { gemm, heapStart } from './gemm';
export { addScaledf32, expf32, sigmoidf32 } from './elementwise';
export { packf32 } from './pack';
export { adamf32 } from './adam';
export { erff32 } from './special';
// The activation functions' float32 kernels (silu, tanh-gelu, exact gelu).
export { siluf32, geluTanhf32, geluf32, tanhf32 } from './activations';
// The convolutions and their gradients, one sample per task (issue 16).
export { convTask } from './conv';
// The float64 product and its packing (issue 20).
export { gemmf64, packf64 } from './gemm64';
