package org.cleft.tf;

import org.cleft.api.CleftModel;
import org.cleft.testkit.contract.InferenceContract;

/** The inference contract on TensorFlow Java (its weight tensors and open calls are its native objects). */
class TfInferenceContractTest extends InferenceContract {
  @Override
  protected String backendName() {
    return TfBackendProvider.NAME;
  }

  @Override
  protected long nativeObjects(CleftModel model) {
    return ((TfCleftModel) model).nativeObjects();
  }
}
