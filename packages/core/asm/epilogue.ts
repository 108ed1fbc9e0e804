// The activations gemm can apply to a tile as it stores it (the fused
// linear(x, W, b, { activation }) of src/ops/linear.ts). Each is applied by
// the standalone op's own SIMD kernel, in place on the tile's rows while they
// are in L1, so a fused result is the unfused op's to the bit (and the
// kernels' code is not repeated). The codes are src/kernels/epilogue.ts's.
import { sigmoidf32 } from './elementwise';
import { geluf32, geluTanhf32, tanhf32 } from './activations';

export const ACT_NONE: i32 = 0;
export const ACT_RELU: i32 = 1;
export const ACT_SIGMOID: i32 = 2;
export const ACT_TANH: i32 = 3;
export const ACT_GELU: i32 = 4;
export const ACT_GELU_TANH: i32 = 5;

// relu as the JavaScript kernel writes it: x where x > 0, NaN kept, else +0.
@inline
function reluv(x: v128): v128 {
  return v128.bitselect(x, f32x4.splat(0), v128.or(f32x4.gt(x, f32x4.splat(0)), f32x4.ne(x, x)));
}

function reluInPlace(p: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(p + (<usize>i << 2), reluv(v128.load(p + (<usize>i << 2))));
  for (; i < n; i++) store<f32>(p + (<usize>i << 2), f32x4.extract_lane(reluv(f32x4.splat(load<f32>(p + (<usize>i << 2)))), 0));
}

/** Applies activation `act` (one of the codes above) to the n floats at p, in place. */
export function activateInPlace(p: usize, n: i32, act: i32): void {
  switch (act) {
    case ACT_RELU:
      reluInPlace(p, n);
      break;
    case ACT_SIGMOID:
      sigmoidf32(p, p, n);
      break;
    case ACT_TANH:
      tanhf32(p, p, n);
      break;
    case ACT_GELU:
      geluf32(p, p, n);
      break;
    case ACT_GELU_TANH:
      geluTanhf32(p, p, n);
      break;
    default:
      break;
  }
}
