/**
 * Image transforms of the reference CLEFT pipeline on {@link org.cleft.data.image.UInt8Image}:
 * OpenCV {@code INTER_AREA} resizing with zero padding, Otsu cropping, PIL's antialiased bilinear
 * resampling, centre and random resized crops, flips, and conversion to normalised CHW tensors.
 * Random transforms draw only from the generator they are given, so a seed fixes their output.
 */
package org.cleft.data.transform;
