package simil.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The CSV files of {@code simil compare --pairs}: RFC 4180 (fields separated by commas, quoted with double quotes
 * when they hold a comma, a quote or a line break; a quote inside doubled), read as UTF-8 with LF or CRLF lines.
 * The input has two columns, a and b (image paths), and may start with the header line {@code a,b}; the output
 * adds probability and verdict.
 */
final class PairsCsv {
    private PairsCsv() {}

    /** A pair as read, with the line it starts on (1-based) for messages. */
    record Pair(String a, String b, int line) {}

    /** The pairs of {@code file}; one line naming the file and line when it is not a CSV of two columns. */
    static List<Pair> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("cannot read " + file + ": not UTF-8 text");
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (text.startsWith("\uFEFF")) text = text.substring(1); // a byte-order mark, as spreadsheets write
        List<Pair> pairs = new ArrayList<>();
        int n = text.length(), pos = 0, line = 1;
        while (pos < n) {
            int recordLine = line;
            List<String> fields = new ArrayList<>();
            while (true) {
                StringBuilder field = new StringBuilder();
                if (pos < n && text.charAt(pos) == '"') {
                    pos++;
                    while (true) {
                        if (pos >= n) throw new IllegalArgumentException(file + " line " + recordLine + ": a quoted field is not closed");
                        char c = text.charAt(pos++);
                        if (c != '"') {
                            if (c == '\n') line++;
                            field.append(c);
                        } else if (pos < n && text.charAt(pos) == '"') {
                            field.append('"');
                            pos++;
                        } else {
                            break;
                        }
                    }
                    if (pos < n && ",\r\n".indexOf(text.charAt(pos)) < 0) {
                        throw new IllegalArgumentException(file + " line " + line + ": text after a quoted field");
                    }
                } else {
                    while (pos < n && ",\r\n".indexOf(text.charAt(pos)) < 0) field.append(text.charAt(pos++));
                }
                fields.add(field.toString());
                if (pos < n && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                if (pos < n && text.charAt(pos) == '\r') pos++;
                if (pos < n && text.charAt(pos) == '\n') pos++;
                line++;
                break;
            }
            boolean blank = fields.size() == 1 && fields.get(0).isEmpty();
            if (!blank) add(file, pairs, fields, recordLine);
        }
        if (pairs.isEmpty()) throw new IllegalArgumentException(file + ": no pairs (expected lines of two image paths a,b)");
        return pairs;
    }

    private static void add(Path file, List<Pair> pairs, List<String> fields, int line) {
        if (fields.size() != 2) {
            throw new IllegalArgumentException(file + " line " + line + ": " + fields.size() + " column" + (fields.size() == 1 ? "" : "s")
                    + ", expected 2 (a,b: two image paths)");
        }
        boolean header = line == 1 && fields.get(0).strip().equalsIgnoreCase("a") && fields.get(1).strip().equalsIgnoreCase("b");
        if (header) return;
        if (fields.get(0).isEmpty() || fields.get(1).isEmpty()) throw new IllegalArgumentException(file + " line " + line + ": an empty image path");
        pairs.add(new Pair(fields.get(0), fields.get(1), line));
    }

    /** The output: a header line, then one line per pair, in the input's order. */
    static String write(List<Pair> pairs, float[] probabilities, float threshold) {
        StringBuilder out = new StringBuilder("a,b,probability,verdict\n");
        for (int k = 0; k < pairs.size(); k++) {
            Pair p = pairs.get(k);
            out.append(field(p.a())).append(',').append(field(p.b())).append(',')
                    .append(String.format(Locale.ROOT, "%.6f", probabilities[k])).append(',')
                    .append(probabilities[k] >= threshold ? "similar" : "dissimilar").append('\n');
        }
        return out.toString();
    }

    /** A field as CSV writes it: quoted when it must be. */
    static String field(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) return value;
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
