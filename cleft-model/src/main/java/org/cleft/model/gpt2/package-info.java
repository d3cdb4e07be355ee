/** HuggingFace GPT-2 written once for every engine. */
package org.cleft.model.gpt2;
