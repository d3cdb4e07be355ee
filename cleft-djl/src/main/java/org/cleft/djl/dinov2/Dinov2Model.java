package org.cleft.djl.dinov2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.nio.file.Path;
import java.util.Map;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Dinov2Config;
import org.cleft.api.checkpoint.ModelConfig;
import org.cleft.api.safetensors.Safetensors;
import org.cleft.api.safetensors.SafetensorsException;
import org.cleft.api.safetensors.TensorSource;
import org.cleft.api.vision.BicubicWeights;
import org.cleft.djl.nn.NdOps;
import org.cleft.djl.nn.Parameters;

/**
 * HuggingFace {@code Dinov2Model} and {@code Dinov2WithRegistersModel} written with DJL ops: patch
 * embedding, CLS token, position embeddings interpolated to the input size exactly as each HF model
 * type does, register tokens, pre-norm blocks with layer scale, and the final layer norm.
 */
public final class Dinov2Model {
  private final Dinov2Config config;
  private final Parameters params;
  private final NDArray cls;
  private final NDArray registers;
  private final NDArray positions;
  private final NDArray patchWeight;
  private final NDArray patchBias;
  private final NDArray normWeight;
  private final NDArray normBias;
  private final Dinov2Block[] blocks;
  private final int gridSide;

  /**
   * The outputs of one forward pass.
   *
   * @param prenorm the output of the last block before the final layer norm, [batch, tokens, hidden]
   * @param lastHiddenState after the final layer norm, [batch, tokens, hidden]
   */
  public record Output(NDArray prenorm, NDArray lastHiddenState) {}

  /**
   * Builds the model from loaded parameters, checking every tensor's shape.
   *
   * @param config the model config
   * @param params the parameters under their HF names
   * @throws CheckpointException naming the tensor and both shapes when one is missing or misshapen
   */
  public Dinov2Model(Dinov2Config config, Parameters params) throws CheckpointException {
    this.config = config;
    this.params = params;
    long d = config.hiddenSize();
    long positionsCount = params.contains("embeddings.position_embeddings")
        ? params.asMap().get("embeddings.position_embeddings").getShape().get(1) : 0;
    int side = (int) Math.round(Math.sqrt(positionsCount - 1));
    if (side * side != positionsCount - 1) {
      throw new CheckpointException(params.origin() + ": tensor 'embeddings.position_embeddings' has "
          + positionsCount + " positions; expected 1 + a square number of patches");
    }
    gridSide = side;
    cls = params.require("embeddings.cls_token", 1, 1, d);
    registers = config.numRegisterTokens() > 0
        ? params.require("embeddings.register_tokens", 1, config.numRegisterTokens(), d) : null;
    positions = params.require("embeddings.position_embeddings", 1, positionsCount, d);
    int p = config.patchSize();
    patchWeight = params.require("embeddings.patch_embeddings.projection.weight", d, config.numChannels(), p, p);
    patchBias = params.require("embeddings.patch_embeddings.projection.bias", d);
    normWeight = params.require("layernorm.weight", d);
    normBias = params.require("layernorm.bias", d);
    blocks = new Dinov2Block[config.numHiddenLayers()];
    for (int i = 0; i < blocks.length; i++) {
      blocks[i] = Dinov2Block.load(config, params, "encoder.layer." + i + ".");
    }
    try {
      NdOps.checkActivation(config.hiddenAct());
    } catch (IllegalArgumentException ex) {
      throw new CheckpointException(params.origin() + ": config field hidden_act: " + ex.getMessage(), ex);
    }
  }

  /**
   * Loads a HF DINOv2 folder ({@code config.json} + {@code model.safetensors} or shards).
   *
   * @param manager owns the loaded arrays
   * @param dir the HF model folder
   * @return the model
   * @throws CheckpointException naming the file or tensor when one is missing or misshapen
   */
  public static Dinov2Model load(NDManager manager, Path dir) throws CheckpointException {
    ModelConfig c = ModelConfig.read(dir.resolve("config.json"));
    if (!(c instanceof Dinov2Config v)) {
      throw new CheckpointException(dir.resolve("config.json") + ": model_type '" + c.modelType()
          + "' is not an image tower (expected dinov2 or dinov2_with_registers)");
    }
    try (TensorSource source = Safetensors.openModel(dir)) {
      String prefix = source.contains("dinov2.embeddings.cls_token") ? "dinov2." : null;
      Parameters p = Parameters.load(manager, source, n -> !n.startsWith("classifier."), prefix);
      return new Dinov2Model(v, p);
    } catch (SafetensorsException e) {
      throw new CheckpointException(e.getMessage(), e);
    }
  }

  /** {@return the config} */
  public Dinov2Config config() {
    return config;
  }

  /** {@return the parameters under their HF names} */
  public Map<String, NDArray> parameters() {
    return params.asMap();
  }

  /**
   * {@return number of output tokens for an input of {@code height} x {@code width} pixels}
   *
   * @param height input height in pixels
   * @param width input width in pixels
   */
  public int tokens(int height, int width) {
    return 1 + config.numRegisterTokens() + (height / config.patchSize()) * (width / config.patchSize());
  }

  /**
   * Runs the tower.
   *
   * @param pixels [batch, channels, height, width], height and width multiples of the patch size
   * @return the pre-norm features of the last block and the last hidden states
   * @throws IllegalArgumentException for a wrong channel count or a size that is not a multiple of the patch
   */
  public Output forward(NDArray pixels) {
    long[] s = pixels.getShape().getShape();
    check(s);
    int batch = (int) s[0];
    int height = (int) s[2];
    int width = (int) s[3];
    int p = config.patchSize();
    NDArray x = Conv2d.conv2d(pixels, patchWeight, patchBias, new Shape(p, p), new Shape(0, 0),
        new Shape(1, 1), 1).singletonOrThrow();
    long d = config.hiddenSize();
    x = x.reshape(batch, d, -1).transpose(0, 2, 1);
    NDArray c = cls.broadcast(new Shape(batch, 1, d));
    x = NDArrays.concat(new NDList(c, x), 1);
    x = x.add(positionEmbeddings(pixels.getManager(), height, width));
    if (registers != null) {
      NDArray r = registers.broadcast(new Shape(batch, config.numRegisterTokens(), d));
      x = NDArrays.concat(new NDList(x.get(":, 0:1, :"), r, x.get(":, 1:, :")), 1);
    }
    for (Dinov2Block b : blocks) {
      x = b.forward(x);
    }
    return new Output(x, NdOps.layerNorm(x, normWeight, normBias, config.layerNormEps()));
  }

  private void check(long[] s) {
    if (s.length != 4) {
      throw new IllegalArgumentException("pixel_values must be [batch, channels, height, width], got shape "
          + new Shape(s));
    }
    if (s[1] != config.numChannels()) {
      throw new IllegalArgumentException("pixel_values has " + s[1] + " channels; the vision tower expects "
          + config.numChannels());
    }
    int p = config.patchSize();
    if (s[2] % p != 0 || s[3] % p != 0 || s[2] == 0 || s[3] == 0) {
      throw new IllegalArgumentException("image size " + s[2] + "x" + s[3] + " is not a positive multiple of the "
          + "patch size " + p + " (try " + Math.max(p, s[2] / p * p) + "x" + Math.max(p, s[3] / p * p) + ")");
    }
  }

  /**
   * Position embeddings for the input size: unchanged when the patch grid matches and the image is
   * square, else the patch part interpolated bicubically — plain for {@code dinov2}, antialiased for
   * {@code dinov2_with_registers}, as transformers 5 does.
   */
  private NDArray positionEmbeddings(NDManager m, int height, int width) {
    int gh = height / config.patchSize();
    int gw = width / config.patchSize();
    if (gh * gw == gridSide * gridSide && height == width) {
      return positions;
    }
    boolean aa = config.withRegisters();
    double[][] wh = aa ? BicubicWeights.antialiased(gridSide, gh) : BicubicWeights.plain(gridSide, gh);
    double[][] ww = aa ? BicubicWeights.antialiased(gridSide, gw) : BicubicWeights.plain(gridSide, gw);
    NDArray k = m.create(BicubicWeights.kron(wh, ww), new Shape((long) gh * gw, (long) gridSide * gridSide));
    NDArray patch = positions.get(":, 1:, :").squeeze(0); // [side*side, d]
    NDArray interpolated = k.matMul(patch).expandDims(0);
    return NDArrays.concat(new NDList(positions.get(":, 0:1, :"), interpolated), 1);
  }
}
