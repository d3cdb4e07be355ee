package org.cleft.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How a model's captions are built, recorded in a checkpoint's {@code cleft.json} ({@code "captions"}) at
 * training time so that every zero-shot path builds class captions the way the model was trained: the
 * template, the casing of the findings, how several findings are joined, the text for an image without
 * findings, the text put before a class name that follows learned context vectors, and the classes the
 * model was evaluated with while it trained.
 *
 * <p>Class names are normalised by one rule: surrounding whitespace removed, runs of whitespace made one
 * space, and, when {@link #casing()} is {@link Casing#LOWER}, lower-cased ({@link Locale#ROOT}).
 *
 * @param template the caption with {@code {}} where the findings go
 * @param casing how the findings are cased in a caption
 * @param separator what joins several findings in one caption
 * @param noFinding the findings text of an image without any
 * @param promptPrefix what precedes a class name after learned context vectors (a space, as CoOp-style
 *     prompt learners tokenise {@code "X X ... X name"})
 * @param classes the class names (normalised) the model was evaluated with during training; may be empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CaptionStyle(String template, Casing casing, String separator,
    @JsonProperty("no_finding") String noFinding, @JsonProperty("prompt_prefix") String promptPrefix,
    List<String> classes) {

  /** The caption template of the CLEFT paper. */
  public static final String DEFAULT_TEMPLATE = "this is a chest x ray of a patient with {}";

  /** How the findings of a caption are cased. */
  public enum Casing {
    /** Lower case, as the reference CLEFT code builds its captions. */
    @JsonProperty("lower") LOWER,
    /** As the data spelt them. */
    @JsonProperty("as_given") AS_GIVEN;

    /**
     * {@return the casing of a set of training captions: {@link #LOWER} when none has an upper-case letter,
     * else {@link #AS_GIVEN}}
     *
     * @param captions the captions (reports) a model is trained on
     */
    public static Casing of(Iterable<String> captions) {
      for (String c : captions) {
        if (c != null && !c.equals(c.toLowerCase(Locale.ROOT))) {
          return AS_GIVEN;
        }
      }
      return LOWER;
    }
  }

  /**
   * Fills defaults (those of {@link #defaults()}) and checks the template.
   *
   * @param template the caption with {@code {}} where the findings go
   * @param casing how the findings are cased in a caption
   * @param separator what joins several findings in one caption
   * @param noFinding the findings text of an image without any
   * @param promptPrefix what precedes a class name after learned context vectors
   * @param classes the class names the model was evaluated with during training; may be empty
   * @throws IllegalArgumentException when the template has no {@code {}}
   */
  public CaptionStyle {
    template = template == null ? DEFAULT_TEMPLATE : template;
    casing = casing == null ? Casing.LOWER : casing;
    separator = separator == null ? " " : separator;
    noFinding = noFinding == null ? "no finding" : noFinding;
    promptPrefix = promptPrefix == null ? " " : promptPrefix;
    classes = classes == null ? List.of() : List.copyOf(classes);
    if (!template.contains("{}")) {
      throw new IllegalArgumentException("caption template '" + template + "' has no {} placeholder for the class "
          + "name");
    }
  }

  /**
   * {@return the reference CLEFT captions: the paper's chest X-ray template, lower-case findings joined by a
   * space, {@code "no finding"}, a space before a prompt's class name; no class list}
   */
  public static CaptionStyle defaults() {
    return new CaptionStyle(null, null, null, null, null, null);
  }

  /**
   * {@return this style with another template}
   *
   * @param newTemplate the caption with {@code {}}
   */
  public CaptionStyle withTemplate(String newTemplate) {
    return new CaptionStyle(newTemplate, casing, separator, noFinding, promptPrefix, classes);
  }

  /**
   * {@return this style with another casing}
   *
   * @param newCasing the casing of the findings
   */
  public CaptionStyle withCasing(Casing newCasing) {
    return new CaptionStyle(template, newCasing, separator, noFinding, promptPrefix, classes);
  }

  /**
   * {@return this style with the classes the model was evaluated with (normalised by this style)}
   *
   * @param names the class names
   */
  public CaptionStyle withClasses(List<String> names) {
    return new CaptionStyle(template, casing, separator, noFinding, promptPrefix,
        names.stream().map(this::normalize).toList());
  }

  /**
   * {@return a class name as this style writes it in a caption: stripped, inner whitespace one space, and
   * lower-cased when the casing is {@link Casing#LOWER}}
   *
   * @param name a class name
   */
  public String normalize(String name) {
    String spaced = name.strip().replaceAll("\\s+", " ");
    return casing == Casing.LOWER ? spaced.toLowerCase(Locale.ROOT) : spaced;
  }

  /**
   * {@return the caption of an image with these positive findings (in class order), the way training
   * captions are built from labels: {@code "... with pleural effusion consolidation"}, or the no-finding
   * text when there is none}
   *
   * @param positives the names of the positive classes
   */
  public String caption(List<String> positives) {
    String findings = positives.isEmpty() ? noFinding
        : String.join(separator, positives.stream().map(this::normalize).toList());
    return template.replace("{}", findings);
  }

  /**
   * {@return the text that follows the learned context vectors for a class: the prompt prefix and the
   * normalised name}
   *
   * @param name a class name
   */
  public String promptName(String name) {
    return promptPrefix + normalize(name);
  }

  /**
   * One caption per class, the names normalised by this style, with one notice line listing the names that
   * were changed and one listing the names the model was not evaluated with during training (when it
   * records its classes).
   *
   * @param classNames the classes (at least one), as the caller spells them
   * @return the captions and notices
   * @throws IllegalArgumentException when there is no class, a name is blank, or two names normalise alike
   */
  public ClassCaptions classCaptions(List<String> classNames) {
    requireNames(classNames);
    List<String> captions = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    List<String> unseen = new ArrayList<>();
    Map<String, String> seen = new LinkedHashMap<>();
    for (String name : classNames) {
      String normalized = normalize(name);
      String before = seen.put(normalized, name);
      if (before != null) {
        throw new IllegalArgumentException("class names '" + before + "' and '" + name + "' both become '"
            + normalized + "' in a caption; give each class once");
      }
      captions.add(template.replace("{}", normalized));
      if (!normalized.equals(name)) {
        changed.add("'" + name + "' -> '" + normalized + "'");
      }
      if (!classes.isEmpty() && !classes.contains(normalized)) {
        unseen.add("'" + name + "'");
      }
    }
    List<String> notices = new ArrayList<>();
    if (!changed.isEmpty()) {
      notices.add("class names normalised as the model's captions were written (" + (casing == Casing.LOWER
          ? "lower case, " : "") + "single spaces): " + String.join(", ", changed));
    }
    if (!unseen.isEmpty()) {
      notices.add("class names the model was not evaluated with while training " + classes + ", used as given: "
          + String.join(", ", unseen));
    }
    return new ClassCaptions(classNames, captions, notices);
  }

  /**
   * One caption per class with the names verbatim ({@code template} with {@code {}} replaced by each name),
   * without normalisation or notices.
   *
   * @param classNames the classes (at least one)
   * @param template a caption with {@code {}}
   * @return the captions
   * @throws IllegalArgumentException when there is no class or the template has no {@code {}}
   */
  public static ClassCaptions rawCaptions(List<String> classNames, String template) {
    requireNames(classNames);
    Objects.requireNonNull(template, "template");
    if (!template.contains("{}")) {
      throw new IllegalArgumentException("template '" + template + "' has no {} placeholder for the class name");
    }
    return new ClassCaptions(classNames, classNames.stream().map(c -> template.replace("{}", c)).toList(), List.of());
  }

  /**
   * {@return the one-line notice for a checkpoint whose {@code cleft.json} records no caption style}
   *
   * @param checkpoint the checkpoint directory
   */
  public static String unrecordedNotice(Path checkpoint) {
    return checkpoint + ": cleft.json records no caption style; class captions follow the reference CLEFT "
        + "default ('" + DEFAULT_TEMPLATE + "', lower case)";
  }

  /**
   * {@return whether two lists name the same classes in the same order once normalised by this style}
   *
   * @param a class names
   * @param b class names
   */
  public boolean sameClasses(List<String> a, List<String> b) {
    return a.size() == b.size() && a.stream().map(this::normalize).toList()
        .equals(b.stream().map(this::normalize).toList());
  }

  /** {@return whether this style lower-cases the findings} */
  @JsonIgnore
  public boolean lowerCase() {
    return casing == Casing.LOWER;
  }

  private static void requireNames(List<String> classNames) {
    if (classNames == null || classNames.isEmpty()) {
      throw new IllegalArgumentException("zero-shot classification needs at least one class name");
    }
    for (String name : classNames) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("class names must not be blank, got " + classNames);
      }
    }
  }
}
