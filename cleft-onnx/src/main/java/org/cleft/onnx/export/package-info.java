/** Export of a CLEFT checkpoint's towers to ONNX graphs, written in pure Java. */
package org.cleft.onnx.export;
