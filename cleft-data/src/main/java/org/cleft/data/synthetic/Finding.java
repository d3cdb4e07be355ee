package org.cleft.data.synthetic;

/** The findings the generator draws, named as the CheXpert columns they set. */
public enum Finding {
  /** Volume loss of one lung: raised hemidiaphragm, narrower and denser lung, mediastinal shift towards it. */
  ATELECTASIS("Atelectasis"),
  /** A heart shadow much wider than normal (cardiothoracic ratio well above 0.5). */
  CARDIOMEGALY("Cardiomegaly"),
  /** A dense, irregular patch inside one lung. */
  CONSOLIDATION("Consolidation"),
  /** Bilateral perihilar ("bat-wing") haze. */
  EDEMA("Edema"),
  /** Fluid filling the base of one lung, blunting the costophrenic angle, with a meniscus rising laterally. */
  PLEURAL_EFFUSION("Pleural Effusion");

  private final String chexpertName;

  Finding(String chexpertName) {
    this.chexpertName = chexpertName;
  }

  /**
   * The CheXpert column name.
   *
   * @return e.g. {@code "Pleural Effusion"}
   */
  public String chexpertName() {
    return chexpertName;
  }
}
