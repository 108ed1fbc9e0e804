/**
 * @chainrule/onnx: chainrule models and functions as ONNX models, to run on
 * ONNX Runtime (CPU, GPU, browsers, phones) or any engine that reads ONNX.
 *
 * @module @chainrule/onnx
 */
export { exportOnnx, type ExportOptions, type Exportable } from './export';
export { OnnxExportError } from './errors';
export { onnxMappings, type OpMapping, type MapContext } from './ops';
// Importing ONNX models (issue 23, the import side): import.ts, import-ops.ts, decode.ts.
export { importOnnx, importOnnxOperators, type ImportOptions, type ImportedOnnx, type ParameterRecord } from './import';
export { OnnxImportError } from './import-error';
// Training steps (issue 23): a whole step as one ONNX graph, and the loop that runs it in ONNX Runtime.
export {
  exportTrainingStep,
  trainingStepLayout,
  type StepLoss,
  type TrainingBatch,
  type TrainingStepLayout,
  type TrainingStepOptions,
} from './train-step';
export {
  trainWithOnnxRuntime,
  type OnnxTrainingOptions,
  type OrtSessionLike,
  type OrtTensorConstructor,
  type OrtTensorLike,
} from './train-runtime';
