import { ChainruleError } from '@chainrule/core';

/**
 * An op of the traced function that the exporter cannot write as ONNX
 * operators (no mapping, or a form of it ONNX has no operator for). `op` is
 * the chainrule op's name; the message says where it was called.
 */
export class OnnxExportError extends ChainruleError {}
