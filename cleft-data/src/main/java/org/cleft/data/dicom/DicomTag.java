package org.cleft.data.dicom;

import java.util.Locale;

/**
 * The tags this package reads or writes, as {@code (group << 16) | element}, and their names. Doubles
 * as the built-in data dictionary that gives implicit-VR elements their VR.
 */
public enum DicomTag {
  /** (0002,0000) File Meta Information Group Length. */
  FILE_META_GROUP_LENGTH(0x00020000, "UL"),
  /** (0002,0001) File Meta Information Version. */
  FILE_META_VERSION(0x00020001, "OB"),
  /** (0002,0002) Media Storage SOP Class UID. */
  MEDIA_STORAGE_SOP_CLASS_UID(0x00020002, "UI"),
  /** (0002,0003) Media Storage SOP Instance UID. */
  MEDIA_STORAGE_SOP_INSTANCE_UID(0x00020003, "UI"),
  /** (0002,0010) Transfer Syntax UID. */
  TRANSFER_SYNTAX_UID(0x00020010, "UI"),
  /** (0002,0012) Implementation Class UID. */
  IMPLEMENTATION_CLASS_UID(0x00020012, "UI"),
  /** (0008,0016) SOP Class UID. */
  SOP_CLASS_UID(0x00080016, "UI"),
  /** (0008,0018) SOP Instance UID. */
  SOP_INSTANCE_UID(0x00080018, "UI"),
  /** (0008,0060) Modality. */
  MODALITY(0x00080060, "CS"),
  /** (0008,1140) Referenced Image Sequence. */
  REFERENCED_IMAGE_SEQUENCE(0x00081140, "SQ"),
  /** (0010,0010) Patient's Name. */
  PATIENT_NAME(0x00100010, "PN"),
  /** (0010,0020) Patient ID. */
  PATIENT_ID(0x00100020, "LO"),
  /** (0018,5101) View Position. */
  VIEW_POSITION(0x00185101, "CS"),
  /** (0020,0060) Laterality. */
  LATERALITY(0x00200060, "CS"),
  /** (0020,0062) Image Laterality. */
  IMAGE_LATERALITY(0x00200062, "CS"),
  /** (0028,0002) Samples per Pixel. */
  SAMPLES_PER_PIXEL(0x00280002, "US"),
  /** (0028,0004) Photometric Interpretation. */
  PHOTOMETRIC_INTERPRETATION(0x00280004, "CS"),
  /** (0028,0006) Planar Configuration. */
  PLANAR_CONFIGURATION(0x00280006, "US"),
  /** (0028,0008) Number of Frames. */
  NUMBER_OF_FRAMES(0x00280008, "IS"),
  /** (0028,0010) Rows. */
  ROWS(0x00280010, "US"),
  /** (0028,0011) Columns. */
  COLUMNS(0x00280011, "US"),
  /** (0028,0100) Bits Allocated. */
  BITS_ALLOCATED(0x00280100, "US"),
  /** (0028,0101) Bits Stored. */
  BITS_STORED(0x00280101, "US"),
  /** (0028,0102) High Bit. */
  HIGH_BIT(0x00280102, "US"),
  /** (0028,0103) Pixel Representation (0 unsigned, 1 two's complement). */
  PIXEL_REPRESENTATION(0x00280103, "US"),
  /** (0028,1050) Window Center. */
  WINDOW_CENTER(0x00281050, "DS"),
  /** (0028,1051) Window Width. */
  WINDOW_WIDTH(0x00281051, "DS"),
  /** (0028,1052) Rescale Intercept. */
  RESCALE_INTERCEPT(0x00281052, "DS"),
  /** (0028,1053) Rescale Slope. */
  RESCALE_SLOPE(0x00281053, "DS"),
  /** (0028,1054) Rescale Type. */
  RESCALE_TYPE(0x00281054, "LO"),
  /** (0028,1101) Red Palette Color Lookup Table Descriptor. */
  RED_PALETTE_DESCRIPTOR(0x00281101, "US"),
  /** (0028,1102) Green Palette Color Lookup Table Descriptor. */
  GREEN_PALETTE_DESCRIPTOR(0x00281102, "US"),
  /** (0028,1103) Blue Palette Color Lookup Table Descriptor. */
  BLUE_PALETTE_DESCRIPTOR(0x00281103, "US"),
  /** (0028,1201) Red Palette Color Lookup Table Data. */
  RED_PALETTE_DATA(0x00281201, "OW"),
  /** (0028,1202) Green Palette Color Lookup Table Data. */
  GREEN_PALETTE_DATA(0x00281202, "OW"),
  /** (0028,1203) Blue Palette Color Lookup Table Data. */
  BLUE_PALETTE_DATA(0x00281203, "OW"),
  /** (0028,1221) Segmented Red Palette Color Lookup Table Data. */
  SEGMENTED_RED_PALETTE_DATA(0x00281221, "OW"),
  /** (0028,3000) Modality LUT Sequence. */
  MODALITY_LUT_SEQUENCE(0x00283000, "SQ"),
  /** (0028,3002) LUT Descriptor: entries (0 meaning 65536), first value mapped, bits per entry. */
  LUT_DESCRIPTOR(0x00283002, "US"),
  /** (0028,3006) LUT Data. */
  LUT_DATA(0x00283006, "OW"),
  /** (0028,3010) VOI LUT Sequence. */
  VOI_LUT_SEQUENCE(0x00283010, "SQ"),
  /** (7FE0,0010) Pixel Data. */
  PIXEL_DATA(0x7FE00010, "OW");

  /** (FFFE,E000) Item. */
  public static final int ITEM = 0xFFFEE000;
  /** (FFFE,E00D) Item Delimitation Item. */
  public static final int ITEM_DELIMITATION = 0xFFFEE00D;
  /** (FFFE,E0DD) Sequence Delimitation Item. */
  public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

  private final int tag;
  private final String vr;

  DicomTag(int tag, String vr) {
    this.tag = tag;
    this.vr = vr;
  }

  /**
   * The numeric tag.
   *
   * @return {@code (group << 16) | element}
   */
  public int tag() {
    return tag;
  }

  /**
   * The value representation from the dictionary.
   *
   * @return a two-letter VR
   */
  public String vr() {
    return vr;
  }

  /**
   * The VR an implicit-VR element with this tag has: from this dictionary, UL for group lengths,
   * UN otherwise.
   *
   * @param tag a numeric tag
   * @return a two-letter VR
   */
  public static String implicitVr(int tag) {
    for (DicomTag t : values()) {
      if (t.tag == tag) {
        return t.vr;
      }
    }
    return (tag & 0xFFFF) == 0 ? "UL" : "UN";
  }

  /**
   * Formats a tag for messages, with its dictionary name where known: {@code (0028,0010) Rows}.
   *
   * @param tag a numeric tag
   * @return the formatted tag
   */
  public static String describe(int tag) {
    String hex = String.format(Locale.ROOT, "(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    for (DicomTag t : values()) {
      if (t.tag == tag) {
        return hex + " " + t.name();
      }
    }
    return hex;
  }
}
