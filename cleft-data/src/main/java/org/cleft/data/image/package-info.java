/** Image decoding (PNG, JPEG, DICOM) to 8-bit images. */
package org.cleft.data.image;
