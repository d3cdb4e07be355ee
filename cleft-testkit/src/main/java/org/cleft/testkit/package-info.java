/** Reference fixtures (HuggingFace transformers + peft outputs) shared by the tests of every module. */
package org.cleft.testkit;
