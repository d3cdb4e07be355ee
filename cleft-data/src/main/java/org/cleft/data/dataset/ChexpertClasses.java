package org.cleft.data.dataset;

import java.util.List;

/** The CheXpert label columns. */
public final class ChexpertClasses {
  /** All 14 observations, in the order of the CheXpert CSV columns. */
  public static final List<String> FOURTEEN = List.of("No Finding", "Enlarged Cardiomediastinum", "Cardiomegaly",
      "Lung Opacity", "Lung Lesion", "Edema", "Consolidation", "Pneumonia", "Atelectasis", "Pneumothorax",
      "Pleural Effusion", "Pleural Other", "Fracture", "Support Devices");

  /** The five competition classes used for CheXpert 5x200 and most zero-shot results. */
  public static final List<String> FIVE = List.of("Atelectasis", "Cardiomegaly", "Consolidation", "Edema",
      "Pleural Effusion");

  /** The metadata columns before the observations. */
  public static final List<String> METADATA = List.of("Path", "Sex", "Age", "Frontal/Lateral", "AP/PA");

  private ChexpertClasses() {
  }
}
