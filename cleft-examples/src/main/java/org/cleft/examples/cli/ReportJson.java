package org.cleft.examples.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * The JSON writer of the command line's reports: numbers stay numbers, and a value that is not finite (an AUC
 * of a class without positives, say) is written as {@code null}, never as the string {@code "NaN"} that
 * Jackson writes by default.
 */
public final class ReportJson {
  /** Indented JSON with non-finite numbers as null. */
  public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .registerModule(new SimpleModule("cleft-finite")
          .addSerializer(Double.class, new FiniteDouble())
          .addSerializer(double.class, new FiniteDouble())
          .addSerializer(Float.class, new FiniteFloat())
          .addSerializer(float.class, new FiniteFloat())
          .addSerializer(double[].class, new FiniteDoubles())
          .addSerializer(float[].class, new FiniteFloats()));

  private ReportJson() {}

  /** A double as a JSON number, or null when it is not finite. */
  private static void write(double value, JsonGenerator gen) throws IOException {
    if (Double.isFinite(value)) {
      gen.writeNumber(value);
    } else {
      gen.writeNull();
    }
  }

  private static final class FiniteDouble extends JsonSerializer<Double> {
    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      write(value, gen);
    }
  }

  private static final class FiniteFloat extends JsonSerializer<Float> {
    @Override
    public void serialize(Float value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      write(value, gen);
    }
  }

  private static final class FiniteDoubles extends JsonSerializer<double[]> {
    @Override
    public void serialize(double[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartArray();
      for (double v : values) {
        write(v, gen);
      }
      gen.writeEndArray();
    }
  }

  private static final class FiniteFloats extends JsonSerializer<float[]> {
    @Override
    public void serialize(float[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeStartArray();
      for (float v : values) {
        write(v, gen);
      }
      gen.writeEndArray();
    }
  }
}
