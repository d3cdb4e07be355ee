/**
 * The {@code djl} backend: CLEFT on DJL's PyTorch engine (CPU natives from Maven Central; CUDA with a
 * user-supplied libtorch). Found through {@link org.cleft.djl.DjlBackendProvider}.
 */
package org.cleft.djl;
