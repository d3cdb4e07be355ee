/** A zero-shot chest X-ray classifier that runs on whichever cleft backend is on the class path. */
package org.cleft.samples.zeroshot;
