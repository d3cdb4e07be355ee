package org.cleft.onnx;

import java.util.Map;
import org.cleft.api.CleftModel;
import org.cleft.api.Device;
import org.cleft.api.Precision;
import org.cleft.api.spi.BackendOptions;
import org.cleft.testkit.contract.InferenceContract;

/** The inference contract on ONNX Runtime (the values of calls not yet closed are its native objects). */
class OnnxInferenceContractTest extends InferenceContract {
  @Override
  protected String backendName() {
    return OnnxBackendProvider.NAME;
  }

  /** One thread per operator: the tiny graphs gain nothing from more, and pool threads compete with the build. */
  @Override
  protected BackendOptions options() {
    return new BackendOptions(Device.cpu(), Precision.FP32, Map.of(OnnxBackend.INTRA_OP_THREADS, "1"));
  }

  /** ONNX Runtime runs the exported graphs; the towers' safetensors are the exporter's input (its own tests). */
  @Override
  protected boolean readsTowerWeights() {
    return false;
  }

  @Override
  protected long nativeObjects(CleftModel model) {
    return ((OnnxCleftModel) model).liveNativeValues();
  }
}
