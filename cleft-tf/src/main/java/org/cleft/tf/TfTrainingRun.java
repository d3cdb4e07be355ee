package org.cleft.tf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.train.AdamW;
import org.cleft.api.train.HostTensor;
import org.cleft.api.train.HostUpdates;
import org.cleft.model.CleftTowers;
import org.cleft.model.VisionFamily;
import org.cleft.model.peft.AdapterHook;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The fixture's training tensors on TensorFlow: one contrastive step (LoRA text tower, the vision tower less what
 * CLEFT does not use, both projections and {@code logit_scale} trainable), its gradients through
 * {@code Graph.addGradients}, the engine-neutral AdamW on the host, and the loss after it; then IA3's text embeddings
 * and context prompt tuning's forward pass and gradient on the updated model (the reference's order).
 */
final class TfTrainingRun {
  private final TfGraph g;
  private final Ops tf;
  private final Map<String, Operand<?>> trainable = new LinkedHashMap<>();
  private final List<Output<?>> gradients = new ArrayList<>();
  private Operand<?> loss;
  private Operand<?> logits;
  private Operand<?> ia3Embeds;
  private PromptNodes prompt;

  /** The prompt-tuning part of the graph. */
  /** Prompt tuning on the model as loaded (the LLaMA fixtures), not as updated by the training step. */
  private boolean promptOnLoaded;

  private record PromptNodes(Operand<TFloat32> ctx, Operand<?> classEmbeds, Operand<?> imageEmbeds, Operand<?> scores,
      Operand<?> loss, Output<?> grad, float[] init) {}

  TfTrainingRun(TfGraph g) {
    this.g = g;
    this.tf = g.tf();
  }

  /** Adds the contrastive step's loss and gradients (before the session starts). */
  void contrastive(CleftTowers<Operand<?>> towers, TfOps ops, VisionFamily vf, AdapterHook<Operand<?>> lora,
      Operand<?> imageEmbeds, Operand<?> ids, Operand<?> mask, int batch) {
    Operand<?> text = towers.text().encode(ops, ids, mask, lora).embeds();
    logits = towers.logits(ops, imageEmbeds, text);
    loss = TfLosses.contrastive(tf, logits);
    lora.parameters().forEach((k, v) -> trainable.put("text." + k, v));
    g.named().forEach((k, v) -> {
      if (k.startsWith(TfCleftModel.VISION) && !vf.isUnused(k.substring(TfCleftModel.VISION.length()))) {
        trainable.put(k, v);
      }
    });
    for (String head : List.of("image_projection.weight", "image_projection.bias", "text_projection.weight",
        "text_projection.bias", "logit_scale")) {
      if (g.named().containsKey(head)) {
        trainable.put(head, g.named().get(head));
      }
    }
    Output<?>[] xs = trainable.values().stream().map(Operand::asOutput).toArray(Output[]::new);
    gradients.addAll(List.of(g.graph().addGradients(TfOps.f(loss).asOutput(), xs)));
  }

  /** Adds IA3's text embeddings (the text projection is fed its updated values when run). */
  void ia3(CleftTowers<Operand<?>> towers, TfOps ops, AdapterHook<Operand<?>> ia3, Operand<?> ids, Operand<?> mask) {
    ia3Embeds = towers.text().encode(ops, ids, mask, ia3).embeds();
  }

  /** Adds prompt tuning's forward pass and the gradient of its loss with respect to the context. */
  void prompt(CleftTowers<Operand<?>> towers, TfOps ops, Operand<?> imageEmbeds, long[] initIds, int nCtx,
      SafetensorsFile inputs, float[] wte, int width, int front, boolean onLoaded) throws SafetensorsException {
    this.promptOnLoaded = onLoaded;
    float[] init = new float[nCtx * width];
    for (int i = 0; i < nCtx; i++) {
      System.arraycopy(wte, (int) initIds[i % initIds.length] * width, init, i * width, width);
    }
    long[] s = inputs.info("prompt_input_ids").shape();
    Operand<TInt64> classIds = tf.constant(Shape.of(s), DataBuffers.of(inputs.longs("prompt_input_ids"), true, false));
    Operand<TInt64> classMask = tf.constant(Shape.of(s),
        DataBuffers.of(inputs.longs("prompt_attention_mask"), true, false));
    long[] ls = inputs.info("labels").shape();
    Operand<TFloat32> labels = tf.constant(Shape.of(ls), DataBuffers.of(inputs.floats("labels"), true, false));
    Operand<TFloat32> ctx = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(nCtx, width)));
    int classes = (int) s[0];
    Operand<?> prefix = ops.expandBatch(ops.reshape(ctx, 1, nCtx, width), classIds);
    Operand<?> tokenEmbeds = towers.text().tower().embed(ops, classIds);
    // the context after the tokenizer's leading special tokens (LLaMA's BOS), as the prompt learners put it
    Operand<?> embeds = ops.concat(1, front == 0 ? List.of(prefix, tokenEmbeds) : List.of(
        ops.slice(tokenEmbeds, 1, 0, front), prefix, ops.slice(tokenEmbeds, 1, front, s[1])));
    long[] ones = new long[classes * nCtx];
    Arrays.fill(ones, 1L);
    Operand<TInt64> fullMask = tf.concat(List.of(tf.constant(Shape.of(classes, nCtx), DataBuffers.of(ones, true,
        false)), classMask), tf.constant(1));
    Operand<?> classEmbeds = towers.text().encodeEmbedded(ops, embeds, fullMask, AdapterHook.none()).embeds();
    Operand<?> scores = towers.logits(ops, imageEmbeds, classEmbeds);
    Operand<TFloat32> x = TfOps.f(scores);
    // binary_cross_entropy_with_logits, mean: max(x, 0) - x y + log(1 + exp(-|x|))
    Operand<TFloat32> bce = tf.math.add(tf.math.sub(tf.math.maximum(x, tf.constant(0f)), tf.math.mul(x, labels)),
        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(x)))));
    Operand<TFloat32> promptLoss = tf.math.mean(bce, tf.constant(new int[] {0, 1}));
    Output<?> grad = g.graph().addGradients(promptLoss.asOutput(), new Output<?>[] {ctx.asOutput()})[0];
    prompt = new PromptNodes(ctx, classEmbeds, imageEmbeds, scores, promptLoss, grad, init);
  }

  /** Runs the step, the AdamW update and what follows it, putting the fixture's tensors into {@code out}. */
  void run(Map<String, Tensor> out, double lr, double weightDecay) {
    Map<String, HostTensor> params = new LinkedHashMap<>();
    trainable.forEach((k, p) -> params.put(k, host(k, g.weights().get(p))));
    List<Operand<?>> fetch = new ArrayList<>(List.of(loss, logits));
    gradients.forEach(fetch::add);
    try (Result r = g.run(Map.of(), fetch)) {
      out.put("train.loss", TfFixtureRun.tensor((TFloat32) r.get(0), new long[] {1}));
      out.put("train.logits_per_image", TfFixtureRun.tensor((TFloat32) r.get(1), null));
      int i = 2;
      for (Map.Entry<String, HostTensor> e : params.entrySet()) {
        Tensor grad = TfFixtureRun.tensor((TFloat32) r.get(i++), scalarIfScale(e.getKey(), e.getValue().shape()));
        e.getValue().accumulate(1, grad.toFloats());
        out.put("train.grad." + e.getKey(), grad);
      }
    }
    new AdamW<>(new HostUpdates(), 0.9, 0.999, 1e-8, weightDecay).step(params, lr);
    params.forEach((k, v) -> out.put("train.after_step." + k, Tensor.ofFloats(scalarIfScale(k, v.shape()),
        v.values().clone())));
    Map<Operand<?>, org.tensorflow.Tensor> updated = new LinkedHashMap<>();
    try {
      params.forEach((k, v) -> updated.put(trainable.get(k), TFloat32.tensorOf(Shape.of(v.shape()),
          DataBuffers.of(v.values(), true, false))));
      try (Result r = g.run(updated, List.of(loss))) {
        out.put("train.loss_after_step", TfFixtureRun.tensor((TFloat32) r.get(0), new long[] {1}));
      }
      if (ia3Embeds != null) {
        try (Result r = g.run(updated, List.of(ia3Embeds))) {
          out.put("ia3.text_embeds", TfFixtureRun.tensor((TFloat32) r.get(0), null));
        }
      }
      if (prompt != null) {
        Map<Operand<?>, org.tensorflow.Tensor> feeds = promptOnLoaded ? new LinkedHashMap<>() : updated;
        long width = prompt.init().length / prompt.ctx().shape().get(0);
        try (TFloat32 ctx = TFloat32.tensorOf(Shape.of(prompt.init().length / width, width),
            DataBuffers.of(prompt.init(), true, false))) {
          feeds.put(prompt.ctx(), ctx);
          out.put("prompt.init_ctx", Tensor.ofFloats(new long[] {prompt.init().length / width, width},
              prompt.init().clone()));
          try (Result r = g.run(feeds, List.of(prompt.classEmbeds(), prompt.imageEmbeds(), prompt.scores(),
              prompt.loss(), prompt.grad()))) {
            out.put("prompt.class_embeds", TfFixtureRun.tensor((TFloat32) r.get(0), null));
            out.put("prompt.image_embeds", TfFixtureRun.tensor((TFloat32) r.get(1), null));
            out.put("prompt.scores", TfFixtureRun.tensor((TFloat32) r.get(2), null));
            out.put("prompt.loss", TfFixtureRun.tensor((TFloat32) r.get(3), new long[] {1}));
            out.put("prompt.grad_ctx", TfFixtureRun.tensor((TFloat32) r.get(4), null));
          }
          feeds.remove(prompt.ctx());
        }
      }
    } finally {
      updated.values().forEach(org.tensorflow.Tensor::close);
    }
  }

  private static HostTensor host(String name, TFloat32 t) {
    float[] v = new float[(int) t.size()];
    t.copyTo(DataBuffers.of(v, false, false));
    return new HostTensor(name, t.shape().asArray(), v);
  }

  /** HF keeps {@code logit_scale} as a 0-d parameter; heads.safetensors stores it as [1]. */
  private static long[] scalarIfScale(String name, long[] shape) {
    return name.equals("logit_scale") ? new long[0] : shape;
  }
}
