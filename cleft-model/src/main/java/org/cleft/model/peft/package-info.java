/**
 * peft adapters written once for every engine: LoRA, IA3 and prefix tuning, read and checked against the tower they
 * adapt ({@link org.cleft.model.peft.PeftAdapter}), applied unmerged at run time ({@link
 * org.cleft.model.peft.AdapterHook}, for training) or merged into the tower's weights (for deployment).
 */
package org.cleft.model.peft;
