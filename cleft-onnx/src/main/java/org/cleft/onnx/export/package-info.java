/**
 * Export of a CLEFT checkpoint's towers to ONNX graphs, written in pure Java: {@link
 * org.cleft.onnx.export.OnnxExporter} reads a checkpoint with cleft-api's safetensors reader and builds
 * the graphs with tribuo-util-onnx's ONNX protobuf classes and graph helpers (see docs/export.md).
 *
 * <pre>{@code
 * ExportResult exported = OnnxExporter.builder().build()          // the checkpoint's image size, opset 17
 *     .export(checkpoint, checkpoint.resolve(OnnxCleftModel.ONNX_FOLDER));
 * try (CleftModel model = Backends.load(checkpoint, "onnx", BackendOptions.defaults())) {
 *   model.classify(Path.of("xray.dcm"));                          // the numbers djl gives, within 1e-4
 * }
 * }</pre>
 *
 * {@code cleft export --checkpoint DIR} does the same and checks the graphs against the source backend.
 */
package org.cleft.onnx.export;
