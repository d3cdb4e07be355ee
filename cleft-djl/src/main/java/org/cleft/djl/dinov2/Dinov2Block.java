package org.cleft.djl.dinov2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.cleft.api.checkpoint.CheckpointException;
import org.cleft.api.checkpoint.Dinov2Config;
import org.cleft.djl.nn.NdOps;
import org.cleft.djl.nn.Parameters;

/** One DINOv2 layer: norm1, self-attention, layer scale, residual; norm2, MLP (or SwiGLU), layer scale, residual. */
final class Dinov2Block {
  private final Dinov2Config c;
  private final NDArray n1w;
  private final NDArray n1b;
  private final NDArray qw;
  private final NDArray qb;
  private final NDArray kw;
  private final NDArray kb;
  private final NDArray vw;
  private final NDArray vb;
  private final NDArray ow;
  private final NDArray ob;
  private final NDArray ls1;
  private final NDArray n2w;
  private final NDArray n2b;
  private final NDArray fc1w;
  private final NDArray fc1b;
  private final NDArray fc2w;
  private final NDArray fc2b;
  private final NDArray ls2;

  private Dinov2Block(Dinov2Config c, NDArray[] t) {
    this.c = c;
    n1w = t[0];
    n1b = t[1];
    qw = t[2];
    qb = t[3];
    kw = t[4];
    kb = t[5];
    vw = t[6];
    vb = t[7];
    ow = t[8];
    ob = t[9];
    ls1 = t[10];
    n2w = t[11];
    n2b = t[12];
    fc1w = t[13];
    fc1b = t[14];
    fc2w = t[15];
    fc2b = t[16];
    ls2 = t[17];
  }

  static Dinov2Block load(Dinov2Config c, Parameters p, String prefix) throws CheckpointException {
    long d = c.hiddenSize();
    String a = prefix + "attention.";
    boolean bias = c.qkvBias();
    NDArray[] t = new NDArray[18];
    t[0] = p.require(prefix + "norm1.weight", d);
    t[1] = p.require(prefix + "norm1.bias", d);
    t[2] = p.require(a + "attention.query.weight", d, d);
    t[3] = bias ? p.require(a + "attention.query.bias", d) : null;
    t[4] = p.require(a + "attention.key.weight", d, d);
    t[5] = bias ? p.require(a + "attention.key.bias", d) : null;
    t[6] = p.require(a + "attention.value.weight", d, d);
    t[7] = bias ? p.require(a + "attention.value.bias", d) : null;
    t[8] = p.require(a + "output.dense.weight", d, d);
    t[9] = p.require(a + "output.dense.bias", d);
    t[10] = p.require(prefix + "layer_scale1.lambda1", d);
    t[11] = p.require(prefix + "norm2.weight", d);
    t[12] = p.require(prefix + "norm2.bias", d);
    if (c.useSwigluFfn()) {
      long hidden = ((long) (c.mlpHiddenSize() * 2 / 3) + 7) / 8 * 8;
      t[13] = p.require(prefix + "mlp.weights_in.weight", 2 * hidden, d);
      t[14] = p.require(prefix + "mlp.weights_in.bias", 2 * hidden);
      t[15] = p.require(prefix + "mlp.weights_out.weight", d, hidden);
      t[16] = p.require(prefix + "mlp.weights_out.bias", d);
    } else {
      long hidden = c.mlpHiddenSize();
      t[13] = p.require(prefix + "mlp.fc1.weight", hidden, d);
      t[14] = p.require(prefix + "mlp.fc1.bias", hidden);
      t[15] = p.require(prefix + "mlp.fc2.weight", d, hidden);
      t[16] = p.require(prefix + "mlp.fc2.bias", d);
    }
    t[17] = p.require(prefix + "layer_scale2.lambda1", d);
    return new Dinov2Block(c, t);
  }

  NDArray forward(NDArray x) {
    long[] s = x.getShape().getShape();
    long batch = s[0];
    long tokens = s[1];
    int heads = c.numAttentionHeads();
    int hd = c.headDim();
    NDArray h = NdOps.layerNorm(x, n1w, n1b, c.layerNormEps());
    NDArray q = NdOps.linear(h, qw, qb).reshape(batch, tokens, heads, hd).transpose(0, 2, 1, 3);
    NDArray k = NdOps.linear(h, kw, kb).reshape(batch, tokens, heads, hd).transpose(0, 2, 1, 3);
    NDArray v = NdOps.linear(h, vw, vb).reshape(batch, tokens, heads, hd).transpose(0, 2, 1, 3);
    NDArray probs = NdOps.mul(q.matMul(k.transpose(0, 1, 3, 2)), Math.pow(hd, -0.5)).softmax(-1);
    NDArray ctx = probs.matMul(v).transpose(0, 2, 1, 3).reshape(batch, tokens, c.hiddenSize());
    x = x.add(NdOps.linear(ctx, ow, ob).mul(ls1));
    NDArray f = NdOps.layerNorm(x, n2w, n2b, c.layerNormEps());
    if (c.useSwigluFfn()) {
      NDList halves = NdOps.linear(f, fc1w, fc1b).split(2, -1);
      NDArray x1 = halves.get(0);
      f = NdOps.linear(x1.mul(ai.djl.nn.Activation.sigmoid(x1)).mul(halves.get(1)), fc2w, fc2b);
    } else {
      f = NdOps.linear(NdOps.activation(c.hiddenAct(), NdOps.linear(f, fc1w, fc1b)), fc2w, fc2b);
    }
    return x.add(f.mul(ls2));
  }
}
