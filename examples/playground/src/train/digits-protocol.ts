/** The messages between view 6 (Digits) and its worker. */

/** What the page asks of the digits worker. */
export type ToDigitsWorker =
  /** A model.safetensors written by `pnpm demo`, as bytes (transferred). */
  | { type: 'load'; bytes: ArrayBuffer; name: string }
  /** Train a network here, as the demo would, with a progress bar (see digits-train.ts). */
  | { type: 'train' }
  /** A preprocessed 28 × 28 digit (784 values in [0, 1]); `id` comes back with the answer. */
  | { type: 'classify'; pixels: Float32Array; id: number };

/** What the digits worker tells the page. */
export type FromDigitsWorker =
  /** How far loading has come (fraction in [0, 1]) and what it is doing. */
  | { type: 'loading'; fraction: number; stage: string }
  | { type: 'loaded'; name: string; description: string }
  /** Ten shares of one, for the digits 0 to 9. */
  | { type: 'probabilities'; id: number; probabilities: Float32Array }
  | { type: 'error'; message: string };
