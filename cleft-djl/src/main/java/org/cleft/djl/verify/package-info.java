/** Runs reference fixtures through the DJL backend and compares the tensors with the expected ones. */
package org.cleft.djl.verify;
