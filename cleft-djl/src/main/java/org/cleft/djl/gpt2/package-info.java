/** HuggingFace GPT-2 ({@code model_type gpt2}) on DJL ops. */
package org.cleft.djl.gpt2;
