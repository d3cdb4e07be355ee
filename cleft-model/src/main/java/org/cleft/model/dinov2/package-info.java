/** HuggingFace DINOv2 and DINOv2-with-registers written once for every engine. */
package org.cleft.model.dinov2;
