package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knthumbnails.testsupport.BrowserForm;
import io.github.knthumbnails.testsupport.SharedTestData;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page as a person uses it (issue 12): the local stack, a real photo that succeeds and a PDF named
 * {@code .png} that fails, then {@code src/test/browser/status-page.mjs} in headless Chromium (playwright-core),
 * which sees the thumbnail and the reason, uploads a photo through the page and watches it become
 * {@code succeeded} without a reload, with no console error. Beside it, over plain HTTP: storage itself refuses
 * an upload larger than the policy allows.
 *
 * <p>Needs {@code node}, Chromium ({@code /usr/bin/chromium} or {@code CHROMIUM}) and {@code npm ci} run in
 * {@code src/test/browser}; without them the test is skipped, or fails under {@code THUMBNAILS_REQUIRE_TOOLS=true}
 * (as in CI, whose {@code .ci/run} installs them).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StatusPageBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCRIPTS = Path.of("src/test/browser");
    /** Small enough to make an oversized upload cheap, large enough for the shared photos. */
    private static final long MAX_IMAGE_BYTES = 3_000_000;

    private LocalStack stack;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dataDir) throws IOException {
        requireTools();
        stack = LocalStack.start(TestStacks.config(dataDir, Map.of("MAX_IMAGE_BYTES", String.valueOf(MAX_IMAGE_BYTES))),
                line -> { });
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void thePageShowsJobsAndTakesAnUploadLive(@TempDir Path work) throws Exception {
        Path photos = SharedTestData.require("testdata/photos");
        Path photo = photos.resolve("ianare__exif-org_canon-ixus.jpg");
        put("seeded/photo.jpg", Files.readAllBytes(photo), "image/jpeg");
        put("seeded/pdf_renamed.png", Files.readAllBytes(SharedTestData.require("testdata/edge/pdf_renamed.png")),
                "image/png");
        assertThat(awaitOutcome("seeded/photo.jpg")).isEqualTo("succeeded");
        assertThat(awaitOutcome("seeded/pdf_renamed.png")).isEqualTo("failed");

        Path screenshot = Path.of("target", "status-page.png");
        ProcessBuilder node = new ProcessBuilder("node", "status-page.mjs").directory(SCRIPTS.toFile())
                .redirectErrorStream(true);
        node.environment().putAll(Map.of(
                "STATUS_URL", stack.url("status").toString(),
                "SUCCEEDED_KEY", "seeded/photo.jpg",
                "FAILED_KEY", "seeded/pdf_renamed.png",
                "FAILED_REASON", "PDF",
                "PHOTO", photos.resolve("ianare__gps_DSCN0010.jpg").toAbsolutePath().toString(),
                "CHROMIUM", chromium(),
                "SCREENSHOT", screenshot.toAbsolutePath().toString()));
        Process process = node.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                process.getInputStream().transferTo(output);
            } catch (IOException e) {
                // the process ended
            }
        });
        reader.start();
        boolean ended = process.waitFor(3, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        reader.join(5_000);
        String log = output.toString(StandardCharsets.UTF_8);
        System.out.print(log);
        assertThat(ended).as("the browser test ends within 3 minutes").isTrue();
        assertThat(process.exitValue()).as(log).isZero();
        System.out.println("screenshot of the page: " + screenshot.toAbsolutePath());
    }

    @Test
    void storageRefusesAnUploadLargerThanThePolicyAllows() throws Exception {
        JsonNode policy = policy("too-big.jpg");
        assertThat(policy.path("maxBytes").asLong()).isEqualTo(MAX_IMAGE_BYTES);
        byte[] tooBig = new byte[(int) MAX_IMAGE_BYTES + 1];

        HttpResponse<String> refused = postForm(policy, tooBig);

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
        assertThat(refused.body()).contains("EntityTooLarge");
        String key = policy.path("key").asText();
        Assertions.assertThrows(ErrorResponseException.class, () -> TestStacks.s3(stack).statObject(
                StatObjectArgs.builder().bucket("images").object(key).build()), "nothing is stored");

        HttpResponse<String> accepted = postForm(policy("small.jpg"), Files.readAllBytes(
                SharedTestData.require("testdata/photos/ianare__exif-org_canon-ixus.jpg")));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(204);
    }

    private JsonNode policy(String filename) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.url("status").resolve("uploads"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("filename", filename,
                        "contentType", "image/jpeg")))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> postForm(JsonNode policy, byte[] file) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        policy.path("fields").properties().forEach(field -> fields.put(field.getKey(), field.getValue().asText()));
        return http.send(BrowserForm.post(policy.path("url").asText(), fields, file).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void put(String key, byte[] bytes, String contentType) throws Exception {
        TestStacks.s3(stack).putObject(PutObjectArgs.builder().bucket("images").object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType(contentType).build());
    }

    private String awaitOutcome(String key) throws Exception {
        URI uri = stack.url("status").resolve("status/images/"
                + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/"));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String status = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(),
                    HttpResponse.BodyHandlers.ofString());
            status = response.statusCode() == 200 ? JSON.readTree(response.body()).path("status").asText() : "";
            if (status.equals("succeeded") || status.equals("failed")) {
                return status;
            }
            Thread.sleep(100);
        }
        return status;
    }

    private static String chromium() {
        String configured = System.getenv("CHROMIUM");
        return configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured;
    }

    /** Skips without node, Chromium or the npm packages, or fails under THUMBNAILS_REQUIRE_TOOLS=true. */
    private static void requireTools() {
        boolean node = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "node")));
        String missing = !node ? "node is not on PATH (apt-get install nodejs)"
                : !Files.isExecutable(Path.of(chromium())) ? chromium() + " is missing (apt-get install chromium)"
                : !Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))
                        ? "playwright-core is not installed (npm ci --prefix " + SCRIPTS.toAbsolutePath() + ")" : null;
        if (missing != null && "true".equalsIgnoreCase(System.getenv("THUMBNAILS_REQUIRE_TOOLS"))) {
            Assertions.fail(missing + "; THUMBNAILS_REQUIRE_TOOLS=true requires it");
        }
        Assumptions.assumeTrue(missing == null, missing + ". Skipping the browser test.");
    }
}
