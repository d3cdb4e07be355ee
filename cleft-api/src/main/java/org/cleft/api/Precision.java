package org.cleft.api;

/** Floating-point precision of a backend's computation. */
public enum Precision {
  /** 32-bit floats: the default, and the precision the parity tests hold to. */
  FP32,
  /** 16-bit IEEE floats (GPU only, where a backend supports it). */
  FP16,
  /** bfloat16 (refused by backends that cannot run it safely, such as DJL). */
  BF16
}
