package org.cleft.api;

import java.util.List;

/**
 * The captions of a zero-shot classifier: one per class, built by a {@link CaptionStyle}, and what the
 * building changed or could not match.
 *
 * @param classNames the classes as the caller spells them (the classifier reports these)
 * @param captions one caption per class, in the same order
 * @param notices one line for the class names that were normalised, one for those the model was not evaluated
 *     with; empty when neither happened
 */
public record ClassCaptions(List<String> classNames, List<String> captions, List<String> notices) {
  /**
   * Copies the lists and checks that they fit.
   *
   * @param classNames the classes as the caller spells them
   * @param captions one caption per class
   * @param notices what the building changed or could not match
   * @throws IllegalArgumentException when there is no class or the counts differ
   */
  public ClassCaptions {
    classNames = List.copyOf(classNames);
    captions = List.copyOf(captions);
    notices = List.copyOf(notices);
    if (classNames.isEmpty() || classNames.size() != captions.size()) {
      throw new IllegalArgumentException("ClassCaptions: " + classNames.size() + " class names but "
          + captions.size() + " captions");
    }
  }
}
