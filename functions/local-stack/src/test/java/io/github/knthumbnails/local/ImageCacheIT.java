package io.github.knthumbnails.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.knthumbnails.coldstart.ImageRoot;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The AOT cache each function image ships (issue 10) is valid for the image it is in: run from the image's own
 * layers, the JVM maps the cache, validates the classpath against it and loads at least 95 % of the classes it
 * needs to become ready from it; and a jar changed after training is detected, not silently ignored.
 *
 * <p>Needs {@code functions/<function>/target/jib-layout.tar}, which {@code ./mvnw verify} builds when
 * {@code JDK25_HOME} names a JDK 25 (root pom, profile {@code aot}). Without it the test is skipped, or fails when
 * {@code THUMBNAILS_REQUIRE_TOOLS=true} (as in CI).
 */
class ImageCacheIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"resize", "status", "minio-source"})
    void theImagesCacheIsValidForItsLayoutAndServesTheClassesOfAStart(String function) throws Exception {
        ImageRoot image = ImageRoot.extract(layout(function), work.resolve("root"));
        Path classes = work.resolve("classes.txt");

        Run run = start(image, function, List.of("-XX:AOTMode=on", "-Xlog:aot=info",
                "-Xlog:class+load=info:file=" + classes));

        assertThat(run.ready).as("%s became ready from its image; its log:%n%s", function, run.log).isTrue();
        assertThat(run.log).contains("Opened AOT cache").contains("Using AOT-linked classes: true")
                .doesNotContain("mismatch").doesNotContain("not the one used while building");
        List<String> loaded = Files.readAllLines(classes).stream().filter(l -> l.contains("source: ")).toList();
        long fromCache = loaded.stream().filter(l -> l.contains("source: shared objects file")).count();
        assertThat(loaded).hasSizeGreaterThan(1000);
        assertThat((double) fromCache / loaded.size())
                .as("share of the %d classes %s loaded until ready that came from its AOT cache", loaded.size(),
                        function)
                .isGreaterThanOrEqualTo(0.95);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resize"})
    void aJarChangedAfterTrainingIsDetected(String function) throws Exception {
        ImageRoot image = ImageRoot.extract(layout(function), work.resolve("root"));
        // A rebuilt jar of the same size: only its modification time differs from what the cache recorded.
        try (var libs = Files.list(image.host("/app/libs"))) {
            Path jar = libs.filter(p -> p.getFileName().toString().startsWith("spring-core")).findFirst()
                    .orElseThrow();
            Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
        }

        Run run = start(image, function, List.of("-XX:AOTMode=on", "-Xlog:aot=info"));

        assertThat(run.ready).as("a JVM told to use the cache must refuse a changed classpath").isFalse();
        assertThat(run.exitCode).isNotZero();
        assertThat(run.log).contains("spring-core").containsAnyOf("timestamp has changed", "has been modified",
                "not the one used while building");
    }

    private static Path layout(String function) {
        Path tar = FunctionWiring.imageLayout(TestStacks.functions(), function);
        if (!Files.isRegularFile(tar)) {
            String why = tar + " is missing: build with JDK25_HOME set to a JDK 25 (`./mvnw verify`, profile aot)";
            if ("true".equals(System.getenv("THUMBNAILS_REQUIRE_TOOLS"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return tar;
    }

    /** Starts the image's command with extra JVM options, waits for readiness or exit (60 s), stops it. */
    private Run start(ImageRoot image, String function, List<String> jvmOptions) throws Exception {
        List<String> command = new ArrayList<>(image.command());
        command.addAll(1, jvmOptions);
        int port = TestStacks.freePort();
        Path log = work.resolve(function + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // Enough for each function to start; no request here reaches storage or the sink.
        builder.environment().putAll(Map.of("PORT", String.valueOf(port), "SERVER_ADDRESS", "127.0.0.1",
                "MINIO_ENDPOINT", "http://127.0.0.1:9", "MINIO_ACCESS_KEY", "cache-check",
                "MINIO_SECRET_KEY", "cache-check-secret", "UPLOAD_BUCKETS", "images", "THUMBNAILS_BUCKET",
                "thumbnails", "K_SINK", "http://127.0.0.1:9/"));
        Process process = builder.start();
        boolean ready = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try {
            while (!ready && process.isAlive() && System.nanoTime() < deadline) {
                ready = readinessAnswers(port);
                if (!ready) {
                    Thread.sleep(50);
                }
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        return new Run(ready, process.exitValue(), Files.readString(log));
    }

    private static boolean readinessAnswers(int port) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private record Run(boolean ready, int exitCode, String log) {
    }
}
