/**
 * Tokenisation of captions and prompts: HuggingFace {@code tokenizer.json} files, or GPT-2 style
 * {@code vocab.json} + {@code merges.txt}, loaded offline through DJL's HuggingFace tokenizers.
 */
package org.cleft.data.tokenize;
