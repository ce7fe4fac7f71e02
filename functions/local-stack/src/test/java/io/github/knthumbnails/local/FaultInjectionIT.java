package io.github.knthumbnails.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.knthumbnails.events.Buckets;
import io.github.knthumbnails.local.broker.LocalBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, fault injection, on one real local stack (embedded S3, the Broker, the three function jars): an event
 * resize refuses for ever (400, and separately 500) ends {@code failed}/{@code delivery_failed} through the
 * dead-letter sink after the retry budget while every other upload succeeds; S3 unreachable for 10 s; the
 * minio-source stopped for 10 s. After each: every upload terminal (nothing lost) and the thumbnails bucket holds
 * exactly one rendition per succeeded upload and one job record per upload (nothing duplicated or extra).
 *
 * <p>The Trigger is a copy of {@code eventing/trigger-resize.yaml} with two changes: the subscriber is a
 * {@link FaultProxy} in front of the real resize, and {@code backoffDelay} is PT1S instead of PT2S, so the retry
 * budget (5 retries: 1+2+4+8+16 = 31 s) is spent in half a minute yet still outlasts the 10 s S3 outage. The
 * dead-letter sink is the real one. SIGKILL of resize mid-burst is in {@link SupervisionIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    /** Bounds each wait; not a target. */
    private static final Duration DEADLINE = Duration.ofMinutes(3);
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final int RETRY = 5; // the real Trigger's spec.delivery.retry, which the copy keeps

    private FaultProxy proxy;
    private LocalStack stack;
    private PipelineProbe probe;
    /** Every key uploaded so far to whether it must end succeeded. */
    private final Map<String, Boolean> uploaded = new LinkedHashMap<>();
    private int seed;

    @BeforeAll
    void start(@TempDir Path dataDir) throws IOException {
        Path functions = TestStacks.functions();
        int resizePort = TestStacks.freePort();
        proxy = FaultProxy.start(java.net.URI.create("http://127.0.0.1:" + resizePort + "/"));
        Path trigger = dataDir.resolveSibling(dataDir.getFileName() + "-trigger-resize.yaml");
        Files.writeString(trigger, faultTrigger(Files.readString(LocalBroker.Config.defaultTrigger(functions))));
        stack = LocalStack.start(new LocalStack.Config(dataDir, functions, 0, Map.of("resize", resizePort),
                "minioadmin", "minioadmin", Buckets.from(name -> null), "e2e-token", null, Map.of(), trigger, 0),
                line -> { });
        probe = new PipelineProbe(stack);
    }

    /** The real Trigger with the subscriber pointed at the proxy and a shorter backoff; fails if either moved. */
    private String faultTrigger(String real) {
        String subscriber = """
                  subscriber:
                    ref:
                      apiVersion: serving.knative.dev/v1
                      kind: Service
                      name: resize
                """;
        assertThat(real).contains(subscriber, "    retry: " + RETRY + "\n", "    backoffDelay: PT2S\n",
                "name: status-dead-letter", "uri: /dead-letter");
        return real.replace(subscriber, "  subscriber:\n    uri: " + proxy.uri() + "\n")
                .replace("    backoffDelay: PT2S\n", "    backoffDelay: PT1S\n");
    }

    @AfterAll
    void stop() {
        if (stack != null) {
            stack.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @AfterEach
    void nothingLostNothingDuplicated() throws Exception {
        probe.awaitTerminal(uploaded.keySet(), DEADLINE);
        Set<String> renditions = new TreeSet<>();
        Set<String> jobs = new TreeSet<>();
        uploaded.forEach((key, succeeds) -> {
            jobs.add("jobs/images/" + key);
            if (succeeds) {
                renditions.add("renditions/thumb/images/" + key);
            }
        });
        assertThat(probe.thumbnailObjects("")).as("the thumbnails bucket: one rendition per succeeded upload, one"
                + " job record per upload, nothing else").containsExactlyElementsOf(union(renditions, jobs));
    }

    @Test
    @Order(1)
    void anEventRefusedWith400IsDeadLetteredAfterOneAttempt() throws Exception {
        refusedForEver("refused/400.jpg", 400, 1);
    }

    @Test
    @Order(2)
    void anEventRefusedWith500IsDeadLetteredAfterTheRetryBudget() throws Exception {
        refusedForEver("refused/500.jpg", 500, RETRY + 1);
    }

    private void refusedForEver(String poisoned, int status, int expectedAttempts) throws Exception {
        proxy.refuse(poisoned, status);
        List<String> others = upload("refused-" + status + "/", 6);
        long t0 = System.nanoTime();
        upload(poisoned, false);

        Map<String, JsonNode> outcomes = probe.awaitTerminal(List.of(poisoned), DEADLINE);
        System.out.printf("resize answering %d for ever: %s failed after %d attempts, %d ms after its upload%n",
                status, poisoned, proxy.attempts(poisoned), (System.nanoTime() - t0) / 1_000_000);

        JsonNode job = outcomes.get(poisoned);
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("failed");
        assertThat(job.path("error").path("class").asText()).as(job.toString()).isEqualTo("delivery_failed");
        assertThat(job.has("renditions")).isFalse();
        assertThat(proxy.attempts(poisoned)).as("deliveries of the refused event").isEqualTo(expectedAttempts);
        PipelineProbe.assertAllSucceeded(probe.awaitTerminal(others, DEADLINE));
    }

    @Test
    @Order(3)
    void s3UnreachableFor10sDelaysButLosesNothing() throws Exception {
        List<String> before = upload("s3-outage/before-", 8);
        int retriesBefore = probe.uploadRetries();
        long t0 = System.nanoTime();
        stack.stopS3();
        long stopMillis = (System.nanoTime() - t0) / 1_000_000;
        List<String> during = new ArrayList<>();
        CompletableFuture<Void> uploads = CompletableFuture.runAsync(() -> {
            try {
                during.addAll(upload("s3-outage/during-", 4));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        sleepUntil(t0 + OUTAGE.toNanos());
        stack.startS3();
        long back = System.nanoTime();
        uploads.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        List<String> all = new ArrayList<>(before);
        all.addAll(during);
        Map<String, JsonNode> outcomes = probe.awaitTerminal(all, DEADLINE);
        int retried = (int) all.stream().filter(key -> proxy.attempts(key) > 1).count();
        System.out.printf("S3 down for %d ms (stopping took %d ms): %d uploads retried by the client, %d events"
                        + " retried by the Broker; all %d terminal %d ms after S3 was back%n",
                (back - t0) / 1_000_000, stopMillis, probe.uploadRetries() - retriesBefore, retried, all.size(),
                (System.nanoTime() - back) / 1_000_000);

        assertThat(probe.uploadRetries()).as("uploads during the outage were refused").isGreaterThan(retriesBefore);
        assertThat(retried).as("events the outage made resize fail, retried by the Broker").isPositive();
        PipelineProbe.assertAllSucceeded(outcomes);
    }

    @Test
    @Order(4)
    void theMinioSourceDownFor10sDelaysButLosesNothing() throws Exception {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "kill -STOP needs Linux");
        int restarts = stack.restarts("minio-source");
        Process stopped = stack.process("minio-source");
        List<String> keys;
        long t0 = System.nanoTime();
        try {
            TestStacks.signal("-STOP", stopped.pid());
            keys = upload("source-down/", 6);
            sleepUntil(t0 + OUTAGE.toNanos());
            if (stack.restarts("minio-source") == restarts) {
                for (String key : keys) {
                    JsonNode job = probe.status(key);
                    assertThat(job == null ? "none" : job.path("status").asText()).as("status of " + key
                            + " while the minio-source is stopped").isNotIn("succeeded", "failed");
                }
            }
        } finally {
            if (stopped.isAlive()) {
                TestStacks.signal("-CONT", stopped.pid());
            }
        }
        long back = System.nanoTime();
        Map<String, JsonNode> outcomes = probe.awaitTerminal(keys, DEADLINE);
        System.out.printf("minio-source stopped for %d ms (restarted by the supervisor: %d times): all %d uploads"
                        + " terminal %d ms after SIGCONT%n", (back - t0) / 1_000_000,
                stack.restarts("minio-source") - restarts, keys.size(), (System.nanoTime() - back) / 1_000_000);

        PipelineProbe.assertAllSucceeded(outcomes);
    }

    /** Uploads {@code count} generated JPEGs as {@code <prefix><i>.jpg}, each expected to succeed. */
    private List<String> upload(String prefix, int count) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(prefix + i + ".jpg");
            upload(keys.get(i), true);
        }
        return keys;
    }

    private void upload(String key, boolean succeeds) throws Exception {
        byte[] image;
        synchronized (uploaded) {
            uploaded.put(key, succeeds);
            image = PipelineProbe.jpeg(seed++);
        }
        probe.put(key, image, DEADLINE);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

}
