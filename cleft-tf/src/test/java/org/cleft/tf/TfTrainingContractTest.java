package org.cleft.tf;

import org.cleft.api.PromptLearner;
import org.cleft.testkit.contract.TrainingContract;

/** The training contract on TensorFlow Java, with the prompt learner's context. */
class TfTrainingContractTest extends TrainingContract {
  @Override
  protected String backendName() {
    return TfBackendProvider.NAME;
  }

  @Override
  protected float[] context(PromptLearner learner) {
    return ((TfPromptLearner) learner).context();
  }
}
