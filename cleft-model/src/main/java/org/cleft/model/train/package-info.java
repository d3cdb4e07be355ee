/** What the CLEFT training stages share across engines on the model side: which parameters train. */
package org.cleft.model.train;
