/**
 * The activations a matrix product can apply as it writes its result (the
 * fused `linear(x, W, b, { activation })`). The float32 WebAssembly product
 * applies them inside its tiles (asm/epilogue.ts); every other path applies
 * them right after, in place, through exactly the kernel the standalone op
 * would use (`contiguousUnary`, else the row kernel). The WebAssembly tiles
 * are used only where the standalone op would take its SIMD twin too (at
 * least `simdFrom` elements), so a fused result equals the unfused one to
 * the bit on every path.
 */
import type { FloatArr } from './arrays';
import { gelu as geluRow, geluTanh as geluTanhRow } from './activations';
import { contiguousUnary, simdFrom } from './simd-unary';
import { relu as reluRow, sigmoid as sigmoidRow, tanh as tanhRow, type UnaryRow } from './unary';

/** The activations a product's epilogue applies: relu, σ, tanh, exact gelu and gelu's tanh form. */
export type FusedActivation = 'relu' | 'sigmoid' | 'tanh' | 'gelu' | 'geluTanh';

/** Each activation's code in the WebAssembly module (asm/epilogue.ts) and its row kernel. */
const activations: Record<FusedActivation, { code: number; row: UnaryRow }> = {
  relu: { code: 1, row: reluRow },
  sigmoid: { code: 2, row: sigmoidRow },
  tanh: { code: 3, row: tanhRow },
  gelu: { code: 4, row: geluRow },
  geluTanh: { code: 5, row: geluTanhRow },
};

/** The names {@link FusedActivation} takes, for argument checks. */
export const fusedActivations = Object.keys(activations) as readonly FusedActivation[];

/** What a product does as it writes C: apply `activation`, first copying the values before it into `pre` (when given). */
export interface Epilogue {
  readonly activation: FusedActivation;
  /** Receives C before the activation, from index 0 (gelu's backward reads it); null when not needed. */
  readonly pre: FloatArr | null;
}

/** The module's code of an epilogue's activation (0: none). */
export function activationCode(epilogue: Epilogue | null): number {
  return epilogue === null ? 0 : activations[epilogue.activation].code;
}

/** Whether the WebAssembly tiles may apply `epilogue` to a product of `size` elements and depth k (see the file comment). */
export function tilesMayApply(epilogue: Epilogue | null, size: number, k: number): boolean {
  return epilogue === null || (size >= simdFrom && k > 0);
}

/** Applies `epilogue` to the `size` elements of c from `cOffset`, in place, as the standalone op would. */
export function applyEpilogue(epilogue: Epilogue, c: FloatArr, cOffset: number, size: number): void {
  epilogue.pre?.set(c.subarray(cOffset, cOffset + size));
  const { row } = activations[epilogue.activation];
  if (cOffset === 0 && contiguousUnary(row, c, 0, c, size)) return;
  row(c, cOffset, 1, c, cOffset, size, 0, 0);
}
