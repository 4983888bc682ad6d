package io.huddle.benchmarks;

import java.util.HashMap;
import java.util.Map;

/** Reading the workers' protocol lines: words separated by spaces, fields as {@code name=value}. */
final class ProtocolLines {
    private ProtocolLines() {}

    /** The words of a line, leading and trailing blanks ignored. */
    static String[] words(String line) {
        return line.strip().split(" +");
    }

    /** The {@code name=value} words from {@code from} on, by name. */
    static Map<String, String> fields(String[] words, int from) {
        Map<String, String> fields = new HashMap<>();
        for (int i = from; i < words.length; i++) {
            int equals = words[i].indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("'" + words[i] + "' is not name=value");
            }
            fields.put(words[i].substring(0, equals), words[i].substring(equals + 1));
        }
        return fields;
    }

    /** The value of a field that must be there. */
    static String field(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no " + name + "=");
        }
        return value;
    }

    static long longField(Map<String, String> fields, String name) {
        return Long.parseLong(field(fields, name));
    }

    static void requireWords(String[] words, int count) {
        if (words.length != count) {
            throw new IllegalArgumentException("expected " + count + " words");
        }
    }

    /** At most 200 characters of the text, for messages. */
    static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
