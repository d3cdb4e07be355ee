/** peft adapters for the GPT-2 tower: LoRA, IA3 and prefix tuning. */
package org.cleft.djl.peft;
