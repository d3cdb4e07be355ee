/**
 * Loaders for the public data sets the CLEFT paper uses (CheXpert, RSNA pneumonia, EMBED) and for a
 * MIMIC-CXR-style folder of images and reports, each yielding a
 * {@link org.cleft.data.manifest.LoadedDataset}: samples (image path, caption or report, labels) with
 * class names and a skip report. See {@code docs/data.md} for pointing them at the real downloads.
 */
package org.cleft.data.dataset;
