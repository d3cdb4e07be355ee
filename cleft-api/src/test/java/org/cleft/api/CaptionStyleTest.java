package org.cleft.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cleft.api.checkpoint.CleftManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionStyleTest {
  @TempDir
  Path tmp;

  @Test
  void defaultsAreTheReferenceCaptions() {
    CaptionStyle s = CaptionStyle.defaults();
    assertThat(s.caption(List.of("Pleural Effusion", "Consolidation")))
        .isEqualTo("this is a chest x ray of a patient with pleural effusion consolidation");
    assertThat(s.caption(List.of())).isEqualTo("this is a chest x ray of a patient with no finding");
    assertThat(s.promptName(" Pleural  Effusion")).isEqualTo(" pleural effusion");
  }

  @Test
  void classCaptionsNormaliseCaseAndSpacingWithOneNotice() {
    CaptionStyle s = CaptionStyle.defaults().withClasses(List.of("edema", "pleural effusion"));
    ClassCaptions c = s.classCaptions(List.of("Edema", " pleural   effusion"));
    assertThat(c.classNames()).containsExactly("Edema", " pleural   effusion");
    assertThat(c.captions()).containsExactly("this is a chest x ray of a patient with edema",
        "this is a chest x ray of a patient with pleural effusion");
    assertThat(c.notices()).hasSize(1);
    assertThat(c.notices().get(0)).contains("'Edema' -> 'edema'", "lower case");
    assertThat(s.classCaptions(List.of("edema")).notices()).isEmpty();
  }

  @Test
  void namesTheModelWasNotEvaluatedWithGetANotice() {
    CaptionStyle s = CaptionStyle.defaults().withClasses(List.of("edema"));
    ClassCaptions c = s.classCaptions(List.of("edema", "nodule"));
    assertThat(c.captions()).containsExactly("this is a chest x ray of a patient with edema",
        "this is a chest x ray of a patient with nodule");
    assertThat(c.notices()).singleElement().asString().contains("'nodule'", "not evaluated with");
    // without a recorded class list there is nothing to compare against
    assertThat(CaptionStyle.defaults().classCaptions(List.of("nodule")).notices()).isEmpty();
  }

  @Test
  void asGivenCasingKeepsCapitalsAndRawCaptionsKeepEverything() {
    CaptionStyle s = CaptionStyle.defaults().withCasing(CaptionStyle.Casing.AS_GIVEN).withTemplate("an image of {}");
    assertThat(s.classCaptions(List.of("Pleural  Effusion")).captions()).containsExactly("an image of Pleural Effusion");
    ClassCaptions raw = CaptionStyle.rawCaptions(List.of("Pleural  Effusion"), "x {}");
    assertThat(raw.captions()).containsExactly("x Pleural  Effusion");
    assertThat(raw.notices()).isEmpty();
  }

  @Test
  void badNamesAndTemplatesAreRefused() {
    CaptionStyle s = CaptionStyle.defaults();
    assertThatThrownBy(() -> s.classCaptions(List.of())).hasMessageContaining("at least one class");
    assertThatThrownBy(() -> s.classCaptions(List.of("edema", " "))).hasMessageContaining("blank");
    assertThatThrownBy(() -> s.classCaptions(List.of("Edema", "edema"))).hasMessageContaining("both become 'edema'");
    assertThatThrownBy(() -> s.withTemplate("no placeholder")).hasMessageContaining("has no {}");
    assertThatThrownBy(() -> CaptionStyle.rawCaptions(List.of("a"), "none")).hasMessageContaining("has no {}");
  }

  @Test
  void casingOfTrainingCaptions() {
    assertThat(CaptionStyle.Casing.of(List.of("a b", "no finding"))).isEqualTo(CaptionStyle.Casing.LOWER);
    assertThat(CaptionStyle.Casing.of(List.of("a b", "Edema"))).isEqualTo(CaptionStyle.Casing.AS_GIVEN);
  }

  @Test
  void sameClassesComparesNormalisedNames() {
    CaptionStyle s = CaptionStyle.defaults();
    assertThat(s.sameClasses(List.of("Edema", "Pleural Effusion"), List.of("edema", "pleural effusion"))).isTrue();
    assertThat(s.sameClasses(List.of("edema", "pleural effusion"), List.of("pleural effusion", "edema"))).isFalse();
  }

  @Test
  void recordRoundTripsThroughCleftJsonAndIsAbsentFromOldFiles() throws Exception {
    CaptionStyle style = CaptionStyle.defaults().withCasing(CaptionStyle.Casing.AS_GIVEN).withClasses(List.of("Edema"));
    Path file = tmp.resolve("cleft.json");
    CleftManifest.defaults().withCaptions(style).write(file);
    assertThat(Files.readString(file)).contains("\"captions\"", "\"casing\" : \"as_given\"", "\"prompt_prefix\" : \" \"");
    assertThat(CleftManifest.read(file).captions()).isEqualTo(style);
    Files.writeString(file, "{\"format\": \"cleft-checkpoint\", \"format_version\": 1}");
    assertThat(CleftManifest.read(file).captions()).isNull();
  }
}
