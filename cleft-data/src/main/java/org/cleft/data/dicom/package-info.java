/**
 * A pure-Java DICOM reader and writer: enough of PS3.5 / PS3.10 to read the images archives hold into
 * {@link org.cleft.data.image.UInt8Image} (display values) or {@link org.cleft.data.dicom.DicomPixels} (rescaled).
 *
 * <p>Supported: Part 10 files with or without the 128-byte preamble, files with no file meta group,
 * Implicit and Explicit VR Little Endian, Explicit VR Big Endian, Deflated Explicit VR Little Endian, an implicit
 * VR body under an explicit syntax (an encoder quirk pydicom tolerates), sequences of defined and undefined length
 * at any depth (skipped, except the lookup-table sequences); pixel data native (1, 8, 16 or 32 bits, signed or
 * unsigned, any BitsStored/HighBit),
 * RLE Lossless, JPEG Baseline and Extended at 8 bits (the JDK's reader) and Extended at 12 bits (grey, cleft's own
 * sequential DCT decoder, {@code JpegDctDecoder}), JPEG Lossless Process 14 and 14 SV1 at
 * any precision (TwelveMonkeys), JPEG 2000 lossless and lossy (jai-imageio's jj2000, after repairing tile-part
 * counts one short, an old GDCM encoder's bug that jj2000 would decode silently wrong), JPEG-LS lossless and
 * near-lossless in every interleave mode (cleft's own decoder, {@code JpegLsDecoder}: no pure-Java JPEG-LS decoder is
 * published on Maven Central); MONOCHROME1/2, RGB with either
 * planar configuration, YBR_FULL and YBR_FULL_422 (to RGB), PALETTE COLOR (through its tables, to RGB), the Modality
 * LUT (the Modality LUT Sequence's table, else rescale slope and intercept), the VOI LUT (the VOI LUT Sequence's
 * table, preferred as pydicom does, else the linear window centre/width; min-max scaling when neither is present;
 * {@link org.cleft.data.dicom.LookupTable}), and the first frame of multi-frame images, or any
 * other with {@link org.cleft.data.dicom.DicomReader#frame(int)}. Every
 * syntax is checked against pydicom on files written by dcmtk and GDCM ({@code InteropDicomTest},
 * {@code tools/dicom-interop}). Not decoded, each refused by name with the workaround: 12-bit colour or progressive
 * JPEG, High-Throughput JPEG 2000, JPEG-LS mapping tables and restart
 * intervals (rare), segmented palette tables, video. A file without pixel data says "no pixel data (SOP class ...)"; a
 * corrupt or truncated file
 * fails with {@link org.cleft.data.dicom.DicomFormatException} naming the file, the byte offset and the tag.
 *
 * <p>Why our own reader: in November 2026 no maintained pure-Java DICOM library resolved from Maven
 * Central. Tried with {@code mvn dependency:get}: {@code org.dcm4che:dcm4che-core:5.33.1} and
 * {@code 3.3.8} (dcm4che publishes only to its own repository), {@code dcm4che:dcm4che-core:2.0.29},
 * {@code com.pixelmed:pixelmed:20240204} (PixelMed is distributed from its own site), and
 * {@code org.weasis:weasis-dicom-tools:5.31.2.0} (Weasis' own repository): all absent.
 * {@code net.imagej:ij:1.54f} resolves and contains a DICOM reader, but it is a whole desktop
 * application (AWT, plugins) whose reader decodes into ImageJ types, so a reader of our own with clear errors
 * and a decompression-bomb guard was the smaller dependency. The codecs are libraries: TwelveMonkeys ImageIO for
 * lossless JPEG, {@code com.github.jai-imageio:jai-imageio-jpeg2000:1.4.0} for JPEG 2000 (its upstream is no
 * longer developed, but it is the pure-Java JPEG 2000 decoder on Maven Central and decodes every JPEG 2000 fixture
 * exactly; the alternatives wrap native OpenJPEG).
 */
package org.cleft.data.dicom;
