/** The poolings of the CLEFT towers (mean of tokens, last token), written once for every engine. */
package org.cleft.model.pooling;
