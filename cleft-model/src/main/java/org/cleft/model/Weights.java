package org.cleft.model;

import org.cleft.api.checkpoint.CheckpointException;

/**
 * A checkpoint part's tensors (a HF model folder, {@code heads.safetensors}, an adapter) as an engine loads them, by
 * their HuggingFace / peft names. Shapes are checked where the model asks for a tensor, and a missing or misshapen one
 * is a {@link CheckpointException} naming the file, the tensor and both shapes. A model asks for each tensor once.
 *
 * @param <T> the engine's tensor handle
 */
public interface Weights<T> {

  /** Whether a linear layer has a bias. */
  enum Bias {
    /** It must have one. */
    REQUIRED,
    /** It has one when the checkpoint holds one (CLEFT's heads). */
    OPTIONAL,
    /** It has none. */
    NONE
  }

  /**
   * A linear layer as a model asks for it.
   *
   * @param prefix the module's name; the tensors are {@code prefix.weight} and {@code prefix.bias}
   * @param out the output width
   * @param in the input width
   * @param inputMajor whether the checkpoint stores the weight [in, out] (HF {@code Conv1D}) rather than [out, in]
   * @param bias whether it has a bias
   * @param weightChange changes the weight's stored values, or null
   * @param biasChange changes the bias's values, or null
   */
  record Layer(String prefix, long out, long in, boolean inputMajor, Bias bias, ValuesChange weightChange,
      ValuesChange biasChange) {

    /** {@return the stored shape of the weight} */
    public long[] weightShape() {
      return inputMajor ? new long[] {in, out} : new long[] {out, in};
    }

    /**
     * {@return this layer with more changes, applied after its own}
     *
     * @param weight changes the weight, or null
     * @param bias changes the bias, or null
     */
    public Layer changed(ValuesChange weight, ValuesChange bias) {
      return new Layer(prefix, out, in, inputMajor, this.bias, ValuesChange.andThen(weightChange, weight),
          ValuesChange.andThen(biasChange, bias));
    }
  }

  /** {@return where the tensors come from (a file), for messages} */
  String origin();

  /**
   * {@return whether the tensor exists}
   *
   * @param name its name
   */
  boolean contains(String name);

  /**
   * {@return the shape of a tensor}
   *
   * @param name its name
   * @throws CheckpointException naming the file and the tensor when it is missing
   */
  long[] shape(String name) throws CheckpointException;

  /**
   * {@return a tensor in its stored layout, checked against {@code shape}}
   *
   * @param name its name
   * @param shape the expected shape
   * @param change changes its values before the engine gets them, or null
   * @throws CheckpointException naming the file, the tensor and both shapes when it is missing or misshapen
   */
  T tensor(String name, long[] shape, ValuesChange change) throws CheckpointException;

  /**
   * {@return a linear layer in the engine's layout, checked}
   *
   * @param layer what the model asks for
   * @throws CheckpointException naming the file, the tensor and both shapes when one is missing or misshapen
   */
  Linear<T> linear(Layer layer) throws CheckpointException;

  /**
   * {@return whether a layer the model asks for has a bias: required, or optional and in the checkpoint}
   *
   * @param layer what the model asks for
   */
  default boolean hasBias(Layer layer) {
    return layer.bias() == Bias.REQUIRED || layer.bias() == Bias.OPTIONAL && contains(layer.prefix() + ".bias");
  }

  /**
   * {@return a tensor in its stored layout, checked against {@code shape}}
   *
   * @param name its name
   * @param shape the expected shape
   * @throws CheckpointException naming the file, the tensor and both shapes when it is missing or misshapen
   */
  default T tensor(String name, long... shape) throws CheckpointException {
    return tensor(name, shape, null);
  }

  /**
   * {@return the {@code torch.nn.Linear} named {@code prefix}: {@code prefix.weight} [out, in] and, when present,
   * {@code prefix.bias} [out]}
   *
   * @param prefix the module's name, e.g. {@code image_projection}
   * @param out the output width
   * @param in the input width
   * @throws CheckpointException naming the file, the tensor and both shapes when one is missing or misshapen
   */
  default Linear<T> linear(String prefix, long out, long in) throws CheckpointException {
    return linear(new Layer(prefix, out, in, false, Bias.OPTIONAL, null, null));
  }

  /**
   * {@return the {@code torch.nn.Linear} named {@code prefix}, with or without a bias}
   *
   * @param prefix the module's name
   * @param out the output width
   * @param in the input width
   * @param bias whether {@code prefix.bias} must be there (else it is not used)
   * @throws CheckpointException naming the file, the tensor and both shapes when one is missing or misshapen
   */
  default Linear<T> linear(String prefix, long out, long in, boolean bias) throws CheckpointException {
    return linear(new Layer(prefix, out, in, false, bias ? Bias.REQUIRED : Bias.NONE, null, null));
  }

  /**
   * {@return the HF {@code Conv1D} named {@code prefix} (GPT-2): {@code prefix.weight} [in, out] and
   * {@code prefix.bias} [out]}
   *
   * @param prefix the module's name
   * @param in the input width
   * @param out the output width
   * @throws CheckpointException naming the file, the tensor and both shapes when one is missing or misshapen
   */
  default Linear<T> conv1d(String prefix, long in, long out) throws CheckpointException {
    return linear(new Layer(prefix, out, in, true, Bias.REQUIRED, null, null));
  }
}
