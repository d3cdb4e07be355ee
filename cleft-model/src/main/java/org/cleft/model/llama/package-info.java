/** The LLaMA family of text towers ({@code llama}, {@code mistral}): Llama 2 / 3, Meditron, BioMistral, ... */
package org.cleft.model.llama;
