/**
 * The engine-neutral model description: the op set every engine implements ({@link org.cleft.model.Ops}), the
 * weights it loads ({@link org.cleft.model.Weights}), and, in sub-packages, the parts of a CLEFT model written once
 * against them.
 */
package org.cleft.model;
