/** HuggingFace DINOv2 and DINOv2-with-registers on DJL ops, with HF-exact position interpolation. */
package org.cleft.djl.dinov2;
