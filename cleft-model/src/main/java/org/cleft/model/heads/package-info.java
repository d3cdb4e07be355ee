/** The CLEFT heads (projections to the shared space and the temperature), written once for every engine. */
package org.cleft.model.heads;
