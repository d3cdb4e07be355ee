package org.cleft.spark;

import java.io.Serializable;
import java.util.List;

/**
 * The classes executors score against, computed once on the driver and broadcast: their names, their text-tower
 * embeddings (L2-normalised, {@code rows x dim}) and the model's logit scale.
 *
 * @param names the class names, in the order of the probabilities
 * @param embeddings {@code names.size() * dim} values, row-major
 * @param dim the embedding width
 * @param logitScale the model's learned log temperature
 */
record ClassSpace(List<String> names, float[] embeddings, int dim, float logitScale) implements Serializable {
  ClassSpace {
    names = List.copyOf(names);
  }
}
