/**
 * The CLEFT checkpoint format: HuggingFace model folders, peft adapters, projection heads and
 * {@code cleft.json}, with typed configs for {@code gpt2}, {@code dinov2}, {@code dinov2_with_registers}
 * and peft LoRA / IA3 / prefix tuning.
 */
package org.cleft.api.checkpoint;
