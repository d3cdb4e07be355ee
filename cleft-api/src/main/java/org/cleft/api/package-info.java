/**
 * The engine-neutral CLEFT API: load a checkpoint, classify and embed images, train. The same code runs on every
 * backend; the application picks engines by dependency ({@code cleft-onnx} to deploy, {@code cleft-djl} to train as
 * well, {@code cleft-tf} for TensorFlow Java) and {@link org.cleft.api.Backends} finds them through {@link
 * java.util.ServiceLoader}.
 *
 * <h2>Inference: a file in, the classes' probabilities out</h2>
 *
 * <pre>{@code
 * try (CleftModel model = Backends.load(Path.of("checkpoint"))) {
 *   Classification result = model.classify(List.of(Path.of("a.dcm"), Path.of("b.png")),
 *       List.of("Atelectasis", "Cardiomegaly", "Pleural Effusion"));
 *   for (int i = 0; i < 2; i++) {
 *     System.out.println(result.predictedNames().get(i) + " " + result.probabilitiesOf(i));
 *   }
 * }
 * }</pre>
 *
 * The model decodes each file by its bytes (DICOM, PNG, JPEG, TIFF), preprocesses it as it was trained and scores
 * it against captions built the way its training reports were written; {@link org.cleft.api.CleftModel} says how
 * class names are matched, and which classes {@link org.cleft.api.CleftModel#classify(java.nio.file.Path)} uses
 * without names (the learned prompts'). {@link org.cleft.api.ImageReadException} names a file that is not an
 * image. {@link org.cleft.api.CleftModel#embedImages(java.util.List)} gives the embeddings, for retrieval or a
 * linear probe.
 *
 * <h2>Lower level: your own batches</h2>
 *
 * <pre>{@code
 * try (Backend backend = Backends.open(Capability.INFERENCE);
 *     CleftModel model = backend.load(checkpoint);
 *     ZeroShotClassifier classifier = model.zeroShot(List.of("edema", "pneumothorax"))) {
 *   ImageBatch batch = model.preprocess(files);            // or cleft-data's ImagePipeline.evaluation(size)
 *   Classification c = classifier.classify(batch);        // captions encoded once, when the classifier was made
 *   Embeddings texts = model.textEncoder().encodeTexts(List.of("no acute cardiopulmonary process"));
 * }
 * }</pre>
 *
 * <h2>Training (a backend with {@link org.cleft.api.Capability#TRAINING}: cleft-djl, cleft-tf)</h2>
 *
 * <pre>{@code
 * try (Backend backend = Backends.open(Capability.TRAINING);
 *     BatchLoader loader = BatchLoader.builder(samples, ImagePipeline.training(imageSize))
 *         .optBatchSize(32).optTokenizer(tokenizer).optMaxTokens(128).build();
 *     ContrastiveTrainer trainer = backend.contrastiveTrainer(base,
 *         TrainingConfig.builder().setOutputDir(out).optSteps(4000).build(), false)) {
 *   TrainingReport report = trainer.train(new LoaderBatchSource(loader), null, TrainingListener.none());
 *   Path stage1 = report.checkpoint();      // then backend.promptLearner(stage1, TrainingConfig.promptDefaults()...)
 * }
 * }</pre>
 *
 * {@link org.cleft.api.ContrastiveTrainer} is the first CLEFT stage (image-report pairs, LoRA on the text tower),
 * {@link org.cleft.api.PromptLearner} the second (learned context prompts on frozen towers); {@code BatchLoader},
 * {@code ImagePipeline} and the tokenizers are in {@code cleft-data}.
 *
 * <h2>Export, to deploy on ONNX Runtime</h2>
 *
 * {@code OnnxExporter.builder().build().export(checkpoint, checkpoint.resolve("onnx"))} ({@code cleft-onnx},
 * {@code org.cleft.onnx.export}) writes both towers as ONNX graphs beside the weights; with {@code cleft-onnx} on
 * the class path instead of {@code cleft-djl}, the inference code above gives the same numbers.
 *
 * <p>The value types that cross between modules are {@link org.cleft.api.ImageBatch}, {@link
 * org.cleft.api.TokenBatch} and {@link org.cleft.api.Embeddings}; how a backend is chosen and written is in {@link
 * org.cleft.api.spi}.
 */
package org.cleft.api;
