package org.cleft.djl.train;

import org.cleft.api.CleftModel;
import org.cleft.api.ContrastiveTrainer;
import org.cleft.api.PromptLearner;
import org.cleft.djl.DjlBackendProvider;
import org.cleft.testkit.contract.TrainingContract;

/** The training contract on DJL / libtorch, with the trainers' live model and context. */
class DjlTrainingContractTest extends TrainingContract {
  @Override
  protected String backendName() {
    return DjlBackendProvider.NAME;
  }

  @Override
  protected CleftModel liveModel(ContrastiveTrainer trainer) {
    return ((DjlContrastiveTrainer) trainer).model();
  }

  @Override
  protected float[] context(PromptLearner learner) {
    return ((DjlPromptLearner) learner).context();
  }
}
