/**
 * The ONNX Runtime backend: runs exported CLEFT towers for inference on CPU or CUDA. An application depends on
 * {@code cleft-onnx} and loads through {@code org.cleft.api.Backends}; it needs a checkpoint with an {@code onnx/}
 * folder ({@link org.cleft.onnx.export}):
 *
 * <pre>{@code
 * try (CleftModel model = Backends.load(checkpoint)) {       // onnx, when it is the backend on the class path
 *   Classification c = model.classify(List.of(Path.of("a.dcm"), Path.of("b.png")));
 * }
 * }</pre>
 *
 * {@link org.cleft.onnx.OnnxBackend} takes the thread and device options (docs/backends.md).
 */
package org.cleft.onnx;
