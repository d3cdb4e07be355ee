package org.cleft.data.dicom;

/**
 * One top-level data element as read from a file.
 *
 * @param tag the numeric tag, {@code (group << 16) | element}
 * @param vr the value representation (from the file, or the dictionary for implicit VR)
 * @param value the raw little-endian value bytes
 * @param offset the byte offset of the element's tag in the file (for error messages)
 */
public record DicomElement(int tag, String vr, byte[] value, long offset) {
}
