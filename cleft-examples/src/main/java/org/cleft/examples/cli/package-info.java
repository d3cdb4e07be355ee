/**
 * The {@code cleft} command line: {@code cleft verify} runs a reference fixture through a backend
 * and compares every tensor with the HuggingFace reference, {@code cleft data inspect} and
 * {@code cleft data bench} front the data tools of {@code cleft-data}. Entry point:
 * {@link org.cleft.examples.cli.CleftCli}.
 */
package org.cleft.examples.cli;
