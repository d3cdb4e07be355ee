/**
 * Export of a CLEFT checkpoint's towers to ONNX graphs, written in pure Java: {@link
 * org.cleft.onnx.export.OnnxExporter} reads a checkpoint with cleft-api's safetensors reader and builds
 * the graphs with tribuo-util-onnx's ONNX protobuf classes and graph helpers (see docs/export.md).
 */
package org.cleft.onnx.export;
