/**
 * The engine-neutral contract suites: abstract JUnit 5 classes written once and subclassed by every backend's
 * tests ({@link org.cleft.testkit.contract.InferenceContract}).
 */
package org.cleft.testkit.contract;
