package io.huddle.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The README's code is the code the build compiles")
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final Path SNIPPETS = Path.of("src/test/java/io/huddle/examples/ReadmeSnippets.java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile(
            "^[ \\t]*// README: ([\\w-]+)\\n(.*?)^[ \\t]*// README end\\n", Pattern.DOTALL | Pattern.MULTILINE);

    @Test
    @DisplayName("the README's java blocks are the regions of ReadmeSnippets, in order")
    void blocksAreRegions() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(Files.readString(README));
        while (block.find()) {
            blocks.add(block.group(1));
        }
        Map<String, String> regions = new LinkedHashMap<>();
        Matcher region = REGION.matcher(Files.readString(SNIPPETS));
        while (region.find()) {
            regions.put(region.group(1), dedent(region.group(2)));
        }

        assertThat(blocks).as("java blocks in the README").isNotEmpty();
        assertThat(regions.values())
                .as("the README's java blocks, each as compiled in ReadmeSnippets")
                .containsExactlyElementsOf(blocks);
    }

    @Test
    @DisplayName("a region is compared without its indentation")
    void dedents() {
        assertThat(dedent("        a(\n            b);\n\n        c;\n")).isEqualTo("a(\n    b);\n\nc;\n");
    }

    /** The lines without the indentation they all share (blank lines aside). */
    static String dedent(String text) {
        List<String> lines = text.lines().toList();
        int common = lines.stream()
                .filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(common)).append('\n');
        }
        return out.toString();
    }
}
