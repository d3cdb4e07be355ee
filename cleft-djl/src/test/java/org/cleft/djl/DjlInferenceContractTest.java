package org.cleft.djl;

import org.cleft.api.CleftModel;
import org.cleft.testkit.contract.InferenceContract;

/** The inference contract on DJL / libtorch (the arrays its model's manager holds are its native objects). */
class DjlInferenceContractTest extends InferenceContract {
  @Override
  protected String backendName() {
    return DjlBackendProvider.NAME;
  }

  @Override
  protected long nativeObjects(CleftModel model) {
    return ((DjlCleftModel) model).liveArrays();
  }
}
