package org.cleft.model.peft;

/**
 * A linear module of a tower that a peft adapter may wrap.
 *
 * @param name the module's dotted name as peft names it, without wrapper prefixes ({@code h.0.attn.c_attn})
 * @param in the input width
 * @param out the output width
 * @param inputMajor whether the checkpoint stores its weight [in, out] (HF {@code Conv1D}) rather than [out, in]
 */
public record AdaptableModule(String name, int in, int out, boolean inputMajor) {}
