package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, supervision, on a real local stack (embedded S3, the Broker, the three function jars as processes):
 * resize killed with SIGKILL mid-burst (the Broker retries what it had in flight; afterwards every upload of the
 * burst is terminal and the thumbnails bucket holds exactly one rendition and one job record per upload), and
 * resize stopped with SIGSTOP (alive but deaf, so only its liveness probe can tell),
 * are restarted on their port and the pipeline finishes every upload; closing the stack while a restart waits out
 * its delay restarts nothing. One stack for all three (each start costs three JVM starts); the probe runs every
 * 500 ms (2 s timeout, threshold 2) so that a stopped process is found in seconds, the restart delays are the
 * defaults.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SupervisionIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Bounds each wait of the test; not a target. The target (every upload of the burst terminal within
     * 60 s of the SIGKILL) is printed, not asserted: a JVM start on a loaded 2-core machine can take 50 s.
     */
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final Supervisor.Settings FAST_PROBES = new Supervisor.Settings(Duration.ofMillis(500),
            Duration.ofSeconds(2), 2, Supervisor.Settings.DEFAULTS.initialBackoff(),
            Supervisor.Settings.DEFAULTS.maxBackoff(), Supervisor.Settings.DEFAULTS.resetAfter(),
            Duration.ofSeconds(1), Supervisor.Settings.DEFAULTS.readyTimeout());

    private LocalStack stack;
    private MinioClient s3;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dataDir) throws IOException {
        stack = LocalStack.start(TestStacks.config(dataDir), FAST_PROBES, line -> { });
        s3 = TestStacks.s3(stack);
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void resizeKilledMidBurstIsRestartedAndEveryUploadSucceeds() throws Exception {
        List<String> burst = new ArrayList<>();
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add("burst/" + i + ".png");
            images.add(png(i));
        }
        CompletableFuture<Void> uploads = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < burst.size(); i++) {
                    put(burst.get(i), images.get(i));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitTerminal(List.of(burst.get(0)), DEADLINE);
        Process killed = stack.process("resize");

        long t0 = System.nanoTime();
        killed.toHandle().destroyForcibly();
        long terminalAtKill = burst.stream().map(this::statusQuietly)
                .filter(status -> "succeeded".equals(status) || "failed".equals(status)).count();
        stack.awaitReady("resize", DEADLINE);
        uploads.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        long readyMillis = (System.nanoTime() - t0) / 1_000_000;
        Map<String, String> outcomes = awaitTerminal(burst, DEADLINE);
        System.out.printf("SIGKILL of resize with %d of %d uploads terminal: ready again after %d ms, all terminal"
                + " %d ms after the kill (issue 9 target: 60000 ms)%n", terminalAtKill, burst.size(), readyMillis,
                (System.nanoTime() - t0) / 1_000_000);

        assertThat(terminalAtKill).as("uploads of the burst already terminal when resize was killed")
                .isLessThan(burst.size());
        assertThat(killed.isAlive()).isFalse();
        assertThat(stack.restarts("resize")).isEqualTo(1);
        assertThat(stack.process("resize").pid()).isNotEqualTo(killed.pid());
        assertThat(outcomes).allSatisfy((key, status) -> assertThat(status).as(key).isEqualTo("succeeded"));
        PipelineProbe probe = new PipelineProbe(stack);
        assertThat(probe.thumbnailObjects("renditions/")).as("one rendition per upload, nothing duplicated or extra")
                .containsExactlyElementsOf(burst.stream().map(key -> "renditions/thumb/images/" + key).sorted()
                        .toList());
        assertThat(probe.thumbnailObjects("jobs/")).as("one job record per upload")
                .containsExactlyElementsOf(burst.stream().map(key -> "jobs/images/" + key).sorted().toList());
        put("after-kill.png", png(100));
        assertThat(awaitTerminal(List.of("after-kill.png"), DEADLINE)).containsValue("succeeded");
    }

    @Test
    @Order(2)
    void aStoppedResizeFailsItsLivenessProbeAndIsRestarted() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "kill -STOP needs Linux");
        int restarts = stack.restarts("resize");
        Process stopped = stack.process("resize");
        try {
            TestStacks.signal("-STOP", stopped.pid());
            stack.awaitReady("resize", DEADLINE);
        } finally {
            if (stopped.isAlive()) {
                TestStacks.signal("-CONT", stopped.pid());
            }
        }

        assertThat(stopped.waitFor(5, TimeUnit.SECONDS)).as("the stopped process was killed").isTrue();
        assertThat(stack.restarts("resize")).isEqualTo(restarts + 1);
        assertThat(stack.process("resize").pid()).isNotEqualTo(stopped.pid());
        put("after-stop.png", png(101));
        assertThat(awaitTerminal(List.of("after-stop.png"), DEADLINE)).containsValue("succeeded");
    }

    @Test
    @Order(3)
    void closingWhileARestartWaitsRestartsNothingAndLeavesNoThreads() throws Exception {
        int restarts = stack.restarts("resize");
        Process killed = stack.process("resize");
        killed.toHandle().destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!stack.restartPending("resize") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(stack.restartPending("resize")).as("resize waits out its restart delay").isTrue();

        stack.close();
        Thread.sleep(FAST_PROBES.backoff(restarts).plusSeconds(1).toMillis()); // past the restart it had waited for

        assertThat(stack.restarts("resize")).isEqualTo(restarts);
        assertThat(stack.process("resize")).isSameAs(killed);
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive).map(Thread::getName)
                .noneMatch(name -> name.startsWith("supervise-") || name.startsWith("output-"));
    }

    private void put(String key, byte[] bytes) throws Exception {
        s3.putObject(PutObjectArgs.builder().bucket("images").object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType("image/png").build());
    }

    /** Polls the status function until every key is succeeded or failed; returns key to status. */
    private Map<String, String> awaitTerminal(List<String> keys, Duration within) throws Exception {
        Map<String, String> outcomes = new LinkedHashMap<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (outcomes.size() < keys.size() && System.nanoTime() < deadline) {
            for (String key : keys) {
                if (!outcomes.containsKey(key)) {
                    String status = status(key);
                    if ("succeeded".equals(status) || "failed".equals(status)) {
                        outcomes.put(key, status);
                    }
                }
            }
            Thread.sleep(50);
        }
        assertThat(outcomes.keySet()).as("terminal within " + within.toMillis() + " ms").containsAll(keys);
        return outcomes;
    }

    private String statusQuietly(String key) {
        try {
            return status(key);
        } catch (Exception e) {
            return null;
        }
    }

    private String status(String key) throws Exception {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(stack.url("status")
                    .resolve("/status/images/" + key)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()).path("status").asText() : null;
        } catch (IOException e) {
            return null; // e.g. status itself is being restarted
        }
    }

    /** A distinct, compressible 800x600 PNG per seed. */
    private static byte[] png(int seed) throws IOException {
        BufferedImage image = new BufferedImage(800, 600, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(seed * 37 % 256, 40, 90), 800, 600,
                new Color(200, seed * 11 % 256, 30)));
        g.fillRect(0, 0, 800, 600);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
