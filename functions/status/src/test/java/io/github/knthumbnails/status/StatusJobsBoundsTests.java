package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knthumbnails.storage.ObjectInfo;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * Issue 8, finding 9: one {@code GET /jobs} costs a LIST plus one HEAD per item; the HEADs run at most
 * {@code JOBS_CONCURRENCY} (8) at a time and within {@code JOBS_TIME_BUDGET_MS}. Over real HTTP against a real
 * S3 server; the status function's store is wrapped to hold chosen job-record HEADs until the test lets go, so
 * nothing here depends on timing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "JOBS_TIME_BUDGET_MS=3000")
class StatusJobsBoundsTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails");
    private static final S3Settings S3_SETTINGS = new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1");
    private static final ObjectStore plain = new ObjectStore(S3_SETTINGS);
    private static final Gate gate = new Gate();
    private static final CountDownLatch releaseHung = new CountDownLatch(1);

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
    }

    @TestBean
    ObjectStore objectStore;

    static ObjectStore objectStore() {
        return new ObjectStore(S3_SETTINGS) {
            @Override
            public Optional<ObjectInfo> stat(String bucket, String key) {
                if (key.startsWith("jobs/images/many/")) {
                    gate.pass();
                } else if (key.startsWith("jobs/images/hung/")) {
                    try {
                        releaseHung.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.stat(bucket, key);
            }
        };
    }

    /**
     * Lets HEADs through only in groups: each waits until 8 are inside or every HEAD of the page has started
     * (at most 2 s, a safety net for the sequential code this replaces). Records the most inside at once.
     */
    static final class Gate {
        int total;
        private int started;
        private int inside;
        private int generation;
        int peak;

        synchronized void pass() {
            started++;
            inside++;
            peak = Math.max(peak, inside);
            int mine = generation;
            if (inside >= 8 || started == total) {
                generation++;
                notifyAll();
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            try {
                while (generation == mine && System.nanoTime() < until) {
                    wait(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inside--;
        }
    }

    @LocalServerPort
    int port;

    private JsonNode jobs(String prefix) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/jobs?bucket=images&limit=100&prefix=" + prefix))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    @Test
    void atMostEightJobRecordHeadsRunAtOnce() throws Exception {
        for (int i = 0; i < 20; i++) {
            plain.put("images", "many/" + i + ".jpg", ("x" + i).getBytes(StandardCharsets.UTF_8), "image/jpeg",
                    Map.of());
        }
        gate.total = 20;

        JsonNode page = jobs("many/");

        assertThat(page.path("jobs")).hasSize(20).allSatisfy(job ->
                assertThat(job.path("status").asText()).isEqualTo("pending"));
        assertThat(gate.peak).isEqualTo(8);
    }

    @Test
    void aHeadThatHangsComesBackAsATimeoutAndThePageStillAnswers() throws Exception {
        plain.put("images", "hung/a.jpg", new byte[] {1}, "image/jpeg", Map.of());
        plain.put("images", "hunh.jpg", new byte[] {2}, "image/jpeg", Map.of());
        try {
            JsonNode jobs = jobs("hun").path("jobs");

            assertThat(jobs).hasSize(2);
            assertThat(jobs.get(0).path("status").asText()).isEqualTo("unknown");
            assertThat(jobs.get(0).path("error").path("class").asText()).isEqualTo("timeout");
            assertThat(jobs.get(1).path("status").asText()).isEqualTo("pending");
        } finally {
            releaseHung.countDown();
        }
    }
}
