package org.cleft.examples.cli;

import java.io.PrintStream;
import java.util.List;
import org.cleft.api.CaptionStyle;
import org.cleft.api.ClassCaptions;
import org.cleft.api.CleftModel;
import org.cleft.api.ZeroShotClassifier;

/**
 * The class captions of {@code eval} and {@code classify}: built by the checkpoint's caption style (its
 * template unless {@code --template} is given, class names normalised the way the model was trained), or,
 * with {@code --raw-classes}, the template with the names verbatim. Notices go to standard error, one line
 * each, prefixed {@code cleft: note: }.
 *
 * @param template the {@code --template}, or null for the checkpoint's
 * @param raw whether {@code --raw-classes} was given
 */
record CaptionChoice(String template, boolean raw) {

  /** The {@code --template} help text. */
  static final String TEMPLATE_HELP = "Caption for each class; {} is replaced by the class name. Default: the "
      + "template the checkpoint records (cleft.json 'captions'), else '" + CaptionStyle.DEFAULT_TEMPLATE + "'.";
  /** The {@code --raw-classes} help text. */
  static final String RAW_HELP = "Put the class names into the captions exactly as given. Default: normalise them "
      + "the way the model's training captions were written (lower case, single spaces), with a note per change.";

  /** The template the captions use: the option's, else the model's. */
  String resolvedTemplate(CleftModel model) {
    return template != null ? template : model.captionStyle().template();
  }

  /** The captions for {@code names}, after printing the notices to {@code err}. */
  ClassCaptions captions(CleftModel model, List<String> names, PrintStream err) {
    if (raw) {
      return CaptionStyle.rawCaptions(names, resolvedTemplate(model));
    }
    if (!model.captionStyleRecorded()) {
      note(err, CaptionStyle.unrecordedNotice(model.checkpoint()));
    }
    ClassCaptions captions = model.captionStyle().withTemplate(resolvedTemplate(model)).classCaptions(names);
    captions.notices().forEach(n -> note(err, n));
    return captions;
  }

  /** A zero-shot classifier over {@code names} on {@code model}. */
  ZeroShotClassifier classifier(CleftModel model, List<String> names, PrintStream err) {
    return model.zeroShot(captions(model, names, err));
  }

  private static void note(PrintStream err, String notice) {
    err.println("cleft: note: " + notice);
  }
}
