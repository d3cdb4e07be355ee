/**
 * The TensorFlow Java backend ({@code tf}): the model module's op set over TensorFlow graphs ({@code TfOps}), the
 * checkpoint's tensors fed to placeholders ({@code TfWeights}), and the encoders of a loaded checkpoint.
 */
package org.cleft.tf;
