/**
 * Image files as cleft reads them: {@link org.cleft.data.files.ImageFiles} decodes DICOM, PNG, JPEG and TIFF, told
 * apart by their bytes, and {@link org.cleft.data.files.FilePreprocessor} serves the one-call methods of {@code
 * org.cleft.api.CleftModel} ({@code model.classify(path)}) with it and the evaluation pipeline.
 */
package org.cleft.data.files;
