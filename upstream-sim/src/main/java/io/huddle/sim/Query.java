package io.huddle.sim;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request's query parameters, names and values URL-decoded (so {@code player_ids%5B%5D} is
 * {@code player_ids[]}). Number parsing answers 400 with a message naming the parameter.
 */
final class Query {
    private static final int MAX_SHOWN = 40;

    private final Map<String, List<String>> values;

    private Query(Map<String, List<String>> values) {
        this.values = values;
    }

    static Query parse(String rawQuery) {
        Map<String, List<String>> values = new HashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int equals = pair.indexOf('=');
                String name = decode(equals < 0 ? pair : pair.substring(0, equals));
                String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
                values.computeIfAbsent(name, key -> new ArrayList<>()).add(value);
            }
        }
        return new Query(values);
    }

    Optional<String> first(String name) {
        List<String> all = values.get(name);
        return all == null ? Optional.empty() : Optional.of(all.get(0));
    }

    /** Every value given under any of the names, in order. */
    List<String> all(String... names) {
        List<String> all = new ArrayList<>();
        for (String name : names) {
            all.addAll(values.getOrDefault(name, List.of()));
        }
        return all;
    }

    /** The parameter as an int, or 400 when it is absent or not a number. */
    int requiredInt(String name) {
        return first(name)
                .map(value -> parseInt(name, value))
                .orElseThrow(() -> new HttpProblem(400, name + " is required"));
    }

    Optional<Integer> optionalInt(String name) {
        return first(name).map(value -> parseInt(name, value));
    }

    Optional<Long> optionalLong(String name) {
        return first(name).map(value -> parseLong(name, value));
    }

    static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw notANumber(name, value);
        }
    }

    static long parseLong(String name, String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw notANumber(name, value);
        }
    }

    private static HttpProblem notANumber(String name, String value) {
        String shown = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "..." : value;
        return new HttpProblem(400, name + " must be a whole number, was '" + shown + "'");
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(400, "the query string is not correctly URL-encoded");
        }
    }
}
