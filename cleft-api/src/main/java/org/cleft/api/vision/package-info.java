/**
 * Pure-Java helpers for the image tower shared by every backend and the ONNX exporter: the exact
 * weights of PyTorch's bicubic interpolation, used to resize DINOv2 position embeddings.
 */
package org.cleft.api.vision;
