package org.cleft.data.manifest;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A CSV file read with RFC 4180 rules: comma-separated, fields optionally in double quotes, a quote
 * inside a quoted field doubled, line breaks (LF or CRLF) allowed inside quotes. The first record is
 * the header. A UTF-8 byte-order mark is ignored.
 */
public final class CsvTable {
  private final Path file;
  private final List<String> header;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<Record> records;

  /**
   * One data record.
   *
   * @param line the 1-based line number where the record starts
   * @param fields the fields as read (quotes removed)
   */
  public record Record(int line, List<String> fields) {
  }

  private CsvTable(Path file, List<String> header, List<Record> records) {
    this.file = file;
    this.header = List.copyOf(header);
    this.records = List.copyOf(records);
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(header.get(i).trim(), i);
    }
  }

  /**
   * Reads a whole CSV file.
   *
   * @param file the file
   * @return the table
   * @throws ManifestFormatException when the file is missing, empty, or has an unterminated quote
   * @throws UncheckedIOException when it cannot be read
   */
  public static CsvTable read(Path file) {
    String text = ManifestText.read(file);
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    List<Record> all = parse(file, text);
    if (all.isEmpty()) {
      throw new ManifestFormatException(file, "empty CSV: no header line");
    }
    return new CsvTable(file, all.get(0).fields(), all.subList(1, all.size()));
  }

  private static List<Record> parse(Path file, String text) {
    List<Record> out = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    boolean quoted = false;
    boolean any = false;
    int quoteLine = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
        continue;
      }
      if (c == '"' && field.length() == 0) {
        quoted = true;
        quoteLine = line;
        any = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        any = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        if (any || field.length() > 0) {
          fields.add(field.toString());
          out.add(new Record(recordLine, List.copyOf(fields)));
        }
        fields.clear();
        field.setLength(0);
        any = false;
        line++;
        recordLine = line;
      } else {
        field.append(c);
        any = true;
      }
    }
    if (quoted) {
      throw new ManifestFormatException(file, "unterminated quoted field starting on line " + quoteLine);
    }
    if (any || field.length() > 0) {
      fields.add(field.toString());
      out.add(new Record(recordLine, List.copyOf(fields)));
    }
    return out;
  }

  /**
   * The file read.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }

  /**
   * The header fields.
   *
   * @return the column names, in order
   */
  public List<String> header() {
    return header;
  }

  /**
   * The data records (blank lines are not records).
   *
   * @return records in file order
   */
  public List<Record> records() {
    return records;
  }

  /**
   * The position of a column.
   *
   * @param name a header name (surrounding spaces ignored)
   * @return its index, or empty
   */
  public Optional<Integer> column(String name) {
    return Optional.ofNullable(index.get(name));
  }

  /**
   * The position of a column that must exist.
   *
   * @param name a header name
   * @return its index
   * @throws ManifestFormatException naming the file, the column and the columns present
   */
  public int requireColumn(String name) {
    return column(name).orElseThrow(() -> new ManifestFormatException(file,
        "missing column '" + name + "' (columns: " + String.join(", ", header) + ")"));
  }
}
