package org.cleft.djl.verify;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.SafetensorsFile;
import org.cleft.api.safetensors.Tensor;
import org.cleft.api.train.AdamW;
import org.cleft.djl.CleftNetwork;
import org.cleft.djl.train.DjlPromptLearner;
import org.cleft.djl.train.DjlTrainingEngine;
import org.cleft.model.peft.AdapterHook;

/**
 * The fixture's training tensors: one contrastive step (LoRA text tower, whole vision tower, heads
 * and {@code logit_scale} trainable) with its gradients and an AdamW step, then context prompt
 * tuning's forward pass and gradient on the updated vision tower and heads.
 */
final class TrainingRun {
  private TrainingRun() {}

  /** Parameter names of the contrastive step, as the fixture names them. */
  static Map<String, NDArray> trainable(CleftNetwork net, AdapterHook<NDArray> lora) {
    Map<String, NDArray> p = new LinkedHashMap<>();
    lora.parameters().forEach((k, v) -> p.put("text." + k, v));
    net.visionParameters().forEach((k, v) -> {
      // mask_token is used only with bool_masked_pos, and the final layernorm is off the CLEFT path (features
      // are pooled before it): neither gets a gradient in HF, so AdamW leaves them alone
      if (!net.visionFamily().isUnused(k)) {
        p.put("vision." + k, v);
      }
    });
    net.headParameters().forEach(p::put);
    return p;
  }

  static void contrastiveStep(CleftNetwork net, AdapterHook<NDArray> lora, NDArray pixels, NDArray ids, NDArray mask,
      Map<String, Tensor> out, double lr, double weightDecay) {
    Map<String, NDArray> params = trainable(net, lora);
    params.values().forEach(a -> a.setRequiresGradient(true));
    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray img = net.encodeImages(pixels).embeds();
      NDArray txt = net.encodeTexts(ids, mask, lora).embeds();
      NDArray logits = net.logits(img, txt);
      NDArray loss = CleftNetwork.contrastiveLoss(logits);
      gc.backward(loss);
      FixtureRun.put(out, "train.loss", loss.reshape(1));
      FixtureRun.put(out, "train.logits_per_image", logits);
    }
    params.forEach((k, v) -> FixtureRun.put(out, "train.grad." + k, scalarIfScale(k, v.getGradient())));
    new AdamW<>(DjlTrainingEngine.INSTANCE, 0.9, 0.999, 1e-8, weightDecay).step(params, lr);
    params.forEach((k, v) -> FixtureRun.put(out, "train.after_step." + k, scalarIfScale(k, v)));
    params.values().forEach(a -> a.setRequiresGradient(false));
    NDArray img = net.encodeImages(pixels).embeds();
    NDArray txt = net.encodeTexts(ids, mask, lora).embeds();
    FixtureRun.put(out, "train.loss_after_step", CleftNetwork.contrastiveLoss(net.logits(img, txt)).reshape(1));
  }

  /** HF keeps {@code logit_scale} as a 0-d parameter; heads.safetensors stores it as [1]. */
  private static NDArray scalarIfScale(String name, NDArray a) {
    return name.equals("logit_scale") ? a.reshape(new Shape()) : a;
  }

  /**
   * Context prompt tuning's forward and gradient: {@code nCtx} context vectors initialised from the
   * word embeddings of {@code initIds} (repeated, then truncated, as peft's PromptTuningInit.TEXT),
   * put before each class's tokens (after its first {@code front} special tokens); BCE-with-logits against the
   * multi-hot labels.
   */
  static void prompt(CleftNetwork net, long[] initIds, int nCtx, int front, NDArray pixels, SafetensorsFile inputs,
      Map<String, Tensor> out) throws SafetensorsException {
    NDManager m = pixels.getManager();
    long[] ctxIds = new long[nCtx];
    for (int i = 0; i < nCtx; i++) {
      ctxIds[i] = initIds[i % initIds.length];
    }
    NDArray ctx = net.embed(m.create(ctxIds)).duplicate();
    FixtureRun.put(out, "prompt.init_ctx", ctx);
    NDArray classIds = FixtureRun.longs(m, inputs, "prompt_input_ids");
    NDArray classMask = FixtureRun.longs(m, inputs, "prompt_attention_mask");
    NDArray labels = FixtureRun.floats(m, inputs, "labels");
    long classes = classIds.getShape().get(0);
    long width = ctx.getShape().get(1);
    NDArray img = net.encodeImages(pixels).embeds();
    ctx.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray prefix = ctx.expandDims(0).broadcast(new Shape(classes, nCtx, width));
      NDArray tokens = net.embed(classIds);
      // the context after the tokenizer's leading special tokens (LLaMA's BOS), as the prompt learners put it
      NDArray embeds = NDArrays.concat(front == 0 ? new NDList(prefix, tokens)
          : new NDList(tokens.get(":, :" + front), prefix, tokens.get(":, " + front + ":")), 1);
      NDArray mask = NDArrays.concat(new NDList(m.ones(new Shape(classes, nCtx), classMask.getDataType()), classMask), 1);
      NDArray classEmbeds = net.encodeEmbedded(embeds, mask, AdapterHook.none()).embeds();
      NDArray scores = img.matMul(classEmbeds.transpose()).mul(net.logitScaleArray().exp().stopGradient());
      NDArray loss = DjlPromptLearner.bceWithLogits(scores, labels);
      gc.backward(loss);
      FixtureRun.put(out, "prompt.class_embeds", classEmbeds);
      FixtureRun.put(out, "prompt.image_embeds", img);
      FixtureRun.put(out, "prompt.scores", scores);
      FixtureRun.put(out, "prompt.loss", loss.reshape(1));
    }
    FixtureRun.put(out, "prompt.grad_ctx", ctx.getGradient());
  }
}
