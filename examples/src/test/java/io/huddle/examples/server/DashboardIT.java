package io.huddle.examples.server;

import static io.huddle.examples.server.ChatApiTest.get;
import static io.huddle.examples.server.ChatApiTest.q;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver},
 * which {@code .ci/run} installs), driven by Selenium with the driver's path given, so that nothing
 * is downloaded. Without the browser the test is skipped, unless {@code HUDDLE_REQUIRE_BROWSER} is
 * set (as CI sets it): then it fails.
 */
@DisplayName("The dashboard, in headless Chromium")
class DashboardIT {
    private static final Path CHROMIUM = Path.of(System.getProperty("huddle.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("huddle.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOT = Path.of("target", "dashboard.png");

    private static HuddleServer server;
    private static WebDriver browser;
    private static Path profile;

    @BeforeAll
    static void start() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER);
        if (!present && System.getenv("HUDDLE_REQUIRE_BROWSER") != null) {
            throw new IllegalStateException("HUDDLE_REQUIRE_BROWSER is set but " + CHROMIUM + " or " + DRIVER
                    + " is missing: install Debian's chromium and chromium-driver");
        }
        Assumptions.assumeTrue(present, "no Chromium at " + CHROMIUM + " with its driver at " + DRIVER);
        server = HuddleServer.start("--port", "0", "--latency-ms", "20", "--ahead", "off");
        profile = Files.createTempDirectory("huddle-chromium");
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--window-size=1280,1000",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (profile != null) {
            try (var paths = Files.walk(profile)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .map(Path::toFile)
                        .forEach(File::delete);
            }
        }
    }

    @Test
    @DisplayName("shows live figures that change with a burst of users and agree with /api/stats, and draws its charts")
    void liveFigures() throws Exception {
        browser.get(server.baseUrl() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.until(page -> "live".equals(text("connection")));
        long before = Long.parseLong(value("requests"));

        burst(60);

        JsonNode stats = get(server, "/api/stats").body();
        long requests = stats.path("total").path("requests").asLong();
        assertThat(requests).isGreaterThan(before);
        wait.until(page -> value("requests").equals(Long.toString(requests)));

        JsonNode shown = get(server, "/api/stats").body(); // what the page's last poll saw, as traffic stopped
        assertThat(Long.parseLong(value("calls-saved")))
                .isEqualTo(shown.path("total").path("upstreamCallsSaved").asLong());
        assertThat(Long.parseLong(value("coalesced")))
                .isEqualTo(shown.path("total").path("coalesced").asLong());
        assertThat(Long.parseLong(value("upstream-calls")))
                .isEqualTo(shown.path("total").path("upstreamCalls").asLong());
        assertThat(Double.parseDouble(value("hit-rate")))
                .isCloseTo(shown.path("total").path("hitRate").asDouble(), within(1e-9));
        assertThat(Double.parseDouble(value("avoidance-rate")))
                .isCloseTo(shown.path("total").path("upstreamAvoidanceRate").asDouble(), within(1e-9));
        assertThat(Long.parseLong(value("plan"))).isEqualTo(60);
        assertThat(Long.parseLong(value("upstream-per-minute"))).isPositive();
        assertThat(text("hit-rate")).endsWith("%");
        assertThat(text("state-redis")).isEqualTo("off");
        assertThat(text("state-upstream")).isEqualTo("up");
        assertThat(text("status")).isEqualTo("up");
        assertThat(browser.findElements(By.cssSelector("#kinds tbody tr")))
                .extracting(row -> row.findElement(By.tagName("td")).getText())
                .contains("player-id", "stats");

        wait.until(
                page -> browser.findElements(By.cssSelector(".charts canvas")).size() >= 3);
        String lastPoll = browser.findElement(By.id("updated")).getAttribute("data-at");
        wait.until(
                page -> !lastPoll.equals(browser.findElement(By.id("updated")).getAttribute("data-at")));
        // one more poll drawn: the charts have a line to show in the screenshot
        Files.createDirectories(SCREENSHOT.getParent());
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

    @Test
    @DisplayName("computes its rates from two answers the way the page shows them")
    void pageLogic() {
        Map<String, Object> earlier = answer("2026-12-02T10:00:00Z", 0, 0, 0, 0, 0, 0);
        Map<String, Object> later = answer("2026-12-02T10:00:02Z", 10, 6, 1, 1, 1, 1);
        browser.get(server.baseUrl() + "/");

        @SuppressWarnings("unchecked")
        Map<String, Object> step = (Map<String, Object>)
                script("return HuddleDashboard.interval(arguments[0], arguments[1]);", earlier, later);

        assertThat(((Number) step.get("requestsPerSecond")).doubleValue()).isEqualTo(5.0);
        assertThat(((Number) step.get("hitRate")).doubleValue()).isCloseTo(0.8, within(1e-9));
        assertThat(((Number) step.get("avoidanceRate")).doubleValue()).isCloseTo(0.9, within(1e-9));
        assertThat(script("return HuddleDashboard.percent(0.12345);")).isEqualTo("12.3%");
        assertThat(script("return HuddleDashboard.percent(null);")).isEqualTo("-");
        assertThat(script("return HuddleDashboard.count(1234567);")).isEqualTo("1,234,567");
        assertThat(((Number) script(
                                "var h = new HuddleDashboard.History(3);"
                                        + " for (var i = 0; i < 5; i++) { h.add(null, arguments[0]); }"
                                        + " return h.size();",
                                later))
                        .intValue())
                .isEqualTo(3);
        Map<String, Object> quiet = answer("2026-12-02T10:00:04Z", 10, 6, 1, 1, 1, 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> none = (Map<String, Object>)
                script("return HuddleDashboard.interval(arguments[0], arguments[1]);", later, quiet);
        assertThat(none.get("hitRate")).isNull();
    }

    private static Map<String, Object> answer(
            String at, long requests, long hits, long negativeHits, long stale, long coalesced, long misses) {
        return Map.of(
                "at",
                at,
                "total",
                Map.of(
                        "requests", requests,
                        "hits", hits,
                        "negativeHits", negativeHits,
                        "stale", stale,
                        "coalesced", coalesced,
                        "misses", misses),
                "upstream",
                Map.of("requestsLastMinute", 3, "planPerMinute", 60));
    }

    /** Users asking at once: comparisons of a few pairs and single lookups, every answer a 200. */
    private static void burst(int users) throws Exception {
        String[][] pairs = {
            {"Josh Allen", "Lamar Jackson"}, {"Patrick Mahomes", "Justin Jefferson"}, {"Micah Parsons", "Myles Garrett"}
        };
        ExecutorService threads = Executors.newFixedThreadPool(20);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int user = 0; user < users; user++) {
                String[] pair = pairs[user % pairs.length];
                answers.add(threads.submit(() -> get(server, "/api/compare?a=" + q(pair[0]) + "&b=" + q(pair[1]))
                        .status()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static String value(String id) {
        return browser.findElement(By.id(id)).getAttribute("data-value");
    }

    private static Object script(String code, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(code, args);
    }
}
