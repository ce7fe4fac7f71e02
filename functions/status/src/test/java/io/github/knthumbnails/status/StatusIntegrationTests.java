package io.github.knthumbnails.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.knthumbnails.storage.JobError;
import io.github.knthumbnails.storage.JobRecord;
import io.github.knthumbnails.storage.JobStore;
import io.github.knthumbnails.storage.Layout;
import io.github.knthumbnails.storage.ObjectStore;
import io.github.knthumbnails.storage.RenditionInfo;
import io.github.knthumbnails.storage.S3Settings;
import io.github.knthumbnails.testsupport.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The status API over real HTTP against a real S3 server holding sources and job records. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StatusIntegrationTests {

    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final S3TestServer S3 = new S3TestServer("images", "thumbnails", "unwatched");
    private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123Z");
    private static final ObjectStore store = new ObjectStore(new S3Settings(S3.endpoint(), S3TestServer.CREDENTIAL,
            S3TestServer.CREDENTIAL, "us-east-1"));

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        registry.add("MINIO_ENDPOINT", () -> S3.endpoint().toString());
        registry.add("UPLOAD_BUCKETS", () -> "images,other-uploads");
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String rawPath) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + rawPath)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static String upload(String key, String content) {
        store.put("images", key, content.getBytes(StandardCharsets.UTF_8), "image/jpeg", Map.of());
        return store.stat("images", key).orElseThrow().eTag();
    }

    private static void record(String key, JobRecord record) {
        new JobStore(store, "thumbnails").write("images", key, record);
    }

    private static void succeeded(String key, String eTag, byte[] thumbnail) {
        store.put("thumbnails", Layout.renditionKey("thumb", "images", key), thumbnail, "image/jpeg", Map.of());
        record(key, JobRecord.succeeded(eTag, T0, T0.plusMillis(85),
                List.of(new RenditionInfo("thumb", 100, 100, "image/jpeg", thumbnail.length, "100x100:cover:80:jpeg"))));
    }

    @Test
    void anUploadWithNothingRecordedIsPending() throws Exception {
        String eTag = upload("fresh.jpg", "fresh");

        HttpResponse<String> response = get("/status/images/fresh.jpg");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("status").asText()).isEqualTo("pending");
        assertThat(body.path("etag").asText()).isEqualTo(eTag);
        assertThat(body.path("size").asLong()).isEqualTo(5);
        assertThat(body.path("contentType").asText()).isEqualTo("image/jpeg");
        assertThat(body.has("uploaded")).isTrue();
        assertThat(body.has("renditions")).isFalse();
        assertThat(body.has("error")).isFalse();
    }

    @Test
    void aSucceededJobListsRenditionsWithWorkingLinks() throws Exception {
        String key = "uploads/My Cat é.jpg";
        String eTag = upload(key, "cat");
        byte[] thumbnail = "jpeg-bytes".getBytes(StandardCharsets.UTF_8);
        succeeded(key, eTag, thumbnail);

        JsonNode body = json(get("/status/images/uploads/My%20Cat%20%C3%A9.jpg"));

        assertThat(body.path("key").asText()).isEqualTo(key);
        assertThat(body.path("status").asText()).isEqualTo("succeeded");
        assertThat(body.path("started").asText()).isEqualTo("2026-11-23T10:15:30.123Z");
        assertThat(body.path("finished").asText()).isEqualTo("2026-11-23T10:15:30.208Z");
        JsonNode rendition = body.path("renditions").get(0);
        assertThat(rendition.path("name").asText()).isEqualTo("thumb");
        assertThat(rendition.path("width").asInt()).isEqualTo(100);
        assertThat(rendition.path("height").asInt()).isEqualTo(100);
        assertThat(rendition.path("contentType").asText()).isEqualTo("image/jpeg");
        assertThat(rendition.path("bytes").asLong()).isEqualTo(thumbnail.length);
        assertThat(rendition.path("key").asText()).isEqualTo("renditions/thumb/images/uploads/My Cat é.jpg");
        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(URI.create(rendition.path("url").asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(thumbnail);
        assertThat(Instant.parse(rendition.path("urlExpires").asText())).isAfter(Instant.now().plusSeconds(800));
    }

    @Test
    void anOutcomeForAnOlderUploadLeavesTheNewerOnePending() throws Exception {
        String old = upload("overwritten.jpg", "old");
        succeeded("overwritten.jpg", old, new byte[] {1, 2, 3});
        String newer = upload("overwritten.jpg", "newer");

        JsonNode body = json(get("/status/images/overwritten.jpg"));

        assertThat(body.path("etag").asText()).isEqualTo(newer);
        assertThat(body.path("status").asText()).isEqualTo("pending");
        assertThat(body.has("renditions")).isFalse();
    }

    @Test
    void aFailedJobSaysWhy() throws Exception {
        String eTag = upload("doc.png", "%PDF-");
        record("doc.png", JobRecord.failed(eTag, T0, T0, new JobError("unsupported_format",
                "not an image format this function can read (it is a PDF document)")));

        JsonNode body = json(get("/status/images/doc.png"));

        assertThat(body.path("status").asText()).isEqualTo("failed");
        assertThat(body.path("error").path("class").asText()).isEqualTo("unsupported_format");
        assertThat(body.path("error").path("message").asText()).contains("PDF document");
    }

    @Test
    void aProcessingJobHasAStartButNoFinish() throws Exception {
        String eTag = upload("busy.jpg", "busy");
        record("busy.jpg", JobRecord.processing(eTag, T0));

        JsonNode body = json(get("/status/images/busy.jpg"));

        assertThat(body.path("status").asText()).isEqualTo("processing");
        assertThat(body.has("started")).isTrue();
        assertThat(body.has("finished")).isFalse();
    }

    @Test
    void theKeyMayBeEncodedInFullOrKeepItsSlashesAndPlusIsAPlus() throws Exception {
        upload("a/b c+d.jpg", "x");

        assertThat(json(get("/status/images/a/b%20c+d.jpg")).path("key").asText()).isEqualTo("a/b c+d.jpg");
        assertThat(json(get("/status/images/a%2Fb%20c%2Bd.jpg")).path("key").asText()).isEqualTo("a/b c+d.jpg");
    }

    @Test
    void anUnknownObjectIs404WithAJsonError() throws Exception {
        HttpResponse<String> response = get("/status/images/never-uploaded.jpg");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("error").asText()).isEqualTo("no object images/never-uploaded.jpg");
    }

    @Test
    void anUnwatchedBucketIs404() throws Exception {
        store.put("unwatched", "a.jpg", new byte[] {1}, "image/jpeg", Map.of());

        HttpResponse<String> response = get("/status/unwatched/a.jpg");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(json(response).path("error").asText()).contains("not watched");
    }

    @Test
    void malformedPathsAre400() throws Exception {
        for (String path : List.of("/status/images", "/status/images/", "/status/", "/status", "/status/AB/x.jpg",
                "/status/images/odd%2F..%2Fup.jpg")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(json(response).path("error").asText()).as(path).isNotEmpty();
        }
    }

    @Test
    void jobsArePagedWithACursor() throws Exception {
        List<String> keys = List.of("batch/1.jpg", "batch/2.jpg", "batch/3.jpg", "batch/4.jpg", "batch/5.jpg");
        for (String key : keys) {
            upload(key, key);
        }
        succeeded("batch/2.jpg", store.stat("images", "batch/2.jpg").orElseThrow().eTag(), new byte[] {9});

        List<String> seen = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = json(get("/jobs?bucket=images&prefix=batch/&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)));
            page.path("jobs").forEach(job -> {
                seen.add(job.path("key").asText());
                statuses.add(job.path("status").asText());
            });
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null && pages < 10);

        assertThat(seen).containsExactlyElementsOf(keys);
        assertThat(statuses).containsExactly("pending", "succeeded", "pending", "pending", "pending");
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void badJobQueriesAre400() throws Exception {
        assertThat(get("/jobs?limit=0").statusCode()).isEqualTo(400);
        assertThat(get("/jobs?limit=101").statusCode()).isEqualTo(400);
        assertThat(get("/jobs?limit=ten").statusCode()).isEqualTo(400);
        assertThat(get("/jobs?bucket=unwatched").statusCode()).isEqualTo(400);
        assertThat(get("/jobs?cursor=***").statusCode()).isEqualTo(400);
    }

    @Test
    void jobsDefaultsToTheFirstUploadBucket() throws Exception {
        upload("default-bucket.jpg", "d");

        JsonNode page = json(get("/jobs?prefix=default-bucket"));

        assertThat(page.path("bucket").asText()).isEqualTo("images");
        assertThat(page.path("jobs")).hasSize(1);
        assertThat(page.path("nextCursor").isNull()).isTrue();
    }

    /**
     * Issue 8, finding 4: a job record whose HEAD fails (here the S3 server's 500 "Not a directory", because a
     * derived object of a deleted key {@code blocked} is in the way) costs that one item, not the page.
     */
    @Test
    void oneUnreadableJobRecordShowsItsErrorAndThePageStillAnswers() throws Exception {
        store.put("thumbnails", Layout.jobKey("images", "blocked"), new byte[0], "application/octet-stream",
                Map.of());
        upload("blocked/x.jpg", "x");
        succeeded("blocked0.jpg", upload("blocked0.jpg", "fine"), new byte[] {7});

        HttpResponse<String> page = get("/jobs?bucket=images&prefix=blocked");
        HttpResponse<String> one = get("/status/images/blocked/x.jpg");

        assertThat(page.statusCode()).isEqualTo(200);
        JsonNode jobs = json(page).path("jobs");
        assertThat(jobs).hasSize(2);
        assertThat(jobs.get(0).path("key").asText()).isEqualTo("blocked/x.jpg");
        assertThat(jobs.get(0).path("status").asText()).isEqualTo("unknown");
        assertThat(jobs.get(0).path("error").path("class").asText()).isEqualTo("storage_error");
        assertThat(jobs.get(0).path("etag").asText()).isNotEmpty();
        assertThat(jobs.get(1).path("status").asText()).isEqualTo("succeeded");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json(one).path("status").asText()).isEqualTo("unknown");
        assertThat(json(one).path("error").path("message").asText()).contains("jobs/images/blocked/x.jpg");
    }
}
