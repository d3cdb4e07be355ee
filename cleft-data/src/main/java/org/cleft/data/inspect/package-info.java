/** The logic behind {@code cleft data inspect}: load a data set or manifest and report what is usable. */
package org.cleft.data.inspect;
