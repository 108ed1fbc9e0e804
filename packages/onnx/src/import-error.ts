import { ChainruleError } from '@chainrule/core';

/**
 * An ONNX model that {@link importOnnx} refuses: bytes that do not decode as
 * a ModelProto, a graph that breaks the format's rules (a cycle, a value used
 * before or without a definition, a missing initializer), a declared tensor
 * size that the bytes do not hold, a data type or operator chainrule has no
 * equivalent of (every such operator of the model listed at once), or a call
 * of the imported function with inputs the graph does not accept. The
 * message starts with `importOnnx` and names the node, value or tensor.
 */
export class OnnxImportError extends ChainruleError {}
