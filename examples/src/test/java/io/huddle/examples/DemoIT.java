package io.huddle.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs the packaged demo as a user would, in its own JVM, and checks the numbers it prints. */
@DisplayName("The packaged demo")
class DemoIT {
    private static final Path JAR = Path.of("target", "huddle-demo.jar");
    private static final Pattern ROW = Pattern.compile("^\\s*([\\d,]+) \\|\\s+([\\d,]+) \\|\\s+([\\d,]+) \\|.*$");

    /** One row of the multi-user table. */
    record Row(long users, long without, long with) {}

    @Test
    @DisplayName("shows 1000 users costing what one user costs with Huddle, and without it costs growing with users")
    void caffeine() throws Exception {
        List<String> output = runDemo("--users", "10,100,1000");

        assertThat(output).anyMatch(line -> line.startsWith("First comparison"));
        long firstWith = firstComparisonWithHuddle(output);
        assertThat(firstWith).isEqualTo(34); // the team list, 32 rosters, one batch of stats

        List<Row> rows = multiUserRows(output);
        String printed = String.join("\n", output);
        assertThat(rows).as(printed).extracting(Row::users).containsExactly(10L, 100L, 1000L);
        assertThat(rows).as(printed).allSatisfy(row -> assertThat(row.with()).isEqualTo(firstWith));
        assertThat(rows).as(printed).allSatisfy(row -> assertThat(row.without()).isEqualTo(row.users() * firstWith));
        assertThat(output).anyMatch(line -> line.contains("synthetic"));
        assertThat(output).anyMatch(line -> line.startsWith("Cached players"));
        Row last = rows.get(rows.size() - 1);
        assertThat(statistic(output, "Upstream calls saved"))
                .as("the engine's own count of calls saved agrees with the measured difference")
                .isEqualTo(last.without() - last.with());
    }

    @Test
    @DisplayName("runs on Ehcache with name search on: a cold comparison costs 3 calls for any number of users")
    void ehcacheWithNameSearch() throws Exception {
        List<String> output = runDemo("--backend", "ehcache", "--name-search", "on", "--users", "10,100");

        assertThat(firstComparisonWithHuddle(output)).isEqualTo(3);
        assertThat(multiUserRows(output)).containsExactly(new Row(10, 30, 3), new Row(100, 300, 3));
    }

    @Test
    @DisplayName("refuses a bad option with a clear message and exit code 2")
    void badOption() throws Exception {
        Process demo = start("--backend", "memcached");
        String err = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(demo.exitValue()).isEqualTo(2);
        assertThat(err)
                .contains("--backend must be caffeine, ehcache, redis or near, was 'memcached'")
                .contains("usage:");
    }

    private static List<String> runDemo(String... args) throws Exception {
        Process demo = start(args);
        List<String> output =
                List.of(new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        assertThat(demo.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(demo.exitValue()).as(String.join("\n", output)).isZero();
        return output;
    }

    private static Process start(String... args) throws IOException {
        assertThat(Files.exists(JAR))
                .as("the demo jar is packaged before integration tests")
                .isTrue();
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true) // progress lines go to stderr; they never match a table row
                .start();
    }

    private static long firstComparisonWithHuddle(List<String> output) {
        String line = output.stream()
                .filter(l -> l.startsWith("First comparison"))
                .findFirst()
                .orElseThrow();
        return number(line.split("\\|")[2]);
    }

    private static List<Row> multiUserRows(List<String> output) {
        List<Row> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : output) {
            if (line.startsWith("2. ")) {
                inTable = true;
            } else if (inTable && line.isBlank()) {
                break;
            } else if (inTable) {
                Matcher row = ROW.matcher(line);
                if (row.matches()) {
                    rows.add(new Row(number(row.group(1)), number(row.group(2)), number(row.group(3))));
                }
            }
        }
        return rows;
    }

    private static long statistic(List<String> output, String name) {
        String line =
                output.stream().filter(l -> l.startsWith(name)).findFirst().orElseThrow();
        return number(line.substring(line.lastIndexOf('|') + 1));
    }

    private static long number(String cell) {
        return Long.parseLong(cell.strip().replace(",", ""));
    }
}
