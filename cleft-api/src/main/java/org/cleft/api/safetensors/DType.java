package org.cleft.api.safetensors;

import java.util.Locale;

/** The element types of the safetensors format that cleft reads and writes. */
public enum DType {
  /** IEEE 754 binary32. */
  F32("F32", 4),
  /** IEEE 754 binary16 (half precision). */
  F16("F16", 2),
  /** bfloat16: the upper 16 bits of a binary32. */
  BF16("BF16", 2),
  /** IEEE 754 binary64. */
  F64("F64", 8),
  /** Signed 64-bit integer. */
  I64("I64", 8),
  /** Signed 32-bit integer. */
  I32("I32", 4),
  /** Signed 8-bit integer. */
  I8("I8", 1),
  /** Unsigned 8-bit integer. */
  U8("U8", 1),
  /** Boolean, one byte per element (0 is false, anything else true). */
  BOOL("BOOL", 1);

  private final String headerName;
  private final int byteSize;

  DType(String headerName, int byteSize) {
    this.headerName = headerName;
    this.byteSize = byteSize;
  }

  /** {@return bytes per element} */
  public int byteSize() {
    return byteSize;
  }

  /** {@return the name used in a safetensors header, for example {@code "BF16"}} */
  public String headerName() {
    return headerName;
  }

  /** {@return whether this is a floating-point type ({@code F32}, {@code F16}, {@code BF16}, {@code F64})} */
  public boolean isFloatingPoint() {
    return this == F32 || this == F16 || this == BF16 || this == F64;
  }

  /**
   * The type named {@code headerName} in a safetensors header.
   *
   * @param headerName a header dtype such as {@code "F32"}
   * @return the matching type
   * @throws IllegalArgumentException if the name is null or not a supported type
   */
  public static DType parse(String headerName) {
    if (headerName != null) {
      for (DType t : values()) {
        if (t.headerName.equals(headerName)) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException("unsupported safetensors dtype " + (headerName == null ? "null"
        : '"' + headerName + '"') + "; supported: " + supportedNames());
  }

  private static String supportedNames() {
    StringBuilder sb = new StringBuilder();
    for (DType t : values()) {
      sb.append(sb.length() == 0 ? "" : ", ").append(t.headerName);
    }
    return sb.toString().toUpperCase(Locale.ROOT);
  }
}
