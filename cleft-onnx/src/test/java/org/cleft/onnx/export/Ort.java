package org.cleft.onnx.export;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.SafetensorsFile;

/** Runs an exported encoder with ONNX Runtime on the CPU and returns its {@code embeds} output. */
final class Ort {
  private Ort() {}

  /** {@code image_encoder.onnx} on {@code pixels} [B, C, H, W]. */
  static float[][] image(Path model, float[] pixels, long[] shape) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(pixels), shape)) {
      return run(model, Map.of("pixel_values", x));
    }
  }

  /** {@code text_encoder.onnx} on token ids and mask [B, S]. */
  static float[][] text(Path model, long[] ids, long[] mask, long[] shape) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape)) {
      Map<String, OnnxTensor> in = new LinkedHashMap<>();
      in.put("input_ids", i);
      in.put("attention_mask", m);
      return run(model, in);
    }
  }

  /** The image encoder on the fixture's {@code pixel_values}. */
  static float[][] image(Path model, SafetensorsFile inputs) throws Exception {
    return image(model, inputs.floats("pixel_values"), inputs.info("pixel_values").shape());
  }

  /** The text encoder on the fixture's {@code <prefix>input_ids} and {@code <prefix>attention_mask}. */
  static float[][] text(Path model, SafetensorsFile inputs, String prefix) throws Exception {
    return text(model, inputs.longs(prefix + "input_ids"), inputs.longs(prefix + "attention_mask"),
        inputs.info(prefix + "input_ids").shape());
  }

  private static float[][] run(Path model, Map<String, OnnxTensor> inputs) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model.toString(), options);
        OrtSession.Result result = session.run(inputs)) {
      return (float[][]) result.get("embeds").orElseThrow().getValue();
    }
  }
}
