/**
 * A seeded generator of chest-X-ray-like grey images with five findings whose signatures follow the
 * real ones (a wide heart, a fluid meniscus, a dense patch, perihilar haze, a shrunken lung with
 * mediastinal shift), and a writer of CheXpert-shaped data sets built from them, for demos and tests
 * that must run without downloading real data.
 */
package org.cleft.data.synthetic;
