/** The ONNX Runtime backend: runs exported CLEFT towers for inference on CPU or CUDA. */
package org.cleft.onnx;
