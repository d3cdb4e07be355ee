/**
 * A small pure-Java DICOM reader and writer: enough of PS3.5 / PS3.10 to read the images of public
 * chest X-ray and mammography data sets (RSNA pneumonia, EMBED) into {@link org.cleft.data.image.UInt8Image}.
 *
 * <p>Supported: Part 10 files with or without the 128-byte preamble, files with no file meta group,
 * Explicit VR Little Endian, Implicit VR Little Endian, sequences of defined and undefined length at any
 * depth (skipped), native pixel data (8/16 bits, signed or unsigned, any BitsStored/HighBit), baseline
 * JPEG (1.2.840.10008.1.2.4.50, decoded with {@code javax.imageio}), Modality LUT (rescale slope and
 * intercept), the linear VOI LUT (window centre/width; min-max scaling when absent), MONOCHROME1,
 * RGB with either planar configuration, and the first frame of multi-frame images. Any other transfer
 * syntax fails with {@link org.cleft.data.dicom.UnsupportedTransferSyntaxException}; a corrupt or
 * truncated file fails with {@link org.cleft.data.dicom.DicomFormatException} naming the file, the byte
 * offset and the tag.
 *
 * <p>Why our own reader: in November 2026 no maintained pure-Java DICOM library resolved from Maven
 * Central. Tried with {@code mvn dependency:get}: {@code org.dcm4che:dcm4che-core:5.33.1} and
 * {@code 3.3.8} (dcm4che publishes only to its own repository), {@code dcm4che:dcm4che-core:2.0.29},
 * {@code com.pixelmed:pixelmed:20240204} (PixelMed is distributed from its own site), and
 * {@code org.weasis:weasis-dicom-tools:5.31.2.0} (Weasis' own repository): all absent.
 * {@code net.imagej:ij:1.54f} resolves and contains a DICOM reader, but it is a whole desktop
 * application (AWT, plugins) whose reader decodes into ImageJ types, so a ~1,000-line reader of our own
 * with clear errors and a decompression-bomb guard was the smaller dependency.
 */
package org.cleft.data.dicom;
