/** The array types kernels read and write (mirrors tensor/dtype.ts without importing it). */
export type NumArray = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array;
export type FloatArr = Float32Array | Float64Array;
