package org.cleft.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportJsonTest {
  @Test
  void nonFiniteNumbersAreNullNeverStrings() throws Exception {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("auc", Double.NaN);
    doc.put("p", 0.25);
    doc.put("f", Float.POSITIVE_INFINITY);
    doc.put("row", new double[] {1.5, Double.NaN});
    String json = ReportJson.MAPPER.writeValueAsString(doc).replaceAll("\\s", "");
    assertThat(json).isEqualTo("{\"auc\":null,\"p\":0.25,\"f\":null,\"row\":[1.5,null]}");
  }
}
